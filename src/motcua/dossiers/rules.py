"""Who may do what to a dossier, and when: the one table the state machine, the API and the pages read.

An action is possible when the dossier's status and its current step allow it (``possible``), and allowed
to a person when they hold the right role in the agency that holds the dossier now (``allowed``). A refused
action says which of the two failed: the wrong moment is a conflict (409), the wrong person a 403/404.

Every other permission on a dossier is here too: who may read which dossiers (``visible_dossiers``, the
one query every page and endpoint filters by), change a draft (``may_edit``), register at the counter
(``may_register_at_counter``), ask for a third supplement (``may_request_supplement_again``), comment
(``may_comment``) and send an apology letter (``may_send_apology``).
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerMembership, OfficerRole

from .models import Dossier, DossierAction, DossierStatus, DossierStep, StepKind

S = DossierStatus
A = DossierAction
K = StepKind

# Before a decision: what an applicant may still withdraw.
UNDECIDED = {S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}
IN_HAND = {S.RECEIVED, S.PROCESSING, S.PAYMENT_REQUESTED}
# Who gives a step to an officer of the unit (phân công): its leaders and administrators.
ASSIGNERS = frozenset({OfficerRole.LEADER, OfficerRole.AGENCY_ADMIN})


@dataclass(frozen=True)
class Rule:
    statuses: frozenset
    kinds: frozenset | None  # kinds of the current step; None: any
    who: str  # "desk", "leader", "records", "step", "assigner", "applicant", "requester", "system"


def _rule(statuses, kinds, who) -> Rule:
    return Rule(frozenset(statuses), frozenset(kinds) if kinds is not None else None, who)


RULES: dict[str, Rule] = {
    A.RECEIVE: _rule({S.SUBMITTED}, {K.RECEPTION}, "desk"),
    A.REFUSE: _rule({S.SUBMITTED}, {K.RECEPTION}, "desk"),
    A.REQUEST_SUPPLEMENT: _rule(
        {S.SUBMITTED, S.RECEIVED, S.PROCESSING}, {K.RECEPTION, K.PROCESSING}, "requester"
    ),
    A.SUPPLEMENT: _rule({S.SUPPLEMENT_REQUESTED}, None, "applicant"),
    A.ASSIGN: _rule(IN_HAND, {K.PROCESSING}, "assigner"),
    A.FORWARD: _rule(IN_HAND, {K.PROCESSING}, "step"),
    A.PROPOSE: _rule(IN_HAND, {K.PROCESSING}, "step"),
    A.SEND_BACK: _rule(IN_HAND, {K.PROCESSING, K.APPROVAL}, "step"),
    A.APPROVE: _rule({S.RECEIVED, S.PROCESSING}, {K.APPROVAL}, "leader"),
    A.REJECT: _rule({S.RECEIVED, S.PROCESSING}, {K.PROCESSING, K.APPROVAL}, "leader"),
    A.REQUEST_PAYMENT: _rule({S.RECEIVED, S.PROCESSING}, {K.PROCESSING}, "step"),
    # Taken by payments when the last requested charge is paid (or waived), never by a person.
    A.PAYMENT_RECEIVED: _rule({S.PAYMENT_REQUESTED}, None, "system"),
    A.NUMBER_RESULT: _rule({S.PROCESSING}, {K.RECORDS}, "records"),
    A.RETURN_RESULT: _rule({S.RESULT_READY}, {K.RETURN}, "desk"),
    A.STOP: _rule({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}, None, "leader"),
    A.WITHDRAW: _rule(UNDECIDED, {K.RECEPTION, K.PROCESSING, K.APPROVAL}, "applicant"),
}
OFFICER_ACTIONS = [a for a, r in RULES.items() if r.who not in ("applicant", "system")]


class Roles:
    """The roles one user holds, per agency, read once for all the checks of a request."""

    def __init__(self, user):
        self.user = user
        self.by_agency: dict[int, set[str]] = {}
        if getattr(user, "is_authenticated", False) and user.is_active:
            for agency_id, role in OfficerMembership.objects.filter(user=user).values_list(
                "agency_id", "role"
            ):
                self.by_agency.setdefault(agency_id, set()).add(role)

    def has(self, agency_id, *roles) -> bool:
        return bool(self.by_agency.get(agency_id, set()) & set(roles))


def possible(action: str, dossier, step: DossierStep | None) -> bool:
    rule = RULES.get(action)
    if rule is None or dossier.status not in rule.statuses:
        return False
    return not (rule.kinds is not None and (step is None or step.kind not in rule.kinds))


def allowed(action: str, dossier, step: DossierStep | None, roles: Roles) -> bool:
    """Whether the person behind ``roles`` may take ``action`` (assuming it is possible now)."""
    rule = RULES[action]
    user = roles.user
    if rule.who == "applicant":
        return is_own(dossier, user)
    agency = dossier.current_agency_id
    if rule.who == "desk":
        return roles.has(agency, OfficerRole.DESK)
    if rule.who == "leader":
        return roles.has(agency, OfficerRole.LEADER)
    if rule.who == "records":
        return roles.has(agency, OfficerRole.RECORDS)
    if rule.who == "assigner":
        return roles.has(agency, *ASSIGNERS)
    if rule.who == "requester":
        # The desk of the receiving agency, or whoever handles the current step.
        return roles.has(dossier.agency_id, OfficerRole.DESK) or _step_holder(step, agency, roles)
    if rule.who == "step":
        return _step_holder(step, agency, roles)
    return False


def _step_holder(step, agency_id, roles: Roles) -> bool:
    """The step's role in the holding agency (only the assignee, once assigned), or that agency's leader."""
    if step is None:
        return False
    if roles.has(agency_id, OfficerRole.LEADER):
        return True
    if not roles.has(agency_id, step.role):
        return False
    return step.assignee_id in (None, roles.user.pk)


def _roles(user_or_roles) -> Roles:
    return user_or_roles if isinstance(user_or_roles, Roles) else Roles(user_or_roles)


# --- reading ------------------------------------------------------------------------------------------------


def is_officer(user) -> bool:
    """Whether ``user`` belongs to an agency; asked once per user object (one request's)."""
    if not getattr(user, "is_authenticated", False):
        return False
    known = getattr(user, "_motcua_is_officer", None)
    if known is None:
        known = OfficerMembership.objects.filter(user=user).exists()
        user._motcua_is_officer = known
    return known


def _handled_by(agencies) -> Q:
    """Dossiers an agency received, holds now, or handled at some step (liên thông); never drafts."""
    handled = Exists(DossierStep.objects.filter(dossier=OuterRef("pk"), agency__in=agencies))
    return (Q(agency__in=agencies) | Q(current_agency__in=agencies) | Q(handled)) & ~Q(status=S.DRAFT)


def visible_dossiers(user) -> QuerySet[Dossier]:
    """Every dossier ``user`` may read. An applicant reads the dossiers filed for them and those they sent
    for someone else (drafts only their own); an officer the dossiers their agencies received, hold or
    handled; a system administrator every dossier. Anything else is "not found" to the caller, never
    "forbidden", so that codes do not leak."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Dossier.objects.none()
    if user.is_superuser:
        return Dossier.objects.all()
    own = Q(applicant=user) | Q(submitted_by=user)
    if not is_officer(user):
        return Dossier.objects.filter(own)
    agencies = account_selectors.officer_agencies(user).values("pk")
    return Dossier.objects.filter(own | _handled_by(agencies))


def officer_dossiers(user) -> QuerySet[Dossier]:
    """Dossiers the agencies ``user`` works for received, hold or handled (never drafts)."""
    agencies = account_selectors.officer_agencies(user).values("pk")
    return Dossier.objects.filter(_handled_by(agencies))


def may_read(dossier, user) -> bool:
    return visible_dossiers(user).filter(pk=dossier.pk).exists()


def is_own(dossier, user) -> bool:
    """Whether ``user`` is the dossier's applicant or sent it for them: their own data, not someone else's."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.pk in (dossier.applicant_id, dossier.submitted_by_id)


# --- the other permissions ----------------------------------------------------------------------------------


def may_edit(dossier, user) -> bool:
    """Whether ``user`` may change the dossier's draft or send it: the applicant or who acts for them."""
    return is_own(dossier, user) and user.is_active


def may_register_at_counter(agency, user) -> bool:
    """A desk officer of ``agency`` registers the dossiers handed in there in person or by post."""
    return _roles(user).has(getattr(agency, "pk", agency), OfficerRole.DESK)


def may_request_supplement_again(dossier, user) -> bool:
    """After two supplement requests (Decree 63/2010 Art. 20(4)) only a leader of the agency holding the
    dossier asks again, recording why."""
    return dossier.supplement_count < 2 or _roles(user).has(dossier.current_agency_id, OfficerRole.LEADER)


def may_send_apology(dossier, user) -> bool:
    """A leader of the agency holding the dossier (the receiving one once nobody holds it) sends its
    apology letter (form 04)."""
    return _roles(user).has(dossier.current_agency_id or dossier.agency_id, OfficerRole.LEADER)


def may_comment(dossier, user) -> bool:
    """Officers who may read the dossier write internal comments on it; applicants never see them."""
    return is_officer(user) and may_read(dossier, user)
