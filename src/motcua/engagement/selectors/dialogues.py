"""Reads of online dialogue sessions (đối thoại trực tuyến): the sessions the public reads (announced ones:
upcoming, live, finished, by the time, never stored), one session's transcript (its answered questions with
the duplicates merged into them, grouped by theme if asked), the search across finished transcripts, what is
new after a revision (the live part), the commitments, and the officers' queues (moderation, a leader's
questions). ``public_question`` and ``public_commitment`` say what the public reads; the pages and the API
both show only these."""

from datetime import datetime

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from motcua.core.text import fold

from .. import rules
from ..models import (
    DialogueCommitment,
    DialogueLeader,
    DialogueQuestion,
    DialogueSession,
    QuestionStatus,
    SessionStatus,
)

S = QuestionStatus
PUBLIC_LISTS = (SessionStatus.UPCOMING, SessionStatus.LIVE, SessionStatus.FINISHED)
MAX_WORDS = 10


def session_status(session: DialogueSession, now: datetime | None = None) -> str:
    """Draft, upcoming, live or finished (``SessionStatus``), by the time ``now``."""
    return session.status_at(now or timezone.now())


def announced() -> QuerySet[DialogueSession]:
    return DialogueSession.objects.filter(announced_at__isnull=False).select_related("organiser")


def listing_revision(now: datetime | None = None) -> str:
    """A token that changes whenever the public list of sessions would: a session announced, edited or
    answered (its ``revision``), or one starting or ending (counted by the time). The portal's list page is
    cached under it, so it is never stale."""
    now = now or timezone.now()
    found = DialogueSession.objects.filter(announced_at__isnull=False).aggregate(
        sessions=Count("id"),
        revisions=Sum("revision"),
        started=Count("id", filter=Q(starts_at__lte=now)),
        ended=Count("id", filter=Q(ends_at__lte=now)),
    )
    return "dialogues-" + "-".join(
        str(found[name] or 0) for name in ("sessions", "revisions", "started", "ended")
    )


def public_sessions(status: str = "", *, now: datetime | None = None) -> QuerySet[DialogueSession]:
    """The announced sessions of one status (upcoming: the soonest first; live; finished: the last first),
    or all of them (newest first) for an empty ``status``."""
    now = now or timezone.now()
    found = announced()
    if status == SessionStatus.UPCOMING:
        return found.filter(starts_at__gt=now).order_by("starts_at", "id")
    if status == SessionStatus.LIVE:
        return found.filter(starts_at__lte=now, ends_at__gt=now).order_by("starts_at", "id")
    if status == SessionStatus.FINISHED:
        return found.filter(ends_at__lte=now).order_by("-ends_at", "-id")
    return found.order_by("-starts_at", "-id")


def public_lists(*, now: datetime | None = None, finished_limit: int | None = None) -> dict:
    """``{"upcoming": [...], "live": [...], "finished": [...]}`` (the portal's list page)."""
    now = now or timezone.now()
    lists = {status.value: public_sessions(status, now=now) for status in PUBLIC_LISTS}
    if finished_limit is not None:
        lists["finished"] = lists["finished"][:finished_limit]
    return lists


def public_session(pk) -> DialogueSession | None:
    """An announced session by its number, with its leaders and agencies; None for a draft or none."""
    return announced().prefetch_related(_leader_rows(), "agencies").filter(pk=pk).first()


def _leader_rows() -> Prefetch:
    return Prefetch("leader_rows", queryset=DialogueLeader.objects.select_related("leader", "secretary"))


def leaders(session: DialogueSession) -> list[DialogueLeader]:
    return list(session.leader_rows.select_related("leader", "secretary").order_by("order", "id"))


def _answered() -> QuerySet[DialogueQuestion]:
    duplicates = Prefetch(
        "duplicates",
        queryset=DialogueQuestion.objects.filter(status=S.MERGED).order_by("submitted_at", "id"),
        to_attr="merged_duplicates",
    )
    commitments = Prefetch(
        "commitments", queryset=DialogueCommitment.objects.select_related("agency"), to_attr="promises"
    )
    return (
        DialogueQuestion.objects.filter(status=S.ANSWERED)
        .select_related("answered_by", "session")
        .prefetch_related(duplicates, commitments)
    )


