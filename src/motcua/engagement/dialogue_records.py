"""What a caller reads of a dialogue session through the API (``GET /api/v1/dialogues/`` and ``{id}/``, the
answers of the officers' actions): a session's summary, its public detail (the transcript through
``selectors.dialogues.public_question`` and ``public_commitment``: the askers' names only, never their
phones, accounts or the moderators' reasons), and a question as the session's officers read it. Shaped by
``dialogue_serializers``; the live part may serialize ``selectors.dialogues.updates_after`` with the same
functions."""

from django.urls import reverse
from django.utils import timezone

from . import rules
from .models import DialogueQuestion, DialogueSession
from .petition_serializers import person
from .selectors import dialogues as selectors


def _agency(agency) -> dict:
    return {"slug": agency.slug, "name": agency.name}


def summary(session: DialogueSession, now=None) -> dict:
    now = now or timezone.now()
    return {
        "id": session.pk,
        "title": session.title,
        "status": selectors.session_status(session, now),
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "organiser": _agency(session.organiser),
        "accepting_questions": rules.accepting_questions(session, now),
        "revision": session.revision,
        "url": reverse("portal:dialogue", kwargs={"pk": session.pk}),
    }


def detail(session: DialogueSession, user) -> dict:
    """The session as the public reads it (and the session's actions the caller may take)."""
    return {
        **summary(session),
        "summary": session.summary,
        "questions_open": session.questions_open,
        "leaders": [{"name": str(row.leader), "title": row.title} for row in selectors.leaders(session)],
        "agencies": [_agency(a) for a in session.agencies.order_by("order", "name")],
        "questions": [selectors.public_question(q) for q in selectors.transcript(session)],
        "commitments": [selectors.public_commitment(c) for c in selectors.commitments(session)],
        "actions": rules.dialogue_actions_for(session, user) if user.is_authenticated else [],
    }


def officer_question(question: DialogueQuestion, user) -> dict:
    return {
        "id": question.pk,
        "status": question.status,
        "asker_name": question.asker_name,
        "asker_phone": question.asker_phone,
        "asker": question.asker.get_username() if question.asker_id else None,
        "content": question.content,
        "theme": question.theme,
        "submitted_at": question.submitted_at,
        "reject_reason": question.reject_reason,
        "merged_into": question.merged_into_id,
        "assigned_to": person(question.assigned_to),
        "answer": question.answer,
        "answered_by": person(question.answered_by),
        "written_by": person(question.written_by),
        "answered_at": question.answered_at,
        "actions": rules.dialogue_actions_for(question, user),
    }
