"""Chuẩn bị, công bố buổi đối thoại: a moderator of the organising agency (or above it) prepares a session
(its topic, announcement, time, agencies and leaders, each leader's position and secretary), edits it,
announces it (then the public reads it and may send questions), and closes or reopens its intake."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import OfficerMembership, OfficerRole
from motcua.catalog.models import Agency

from ... import rules
from ...models import DialogueAction, DialogueLeader, DialogueSession
from .common import bump, check, clean_text, lock, record

A = DialogueAction
TITLE_LENGTH = (5, 200)
SUMMARY_LENGTH = (20, 10000)
MAX_LEADERS = 20


def create_session(
    *, title, summary, organiser, starts_at, ends_at, leaders=(), agencies=(), by, request=None
) -> DialogueSession:
    """Tạo buổi đối thoại (a draft: the public sees nothing until ``announce``). ``leaders``: dicts of
    ``leader`` (a user holding the leader role), ``title`` (their position) and optionally ``secretary``
    (an officer). ``agencies``: those taking part. A ValidationError names every wrong field."""
    if organiser is None or not rules.may_organise(organiser.pk, by):
        raise PermissionDenied(_("You may organise dialogue sessions only for your agency or one under it."))
    values = _clean(title, summary, organiser, starts_at, ends_at, leaders, agencies)
    with transaction.atomic():
        session = DialogueSession.objects.create(
            title=values["title"], summary=values["summary"], organiser=organiser,
            starts_at=values["starts_at"], ends_at=values["ends_at"], created_by=by,
        )  # fmt: skip
        _write_people(session, values)
        record(session, A.CREATE, by=by, request=request)
    return session


def update_session(
    session, *, title, summary, starts_at, ends_at, leaders=(), agencies=(), by, request=None
) -> DialogueSession:
    """Sửa buổi đối thoại: every field again (the organiser stays). A leader who already answered
    questions stays on it."""
    with transaction.atomic():
        row = lock(session)
        check(row, A.UPDATE, by)
        values = _clean(title, summary, row.organiser, starts_at, ends_at, leaders, agencies)
        answered = set(row.questions.exclude(answered_by=None).values_list("answered_by_id", flat=True))
        if answered - {spec["leader"].pk for spec in values["leaders"]}:
            raise ValidationError({"leaders": [_("A leader who answered questions cannot be removed.")]})
        row.title, row.summary = values["title"], values["summary"]
        row.starts_at, row.ends_at = values["starts_at"], values["ends_at"]
        row.save()
        row.leader_rows.all().delete()
        _write_people(row, values)
        if row.announced_at is not None:
            bump(row)
        record(row, A.UPDATE, by=by, request=request)
        return row


def announce(session, *, by, request=None) -> DialogueSession:
    """Công bố: the public reads the session from now on and may send questions (while its intake is open
    and it has not ended)."""
    with transaction.atomic():
        row = lock(session)
        check(row, A.ANNOUNCE, by)
        if row.ends_at <= timezone.now():
            raise ValidationError({"ends_at": [_("This session has already ended: change its time first.")]})
        row.announced_at = timezone.now()
        row.save(update_fields=["announced_at"])
        bump(row)
        record(row, A.ANNOUNCE, by=by, request=request)
        return row


def close_questions(session, *, by, request=None) -> DialogueSession:
    """Dừng nhận câu hỏi: enough questions (or a flood): no more are taken."""
    return _intake(session, False, A.CLOSE_QUESTIONS, by, request)


def open_questions(session, *, by, request=None) -> DialogueSession:
    return _intake(session, True, A.OPEN_QUESTIONS, by, request)


def _intake(session, value: bool, action, by, request):
    with transaction.atomic():
        row = lock(session)
        check(row, action, by)
        row.questions_open = value
        row.save(update_fields=["questions_open"])
        if row.announced_at is not None:
            bump(row)
        record(row, action, by=by, request=request)
        return row


def _clean(title, summary, organiser, starts_at, ends_at, leaders, agencies) -> dict:
    errors: dict[str, list] = {}
    values = {
        "title": clean_text(title, field="title", low=TITLE_LENGTH[0], high=TITLE_LENGTH[1], errors=errors),
        "summary": clean_text(
            summary, field="summary", low=SUMMARY_LENGTH[0], high=SUMMARY_LENGTH[1], errors=errors
        ),
        "starts_at": starts_at,
        "ends_at": ends_at,
    }
    if starts_at is None:
        errors.setdefault("starts_at", []).append(_("Say when the session starts."))
    if ends_at is None:
        errors.setdefault("ends_at", []).append(_("Say when the session ends."))
    elif starts_at is not None and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(_("The session must end after it starts."))
    values["leaders"] = _leaders(leaders, errors)
    agencies = list(agencies or [])
    if any(a is None or not isinstance(a, Agency) or not a.is_active for a in agencies):
        errors.setdefault("agencies", []).append(_("Choose agencies that are active."))
    values["agencies"] = [a for a in agencies if a is not None]
    if errors:
        raise ValidationError(errors)
    return values


def _leaders(leaders, errors) -> list[dict]:
    specs, seen = [], set()
    leaders = list(leaders or [])

    def fail(message):
        errors.setdefault("leaders", []).append(message)

    if not leaders:
        fail(_("Name at least one leader taking part."))
    if len(leaders) > MAX_LEADERS:
        fail(_("At most %(count)s leaders.") % {"count": MAX_LEADERS})
        return []
    users = get_user_model()
    for spec in leaders:
        leader, secretary = spec.get("leader"), spec.get("secretary")
        title = " ".join(str(spec.get("title") or "").split())[:150]
        if not isinstance(leader, users) or not leader.is_active or not _holds(leader, OfficerRole.LEADER):
            fail(_("Each leader must be an active officer holding the leader role."))
            continue
        if leader.pk in seen:
            fail(_("%(name)s is named twice.") % {"name": leader})
            continue
        if len(title) < 3:
            fail(_("Write the position of %(name)s, e.g. Vice Chairman of the Provincial People's Committee.")
                 % {"name": leader})  # fmt: skip
        if secretary is not None and (
            not isinstance(secretary, users) or not secretary.is_active or not _holds(secretary, None)
            or secretary.pk == leader.pk
        ):  # fmt: skip
            fail(_("The secretary of %(name)s must be another active officer.") % {"name": leader})
        seen.add(leader.pk)
        specs.append({"leader": leader, "title": title, "secretary": secretary})
    return specs


def _holds(user, role) -> bool:
    found = OfficerMembership.objects.filter(user=user)
    return (found.filter(role=role) if role else found).exists()


def _write_people(session, values) -> None:
    DialogueLeader.objects.bulk_create(
        DialogueLeader(
            session=session, leader=s["leader"], title=s["title"], secretary=s["secretary"], order=n
        )
        for n, s in enumerate(values["leaders"])
    )
    session.agencies.set(values["agencies"])