def _matching(found: QuerySet, q: str) -> QuerySet:
    for word in fold(q or "").split()[:MAX_WORDS]:
        found = found.filter(search_text__contains=word)
    return found


def transcript(
    session: DialogueSession, q: str = "", *, theme: str = "", newest_first: bool = False
) -> QuerySet[DialogueQuestion]:
    """Biên bản: the answered questions of ``session`` in the order they were answered (the newest first
    while live, if asked), each with ``merged_duplicates`` and its commitments (``promises``); matching
    every word of ``q`` (accents and case ignored) and ``theme``, if given."""
    found = _matching(_answered().filter(session=session), q)
    if theme:
        found = found.filter(theme=theme)
    order = ("-answered_at", "-id") if newest_first else ("answered_at", "id")
    return found.order_by(*order)


def themes(session: DialogueSession) -> list[str]:
    """The themes of the answered questions, in alphabetical order (the transcript's grouping)."""
    found = session.questions.filter(status=S.ANSWERED).exclude(theme="")
    return sorted(set(found.values_list("theme", flat=True)))


def by_theme(questions) -> list[tuple[str, list]]:
    """``[(theme, [questions])]`` in the order of the first question of each theme ("" for none)."""
    groups: dict[str, list] = {}
    for question in questions:
        groups.setdefault(question.theme, []).append(question)
    return list(groups.items())


def search(q: str, *, now: datetime | None = None) -> QuerySet[DialogueQuestion]:
    """The answered questions of the finished sessions matching every word of ``q``, newest first."""
    now = now or timezone.now()
    if not fold(q or "").split():
        return DialogueQuestion.objects.none()
    found = _answered().filter(session__announced_at__isnull=False, session__ends_at__lte=now)
    return _matching(found, q).order_by("-answered_at", "-id")


def public_revisions(session_ids) -> dict[int, int]:
    """The revision of each announced session among ``session_ids`` (the live part's one query per poll);
    drafts and unknown numbers are left out."""
    return dict(announced().filter(pk__in=list(session_ids)).values_list("pk", "revision"))


def public_version(pk: int) -> tuple[int, str] | None:
    """What a public page of session ``pk`` depends on besides the visitor: its revision and its status
    now (which time changes); None for a draft or none. The page's ETag (conditional requests)."""
    row = (
        announced()
        .select_related(None)
        .filter(pk=pk)
        .only("pk", "revision", "starts_at", "ends_at", "announced_at")
        .first()
    )
    return None if row is None else (row.revision, session_status(row))


def titled(questions, session: DialogueSession) -> list[DialogueQuestion]:
    """``questions`` with ``leader_title``: the title the answering leader holds on ``session`` (what the
    transcript shows after their name)."""
    titles = _titles(session)
    found = list(questions)
    for question in found:
        question.leader_title = titles.get(question.answered_by_id, "")
    return found


def updates_after(session: DialogueSession, revision: int) -> dict:
    """What changed for the public after ``revision`` (the live part): the answered questions whose last
    public change is newer, and those whose commitments changed (a question shows its commitments), in the
    order of their changes, titled; the commitments themselves; and the session's revision now."""
    revision_now = DialogueSession.objects.values_list("revision", flat=True).get(pk=session.pk)
    changed = list(
        session.commitments.filter(sequence__gt=revision)
        .select_related("agency", "leader")
        .order_by("sequence")
    )
    promised = {c.question_id for c in changed if c.question_id}
    questions = _answered().filter(session=session).filter(Q(sequence__gt=revision) | Q(pk__in=promised))
    return {
        "revision": revision_now,
        "questions": titled(questions.order_by("sequence", "id"), session),
        "commitments": changed,
    }


