"""Who may do what to a dossier, and when: the one table the state machine, the API and the pages read.

An action is possible when the dossier's status and its current step allow it (``possible``), and allowed
to a person when they hold the right role in the agency that holds the dossier now (``allowed``). A refused
action says which of the two failed: the wrong moment is a conflict (409), the wrong person a 403/404.
"""

from dataclasses import dataclass

from motcua.accounts.models import OfficerMembership, OfficerRole

from .models import DossierAction, DossierStatus, DossierStep, StepKind

S = DossierStatus
A = DossierAction
K = StepKind

# Before a decision: what an applicant may still withdraw.
UNDECIDED = {S.SUBMITTED, S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}
IN_HAND = {S.RECEIVED, S.PROCESSING, S.PAYMENT_REQUESTED}


@dataclass(frozen=True)
class Rule:
    statuses: frozenset
    kinds: frozenset | None  # kinds of the current step; None: any
    who: str  # "desk", "leader", "records", "step", "assigner", "applicant", "requester"


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
    A.NUMBER_RESULT: _rule({S.PROCESSING}, {K.RECORDS}, "records"),
    A.RETURN_RESULT: _rule({S.RESULT_READY}, {K.RETURN}, "desk"),
    A.STOP: _rule({S.RECEIVED, S.PROCESSING, S.SUPPLEMENT_REQUESTED, S.PAYMENT_REQUESTED}, None, "leader"),
    A.WITHDRAW: _rule(UNDECIDED, {K.RECEPTION, K.PROCESSING, K.APPROVAL}, "applicant"),
}
OFFICER_ACTIONS = [a for a, r in RULES.items() if r.who != "applicant"]


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
        return getattr(user, "is_authenticated", False) and user.pk in (
            dossier.applicant_id,
            dossier.submitted_by_id,
        )
    agency = dossier.current_agency_id
    if rule.who == "desk":
        return roles.has(agency, OfficerRole.DESK)
    if rule.who == "leader":
        return roles.has(agency, OfficerRole.LEADER)
    if rule.who == "records":
        return roles.has(agency, OfficerRole.RECORDS)
    if rule.who == "assigner":
        return roles.has(agency, OfficerRole.LEADER, OfficerRole.AGENCY_ADMIN)
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
