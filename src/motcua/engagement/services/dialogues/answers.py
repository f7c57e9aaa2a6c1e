"""Trả lời trực tuyến, cam kết: a leader answers the questions given to them, as text, live (or their
secretary types it in their name, recorded as typed by the secretary); the answer is public at once and the
live pages see it by the session's revision. What a leader promises becomes a commitment with an agency in
charge and a date, on the transcript until marked done."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency
from motcua.dossiers.services import ActionRefused

from ... import rules
from ...models import DialogueAction, DialogueCommitment, QuestionStatus
from ...models.dialogues import ANSWER_LENGTH
from .common import NOTE_LENGTH, bump, check, clean_text, lock, lock_question, record, search_key

A = DialogueAction
S = QuestionStatus
COMMITMENT_LENGTH = (10, 2000)


def answer(question, *, text, by, request=None):
    """Trả lời: ``by`` is the leader the question was given to, or that leader's secretary; the answer is
    in the leader's name either way (``answered_by``), and ``written_by`` says who typed it."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.ANSWER, by)
        row.answer = clean_text(text, field="answer", low=ANSWER_LENGTH[0], high=ANSWER_LENGTH[1])
        row.status, row.answered_by, row.written_by = S.ANSWERED, row.assigned_to, by
        row.answered_at = timezone.now()
        row.search_text = search_key(row)
        row.sequence = bump(session)
        row.save()
        record(session, A.ANSWER, by=by, question=row, request=request, leader=row.answered_by_id)
        return row


def edit_answer(question, *, text, by, request=None):
    """Sửa câu trả lời: the leader who answered (or their secretary) corrects it while answering is open."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.EDIT_ANSWER, by)
        row.answer = clean_text(text, field="answer", low=ANSWER_LENGTH[0], high=ANSWER_LENGTH[1])
        row.written_by = by
        row.search_text = search_key(row)
        row.sequence = bump(session)
        row.save()
        record(session, A.EDIT_ANSWER, by=by, question=row, request=request)
        return row


def commit(question, *, text, due_date, agency, by, request=None) -> DialogueCommitment:
    """Ghi nhận cam kết: what the leader who answered ``question`` promised, the agency in charge of it
    and the date it is due (today or later)."""
    with transaction.atomic():
        session, row = lock_question(question)
        check(row, A.COMMIT, by)
        errors: dict[str, list] = {}
        text = clean_text(
            text, field="text", low=COMMITMENT_LENGTH[0], high=COMMITMENT_LENGTH[1], errors=errors
        )
        if not isinstance(agency, Agency) or not agency.is_active:
            errors.setdefault("agency", []).append(_("Choose the agency in charge of it."))
        if not isinstance(due_date, date):
            errors.setdefault("due_date", []).append(_("Say by when it is due."))
        elif due_date < timezone.localdate():
            errors.setdefault("due_date", []).append(_("The date it is due cannot be in the past."))
        if errors:
            raise ValidationError(errors)
        commitment = DialogueCommitment.objects.create(
            session=session, question=row, leader_id=row.answered_by_id, text=text, agency=agency,
            due_date=due_date, sequence=bump(session), created_at=timezone.now(),
        )  # fmt: skip
        record(session, A.COMMIT, by=by, question=row, commitment=commitment, request=request)
        return commitment


def mark_done(commitment, *, by, note="", request=None) -> DialogueCommitment:
    """Hoàn thành cam kết: done now, with what was done (optional); shown as done on the transcript."""
    with transaction.atomic():
        session = lock(commitment.session)
        row = DialogueCommitment.objects.select_for_update().get(pk=commitment.pk)
        row.session = session
        if row.done_at is not None:
            raise ActionRefused(_("This commitment is already done."))
        if not rules.may_mark_done(row, by):
            raise PermissionDenied(_("You may not do this in this dialogue session."))
        row.done_note = clean_text(note, field="note", low=0, high=NOTE_LENGTH)
        row.done_at = timezone.now()
        row.sequence = bump(session)
        row.save()
        record(session, A.MARK_DONE, by=by, commitment=row, note=row.done_note, request=request)
        return row
