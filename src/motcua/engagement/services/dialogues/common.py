"""What every write of a dialogue session shares: the session's row locked (writes of one session take
turns, so its revisions follow the order of their commits), the checks against ``rules`` (the moment 409,
the person 403), the public revision bumped, the step recorded with the audit entry."""

from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.core.text import fold
from motcua.dossiers.services import ActionRefused

from ... import rules
from ...models import DialogueEvent, DialogueQuestion, DialogueSession
from ..petitions.common import clean_text

NOTE_LENGTH = 2000

__all__ = ["NOTE_LENGTH", "bump", "check", "clean_text", "lock", "lock_question", "record", "search_key"]


def lock(session: DialogueSession) -> DialogueSession:
    """The session's row, locked until the caller's transaction ends."""
    return DialogueSession.objects.select_for_update().select_related("organiser").get(pk=session.pk)


def lock_question(question: DialogueQuestion) -> tuple[DialogueSession, DialogueQuestion]:
    """The session locked first (always in this order: no deadlock), then the question's row."""
    session = lock(question.session)
    row = DialogueQuestion.objects.select_for_update().get(pk=question.pk)
    row.session = session
    return session, row


def check(target, action: str, by) -> None:
    """Refuse the wrong moment (409) before the wrong person (403), as petitions do."""
    if not rules.dialogue_action_possible(target, action):
        raise ActionRefused(_("This cannot be done to this session or question now."))
    if not rules.dialogue_action_allowed(target, action, by):
        raise PermissionDenied(_("You may not do this in this dialogue session."))


def bump(session: DialogueSession) -> int:
    """The public view changed: the session's next revision, written now (in the caller's transaction,
    the row locked by ``lock``), and returned for the rows that changed to keep as their ``sequence``."""
    DialogueSession.objects.filter(pk=session.pk).update(revision=F("revision") + 1)
    session.revision = DialogueSession.objects.values_list("revision", flat=True).get(pk=session.pk)
    return session.revision


def record(session, action: str, *, by, question=None, commitment=None, note="", request=None, **detail):
    """The step (who, when, what, why) and its audit entry (``dialogue.<action>``)."""
    event = DialogueEvent.objects.create(
        session=session, question=question, commitment=commitment, action=action, actor=by,
        at=timezone.now(), note=note,
    )  # fmt: skip
    target = question or session
    audit.record(
        f"dialogue.{action}", actor=by, request=request, target=target,
        target_label=f"dialogue-{session.pk}" + (f"-q{question.pk}" if question else ""), **detail,
    )  # fmt: skip
    return event


def search_key(question: DialogueQuestion) -> str:
    return fold(" ".join((question.theme, question.content, question.answer)))