def commitments(session: DialogueSession | None = None, *, open_only: bool = False) -> QuerySet:
    """The commitments of ``session`` (or of every announced session), those still open first (by their due
    date), then those done (the last done first)."""
    found = DialogueCommitment.objects.select_related("agency", "leader", "question", "session")
    found = (
        found.filter(session=session)
        if session is not None
        else found.filter(session__announced_at__isnull=False)
    )
    if open_only:
        return found.filter(done_at__isnull=True).order_by("due_date", "id")
    return found.order_by(F("done_at").asc(nulls_first=True), "due_date", "id")


def open_commitments(session: DialogueSession | None = None) -> QuerySet:
    return commitments(session, open_only=True)


def moderation_queue(session: DialogueSession, status: str = S.PENDING) -> QuerySet[DialogueQuestion]:
    """The questions of ``session`` in ``status`` (the moderators' tabs), the oldest first."""
    return (
        session.questions.filter(status=status)
        .select_related("assigned_to", "merged_into", "answered_by", "asker")
        .order_by("submitted_at", "id")
    )


def status_counts(session: DialogueSession) -> dict[str, int]:
    counts = dict.fromkeys(S.values, 0)
    for status in session.questions.values_list("status", flat=True):
        counts[status] += 1
    return counts


def leader_queue(user) -> QuerySet[DialogueQuestion]:
    """The approved questions ``user`` may answer: given to them, or to a leader whose secretary they are
    on that session; the sessions in their answering time first come first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return DialogueQuestion.objects.none()
    rows = DialogueLeader.objects.filter(Q(leader=user) | Q(secretary=user))
    pairs = Q(pk__in=[])
    for session_id, leader_id in rows.values_list("session_id", "leader_id"):
        pairs |= Q(session_id=session_id, assigned_to_id=leader_id)
    return (
        DialogueQuestion.objects.filter(pairs, status=S.APPROVED)
        .select_related("session", "assigned_to")
        .order_by("session__starts_at", "submitted_at", "id")
    )


def visible_sessions(user) -> QuerySet[DialogueSession]:
    """The back office's list: the sessions ``user`` works on (``rules.visible_sessions``), newest first."""
    return rules.visible_sessions(user).select_related("organiser").order_by("-starts_at", "-id")


def public_question(question: DialogueQuestion) -> dict:
    """What the public reads of an answered question: the asker's name (never their phone or account), the
    question, its theme, the answer in the leader's name, and the duplicates merged into it (name and text
    only); never a moderator's reason or note."""
    leader = question.answered_by
    titles = _titles(question.session)
    return {
        "id": question.pk,
        "asker_name": question.asker_name,
        "content": question.content,
        "theme": question.theme,
        "answer": question.answer,
        "answered_by": str(leader) if leader else "",
        "answered_by_title": titles.get(question.answered_by_id, ""),
        "answered_at": question.answered_at,
        "sequence": question.sequence,
        "duplicates": [
            {"id": d.pk, "asker_name": d.asker_name, "content": d.content} for d in duplicates_of(question)
        ],
        "commitments": [public_commitment(c) for c in promises_of(question)],
    }


def duplicates_of(question: DialogueQuestion) -> list[DialogueQuestion]:
    """The questions merged into ``question`` (prefetched by ``transcript``, else read)."""
    if hasattr(question, "merged_duplicates"):
        return question.merged_duplicates
    return list(question.duplicates.filter(status=S.MERGED).order_by("submitted_at", "id"))


def promises_of(question: DialogueQuestion) -> list[DialogueCommitment]:
    if hasattr(question, "promises"):
        return question.promises
    return list(question.commitments.select_related("agency", "leader"))


def public_commitment(commitment: DialogueCommitment) -> dict:
    return {
        "id": commitment.pk,
        "question": commitment.question_id,
        "leader": str(commitment.leader),
        "text": commitment.text,
        "agency": commitment.agency.name,
        "due_date": commitment.due_date,
        "done": commitment.done_at is not None,
        "done_at": commitment.done_at,
        "done_note": commitment.done_note,
        "sequence": commitment.sequence,
    }


def _titles(session: DialogueSession) -> dict[int, str]:
    cached = getattr(session, "_leader_titles", None)
    if cached is None:
        cached = dict(session.leader_rows.values_list("leader_id", "title"))
        session._leader_titles = cached
    return cached
