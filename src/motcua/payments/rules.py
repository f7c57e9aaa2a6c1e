"""Who may do what with a dossier's payments: the one table the pages, the API and the services read.

- the applicant, and who sent the dossier for them, pay and see their own payments;
- officers of an agency that handles the dossier see its charges and payments; the officer holding its
  step asks for a payment (``dossiers.rules``, action ``request_payment``);
- finance officers (kế toán) of the receiving agency refund and see the totals;
- nobody else. A dossier or payment someone may not see is "not found" to them, never "forbidden".
"""

from django.db.models import Q, QuerySet

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerRole
from motcua.dossiers import rules as dossier_rules

from .models import Payment

PAY = "pay"
SEE = "see"
REFUND = "refund"
SEE_TOTALS = "see_totals"

# action -> who: "applicant" (the dossier's own people), "reader" (anyone who may read the dossier),
# "finance" (a finance officer of the agency that received the dossier, and so was paid).
RULES = {
    PAY: "applicant",
    SEE: "reader",
    REFUND: "finance",
    SEE_TOTALS: "finance",
}


def allowed(action: str, dossier, user) -> bool:
    """Whether ``user`` may take ``action`` on the payments of ``dossier``."""
    who = RULES[action]
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if who == "applicant":
        return dossier_rules.is_own(dossier, user)
    if who == "reader":
        return dossier_rules.may_read(dossier, user)
    if who == "finance":
        return is_finance_officer(user, dossier.agency_id)
    return False


def is_finance_officer(user, agency_id) -> bool:
    return dossier_rules.Roles(user).has(agency_id, OfficerRole.FINANCE)


def finance_agencies(user):
    """The agencies whose totals ``user`` may see."""
    return account_selectors.officer_agencies(user, role=OfficerRole.FINANCE)


def visible_payments(user) -> QuerySet[Payment]:
    """Every payment ``user`` may read: those of the dossiers they may read (``dossiers.rules``)."""
    dossiers = dossier_rules.visible_dossiers(user).values("pk")
    return Payment.objects.filter(Q(dossier__in=dossiers))
