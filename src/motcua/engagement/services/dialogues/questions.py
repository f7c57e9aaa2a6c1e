"""Gửi câu hỏi, kiểm duyệt: a visitor sends a question (signed in, or with their name and phone; counted per
address and account an hour), then the moderators approve it (perhaps giving it to a leader and a theme at
once), reject it (why, kept internal), merge it into the question it repeats, group it by theme, and give it
to a leader of the session to answer."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import ratelimit
from motcua.core.identity import validate_phone
from motcua.dossiers.services import ActionRefused

from ... import rules
from ...models import DialogueAction, DialogueQuestion, QuestionStatus
from ...models.dialogues import CONTENT_LENGTH, THEME_LENGTH
from .common import NOTE_LENGTH, bump, check, clean_text, lock, lock_question, record, search_key

A = DialogueAction
S = QuestionStatus
RATE_WINDOW = 3600  # MOTCUA_DIALOGUE_QUESTION_RATE counts per hour
NAME_LENGTH = (2, 150)


class TooManyQuestions(Exception):
    """The address or account sent the most this hour allows (429); ``retry_after`` in seconds."""

    def __init__(self, retry_after: int):
        super().__init__(_("You have sent many questions in a short time; please try again later."))
        self.retry_after = retry_after


def ask_question(
    session, *, content, by=None, name="", phone="", client_ip="", request=None
) -> DialogueQuestion:
    """Gửi câu hỏi: a question for ``session``, pending moderation. ``by``: the signed-in account (its name
    and phone are taken when none is given), or None: then ``name`` and ``phone`` are required. The phone
    is never shown to the public. Counted first (``TooManyQuestions`` past the hourly limit per address and
    account), then checked (ValidationError by field: content, name, phone; ActionRefused when the session
    takes no questions now). Each call sends a new question."""
    signed_in = bool(getattr(by, "is_authenticated", False) and by.is_active)
    wait = ratelimit.per_client(
        "dialogue-question", client_ip, by if signed_in else None, settings.MOTCUA_DIALOGUE_QUESTION_RATE,
        window=RATE_WINDOW,
    )  # fmt: skip
    if wait is not None:
        raise TooManyQuestions(wait)
    errors: dict[str, list] = {}
    content = clean_text(
        content, field="content", low=CONTENT_LENGTH[0], high=CONTENT_LENGTH[1], errors=errors
    )
    if signed_in:
        name = (name or "").strip() or getattr(by, "full_name", "") or by.get_username()
        phone = (phone or "").strip() or getattr(by, "phone", "")
    name = clean_text(name, field="name", low=NAME_LENGTH[0], high=NAME_LENGTH[1], errors=errors)
    if (phone or "").strip():
        try:
            phone = validate_phone(phone)
        except ValidationError as exc:
            errors.setdefault("phone", []).extend(exc.messages)
    elif not signed_in:
        errors.setdefault("phone", []).append(_("Give a phone number, so that the organisers can reach you."))
    with transaction.atomic():
        row = lock(session)
        if not rules.accepting_questions(row):
            raise ActionRefused(_("This session does not take questions now."))
        if errors:
            raise ValidationError(errors)
        question = DialogueQuestion.objects.create(
            session=row, asker=by if signed_in else None, asker_name=name, asker_phone=phone or "",
            content=content, submitted_at=timezone.now(), client_hash=_client_hash(client_ip),
        )  # fmt: skip
        question.search_text = search_key(question)
        question.save(update_fields=["search_text"])
        record(row, A.ASK, by=by if signed_in else None, question=question, request=request)
    return question


def _client_hash(client_ip: str) -> str:
    """A keyed hash of the address: the moderators see which questions came from one place, nobody reads
    the address back."""
    if not client_ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), client_ip.encode(), hashlib.sha256).hexdigest()[:16]


def approve(question, *, by, leader=None, theme=None, request=None) -> DialogueQuestion:
    """Duyệt: the question goes on for an answer; ``leader`` (one of the session's) and ``theme`` may be
    given at once."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.APPROVE, by)
        if leader is not None:
            _check_leader(session, leader)
            row.assigned_to = leader
        if theme is not None:
            row.theme = clean_text(theme, field="theme", low=0, high=THEME_LENGTH)
        row.status = S.APPROVED
        row.search_text = search_key(row)
        row.save()
        record(session, A.APPROVE, by=by, question=row, request=request, leader=getattr(leader, "pk", None))
        return row


def reject(question, *, by, reason, request=None) -> DialogueQuestion:
    """Không duyệt: why (required) is kept for the officers; the public never reads it."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.REJECT, by)
        row.reject_reason = clean_text(reason, field="reason", low=5, high=NOTE_LENGTH)
        row.status, row.assigned_to = S.REJECTED, None
        row.save()
        record(session, A.REJECT, by=by, question=row, note=row.reject_reason, request=request)
        return row


def merge(question, *, into, by, note="", request=None) -> DialogueQuestion:
    """Gộp: the question repeats ``into`` (of the same session, not itself merged or rejected); it is
    listed under it, and answered with it. Into one already answered, the transcript changes at once."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.MERGE, by)
        target = DialogueQuestion.objects.select_for_update().filter(pk=getattr(into, "pk", None)).first()
        if target is None or target.pk == row.pk or target.session_id != session.pk:
            raise ValidationError({"into": [_("Choose another question of this session.")]})
        if target.status not in (S.PENDING, S.APPROVED, S.ANSWERED):
            raise ValidationError(
                {"into": [_("A question can only be merged into one not rejected or merged.")]}
            )
        note = clean_text(note, field="note", low=0, high=NOTE_LENGTH)
        row.status, row.merged_into, row.assigned_to = S.MERGED, target, None
        row.save()
        if target.status == S.ANSWERED:
            target.sequence = bump(session)
            target.save(update_fields=["sequence"])
        record(session, A.MERGE, by=by, question=row, note=note, request=request, into=target.pk)
        return row


def set_theme(question, *, theme, by, request=None) -> DialogueQuestion:
    """Nhóm chủ đề: a short theme the transcript groups questions by (empty: none)."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.SET_THEME, by)
        row.theme = clean_text(theme, field="theme", low=0, high=THEME_LENGTH)
        row.search_text = search_key(row)
        if row.status == S.ANSWERED:
            row.sequence = bump(session)
        row.save()
        record(session, A.SET_THEME, by=by, question=row, note=row.theme, request=request)
        return row


def assign(question, *, leader, by, request=None) -> DialogueQuestion:
    """Chuyển lãnh đạo trả lời: give the approved question to one of the session's leaders."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.ASSIGN, by)
        _check_leader(session, leader)
        row.assigned_to = leader
        row.save(update_fields=["assigned_to"])
        record(session, A.ASSIGN, by=by, question=row, request=request, leader=leader.pk)
        return row


def _check_leader(session, leader) -> None:
    if leader is None or rules.leader_row(session, leader.pk) is None:
        raise ValidationError({"leader": [_("Choose one of the leaders taking part in this session.")]})
