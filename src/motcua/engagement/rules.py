"""Who may do what in engagement: the one place the pages, the API and the services ask.

Petitions (phản ánh, kiến nghị): ``PETITION_RULES`` (action -> statuses, roles, where the role must be held),
``petition_action_allowed``, ``visible_petitions`` (what an officer may open), ``is_sender``.

Ratings (đánh giá mức độ hài lòng): the applicant rates their own dossier once it has ended in a way they
lived through (``RATEABLE``); the applicant and the officers of the dossier's receiving agency read the
rating; nobody changes it.
"""

from dataclasses import dataclass

from django.db.models import QuerySet

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerMembership, OfficerRole
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Agency
from motcua.dossiers import rules as dossier_rules
from motcua.dossiers.models import DossierStatus

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


# --- consultations (góp ý dự thảo): their own module, re-exported here -----------------------------------
from .consultation_rules import *  # noqa: E402, F403
