"""Who may do what in engagement: the one place the pages, the API and the services ask.

Petitions (phản ánh, kiến nghị): ``PETITION_RULES`` (action -> statuses, roles, where the role must be held),
``petition_action_allowed``, ``visible_petitions`` (what an officer may open), ``is_sender``.

Ratings (đánh giá mức độ hài lòng): the applicant rates their own dossier once it has ended in a way they
lived through (``RATEABLE``); the applicant and the officers of the dossier's receiving agency read the
rating; nobody changes it.

Dialogue sessions (đối thoại trực tuyến): ``DIALOGUE_RULES`` (action -> question statuses, who, when),
``dialogue_action_allowed``, ``may_organise``, ``may_mark_done``, ``visible_sessions``,
``accepting_questions``.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerMembership, OfficerRole
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Agency
from motcua.dossiers import rules as dossier_rules
from motcua.dossiers.models import DossierStatus

from .models.dialogues import DialogueAction, DialogueQuestion, DialogueSession, QuestionStatus
from .models.petitions import Petition, PetitionAction, PetitionStatus

# Ended with a result handed over, a refusal at the desk, or processing stopped: the applicant has
# something to judge. Not a withdrawal (their own act), a draft, or a dossier still in progress.
RATEABLE = frozenset({DossierStatus.RETURNED, DossierStatus.REFUSED, DossierStatus.STOPPED})


def may_rate(dossier, user) -> bool:
    """Whether ``user`` is the dossier's applicant (``dossiers.rules.is_own``), and not merely who sent it
    for them: at the desk the sender is the officer who registered it, who never rates their own work."""
    return (
        dossier_rules.is_own(dossier, user)
        and user.is_active
        and dossier.applicant_id is not None
        and dossier.applicant_id == user.pk
    )


def rateable_now(dossier) -> bool:
    return dossier.status in RATEABLE


def rating_agencies(user) -> QuerySet[Agency]:
    """The agencies whose ratings ``user`` reads as an officer (all of them for a system administrator)."""
    return account_selectors.officer_agencies(user)


def may_read_rating(rating, user) -> bool:
    """The applicant of the rated dossier, or an officer of its receiving agency."""
    if dossier_rules.is_own(rating.dossier, user):
        return True
    return rating_agencies(user).filter(pk=rating.agency_id).exists()


# --- petitions (phản ánh, kiến nghị) -----------------------------------------------------------------------
#
# Roles are held in an agency (``accounts.OfficerMembership``). A moderator (the reception, tiếp nhận) works
# on the petitions in charge of their agency or of any agency under it: routes them down the tree, declines,
# merges duplicates, gives them to a handler and publishes answers. A handler drafts answers for the
# petitions in charge of their own agency. A leader of that agency gives them out, drafts, sends a draft back
# and approves the answer (ký duyệt), which sends it. The sender (the account that sent it) rates the answer.

P = PetitionStatus
PA = PetitionAction
MODERATOR, HANDLER, LEADER = OfficerRole.MODERATOR, OfficerRole.HANDLER, OfficerRole.LEADER


@dataclass(frozen=True)
class PetitionRule:
    statuses: frozenset
    roles: frozenset  # roles that may take it
    reach: str  # "tree": in the agency in charge or above it; "own": in the agency in charge itself


def _petition_rule(statuses, roles, reach) -> PetitionRule:
    return PetitionRule(frozenset(statuses), frozenset(roles), reach)


PETITION_RULES: dict[str, PetitionRule] = {
    PA.ROUTE: _petition_rule({P.RECEIVED, P.IN_HAND}, {MODERATOR}, "tree"),
    PA.RETURN_TO_RECEPTION: _petition_rule({P.IN_HAND}, {MODERATOR, HANDLER, LEADER}, "own"),
    PA.DECLINE: _petition_rule({P.RECEIVED, P.IN_HAND}, {MODERATOR}, "tree"),
    PA.MERGE: _petition_rule({P.RECEIVED, P.IN_HAND}, {MODERATOR}, "tree"),
    PA.ASSIGN: _petition_rule({P.IN_HAND}, {MODERATOR, LEADER}, "own"),
    PA.PROPOSE_ANSWER: _petition_rule({P.IN_HAND}, {HANDLER, LEADER}, "own"),
    PA.SEND_BACK: _petition_rule({P.AWAITING_APPROVAL}, {LEADER}, "own"),
    PA.APPROVE_ANSWER: _petition_rule({P.AWAITING_APPROVAL}, {LEADER}, "own"),
    PA.PUBLISH: _petition_rule({P.ANSWERED}, {MODERATOR, LEADER}, "tree"),
    PA.UNPUBLISH: _petition_rule({P.ANSWERED}, {MODERATOR, LEADER}, "tree"),
}
OFFICER_PETITION_ACTIONS = list(PETITION_RULES)
PETITION_ROLES = frozenset({MODERATOR, HANDLER, LEADER})


class PetitionRoles:
    """The engagement roles one user holds, per agency, read once for all the checks of a request."""

    def __init__(self, user):
        self.user = user
        self.by_agency: dict[int, set[str]] = {}
        if getattr(user, "is_authenticated", False) and user.is_active:
            rows = OfficerMembership.objects.filter(user=user, role__in=PETITION_ROLES)
            for agency_id, role in rows.values_list("agency_id", "role"):
                self.by_agency.setdefault(agency_id, set()).add(role)
        self._parents: dict[int, int | None] | None = None

    def _above(self, agency_id: int) -> list[int]:
        """``agency_id`` and every agency above it, nearest first."""
        if self._parents is None:
            self._parents = catalog_selectors.agency_parents()
        chain, node = [], agency_id
        while node is not None and node not in chain:
            chain.append(node)
            node = self._parents.get(node)
        return chain

    def holds(self, agency_id: int, roles, reach: str = "own") -> bool:
        """Whether the user holds one of ``roles`` in ``agency_id`` (or, with reach "tree", above it)."""
        places = self._above(agency_id) if reach == "tree" else [agency_id]
        return any(self.by_agency.get(place, set()) & set(roles) for place in places)

    def agencies_with(self, *roles) -> set[int]:
        return {agency for agency, held in self.by_agency.items() if held & set(roles)}


def petition_action_possible(petition, action: str) -> bool:
    rule = PETITION_RULES.get(action)
    return rule is not None and petition.status in rule.statuses


def petition_action_allowed(petition, action: str, user, roles: PetitionRoles | None = None) -> bool:
    """Whether ``user`` may take ``action`` on ``petition`` now: the moment (its status) and the person (a
    role the action needs, where the action needs it). Publication also needs the sender's consent, and a
    proposed answer may only be drafted by the handler it was given to (or a leader)."""
    rule = PETITION_RULES.get(action)
    if rule is None or petition.status not in rule.statuses:
        return False
    roles = roles or PetitionRoles(user)
    if not roles.holds(petition.agency_id, rule.roles, rule.reach):
        return False
    if action == PA.PUBLISH and (not petition.consent_to_publish or petition.published_at is not None):
        return False
    if action == PA.UNPUBLISH and petition.published_at is None:
        return False
    if action == PA.PROPOSE_ANSWER and petition.handler_id not in (None, user.pk):
        return roles.holds(petition.agency_id, {LEADER})
    return True


def petition_actions_for(petition, user) -> list[str]:
    """The actions ``user`` may take on ``petition`` now, in the table's order (the page's buttons)."""
    roles = PetitionRoles(user)
    return [action for action in PETITION_RULES if petition_action_allowed(petition, action, user, roles)]


def route_targets(user, roles: PetitionRoles | None = None) -> set[int]:
    """The agencies ``user`` may route petitions to: those where they are a moderator, and every agency
    under them (the back office's choice of agencies)."""
    roles = roles or PetitionRoles(user)
    return catalog_selectors.agencies_under(roles.agencies_with(MODERATOR))


def may_route_to(agency_id: int, user, roles: PetitionRoles | None = None) -> bool:
    """A moderator routes into their own agency or any agency under it."""
    return agency_id in route_targets(user, roles)


def visible_petitions(user) -> QuerySet:
    """The petitions ``user`` may open in the back office: those in charge of an agency where they hold an
    engagement role, and, for moderators and leaders, of every agency under it. A system administrator sees
    them all. (The sender reads their own through ``own_petitions``; the public, published answers only.)"""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Petition.objects.none()
    if user.is_superuser:
        return Petition.objects.all()
    roles = PetitionRoles(user)
    reach = catalog_selectors.agencies_under(roles.agencies_with(MODERATOR, LEADER))
    reach |= roles.agencies_with(HANDLER)
    return Petition.objects.filter(agency_id__in=reach)


def may_open_petition(petition, user) -> bool:
    return visible_petitions(user).filter(pk=petition.pk).exists()


def is_sender(petition, user) -> bool:
    """The account that sent it (an anonymous one has none, and nobody is its sender)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and petition.sender_id is not None
        and petition.sender_id == user.pk
    )


def may_rate_answer(petition, user) -> bool:
    return (
        is_sender(petition, user) and petition.status == PetitionStatus.ANSWERED and petition.rated_at is None
    )


def may_send_petition(user) -> bool:
    """A petition (kiến nghị) comes from a signed-in citizen or business; feedback from anyone."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# --- dialogue sessions (đối thoại trực tuyến) --------------------------------------------------------------
#
# A moderator of the organising agency, or of an agency above it, prepares and announces the session,
# opens and closes its intake, and moderates the questions: approves, rejects (why, kept internal), merges
# duplicates, groups them by theme and gives each to a leader of the session. A leader named on the session
# answers the questions given to them, from the start of the session until ``ANSWER_GRACE`` after its end
# (to finish the transcript); the secretary named beside a leader types answers on that leader's behalf.
# Commitments made in an answer are recorded by the moderators, the answering leader or their secretary,
# and marked done by the same people or by the engagement officers of the agency in charge of it.

Q_ = QuestionStatus
DA = DialogueAction
ANSWER_GRACE = timedelta(days=1)


@dataclass(frozen=True)
class DialogueRule:
    statuses: frozenset  # the question's statuses that allow it (empty: not about a question)
    who: frozenset  # "moderator" (of the session), "leader" (the question's leader, or their secretary)
    when: str  # "any"; "moderation": until the grace after the end; "answering": from the start until then


def _dialogue_rule(statuses, who, when) -> DialogueRule:
    return DialogueRule(frozenset(statuses), frozenset(who), when)


DIALOGUE_RULES: dict[str, DialogueRule] = {
    DA.UPDATE: _dialogue_rule((), {"moderator"}, "any"),
    DA.ANNOUNCE: _dialogue_rule((), {"moderator"}, "moderation"),
    DA.OPEN_QUESTIONS: _dialogue_rule((), {"moderator"}, "moderation"),
    DA.CLOSE_QUESTIONS: _dialogue_rule((), {"moderator"}, "any"),
    DA.APPROVE: _dialogue_rule({Q_.PENDING}, {"moderator"}, "moderation"),
    DA.REJECT: _dialogue_rule({Q_.PENDING, Q_.APPROVED}, {"moderator"}, "moderation"),
    DA.MERGE: _dialogue_rule({Q_.PENDING, Q_.APPROVED}, {"moderator"}, "moderation"),
    DA.SET_THEME: _dialogue_rule({Q_.PENDING, Q_.APPROVED, Q_.ANSWERED}, {"moderator"}, "any"),
    DA.ASSIGN: _dialogue_rule({Q_.APPROVED}, {"moderator"}, "moderation"),
    DA.ANSWER: _dialogue_rule({Q_.APPROVED}, {"leader"}, "answering"),
    DA.EDIT_ANSWER: _dialogue_rule({Q_.ANSWERED}, {"leader"}, "answering"),
    DA.COMMIT: _dialogue_rule({Q_.ANSWERED}, {"moderator", "leader"}, "any"),
}
SESSION_ACTIONS = [a for a, rule in DIALOGUE_RULES.items() if not rule.statuses]
QUESTION_ACTIONS = [a for a, rule in DIALOGUE_RULES.items() if rule.statuses]


def is_moderator(session, user, roles: PetitionRoles | None = None) -> bool:
    """A moderator of the organising agency or above it (a system administrator too)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return (roles or PetitionRoles(user)).holds(session.organiser_id, {MODERATOR}, "tree")


def may_organise(agency_id: int, user) -> bool:
    """Whether ``user`` may create a session organised by ``agency_id``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or PetitionRoles(user).holds(agency_id, {MODERATOR}, "tree")


def organiser_choices(user) -> set[int]:
    """The agencies ``user`` may organise sessions for: where they moderate, and every agency under it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Agency.objects.filter(is_active=True).values_list("pk", flat=True))
    return catalog_selectors.agencies_under(PetitionRoles(user).agencies_with(MODERATOR))


def leader_row(session, leader_id):
    """The session's row of the leader ``leader_id`` (with their secretary), or None."""
    if leader_id is None:
        return None
    return session.leader_rows.filter(leader_id=leader_id).first()


def acts_for(session, leader_id, user) -> bool:
    """Whether ``user`` answers for the leader ``leader_id`` of ``session``: the leader themself or the
    secretary named beside them on it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    row = leader_row(session, leader_id)
    return row is not None and user.pk in (row.leader_id, row.secretary_id)


def answering_window(session, now) -> bool:
    return session.announced_at is not None and session.starts_at <= now < session.ends_at + ANSWER_GRACE


def _in_time(session, when: str, now) -> bool:
    if when == "answering":
        return answering_window(session, now)
    if when == "moderation":
        return now < session.ends_at + ANSWER_GRACE
    return True


def dialogue_action_possible(target, action: str, now=None) -> bool:
    """The moment: the question's status and the session's time allow ``action`` (``target`` is a
    question, or the session for the session's own actions)."""
    rule = DIALOGUE_RULES.get(action)
    if rule is None:
        return False
    session = target.session if rule.statuses else target
    if rule.statuses and target.status not in rule.statuses:
        return False
    if action == DA.ANNOUNCE and session.announced_at is not None:
        return False
    if action == DA.OPEN_QUESTIONS and session.questions_open:
        return False
    if action == DA.CLOSE_QUESTIONS and not session.questions_open:
        return False
    return _in_time(session, rule.when, now or timezone.now())


def dialogue_action_allowed(target, action: str, user, now=None, roles: PetitionRoles | None = None) -> bool:
    """Whether ``user`` may take ``action`` on ``target`` (a question, or the session) now: the moment
    (``dialogue_action_possible``) and the person (the session's moderator; the question's leader, the
    one it is given to for an answer, the one who answered for an edit or a commitment, or their
    secretary)."""
    if not dialogue_action_possible(target, action, now):
        return False
    rule = DIALOGUE_RULES[action]
    session = target.session if rule.statuses else target
    if "moderator" in rule.who and is_moderator(session, user, roles):
        return True
    if "leader" in rule.who:
        leader_id = target.assigned_to_id if action == DA.ANSWER else target.answered_by_id
        return acts_for(session, leader_id, user)
    return False


def dialogue_actions_for(target, user, now=None) -> list[str]:
    """The actions ``user`` may take on ``target`` now, in the table's order (the page's forms)."""
    names = QUESTION_ACTIONS if isinstance(target, DialogueQuestion) else SESSION_ACTIONS
    roles = PetitionRoles(user)
    return [a for a in names if dialogue_action_allowed(target, a, user, now, roles)]


def may_mark_done(commitment, user) -> bool:
    """The session's moderators, the leader who made it or their secretary, and the engagement officers
    of the agency in charge of it, while it is not done."""
    if commitment.done_at is not None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    session = commitment.session
    roles = PetitionRoles(user)
    return (
        is_moderator(session, user, roles)
        or acts_for(session, commitment.leader_id, user)
        or roles.holds(commitment.agency_id, PETITION_ROLES)
    )


def visible_sessions(user) -> QuerySet:
    """The sessions ``user`` works on in the back office: those organised by an agency they moderate (or
    one under it), those where they are a leader or a secretary, and those with a commitment in charge of
    an agency where they hold an engagement role. All for a system administrator."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return DialogueSession.objects.none()
    if user.is_superuser:
        return DialogueSession.objects.all()
    roles = PetitionRoles(user)
    reach = catalog_selectors.agencies_under(roles.agencies_with(MODERATOR))
    return DialogueSession.objects.filter(
        Q(organiser_id__in=reach)
        | Q(leader_rows__leader=user)
        | Q(leader_rows__secretary=user)
        | Q(commitments__agency_id__in=list(roles.by_agency))
    ).distinct()


def may_open_session(session, user) -> bool:
    return visible_sessions(user).filter(pk=session.pk).exists()


def accepting_questions(session, now=None) -> bool:
    """Questions are taken while the session is announced, not finished, and its intake open."""
    now = now or timezone.now()
    return session.announced_at is not None and session.questions_open and now < session.ends_at


# --- consultations (góp ý dự thảo): their own module, re-exported here -----------------------------------
from .consultation_rules import *  # noqa: E402, F403
