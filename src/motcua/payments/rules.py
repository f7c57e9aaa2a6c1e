"""Who may do what with a dossier's payments: the one table the pages, the API and the services read.

- the applicant, and who sent the dossier for them, pay and see their own payments;
- officers of an agency that handles the dossier see its charges and payments; the officer holding its
  step asks for a payment (``dossiers.rules``, action ``request_payment``);
- finance officers (kế toán) of the receiving agency refund and see the totals;
- the finance page and totals (``totals_agencies``): finance officers and leaders, for their agencies and
  every agency under them in the tree; a bank statement is imported only by a finance officer of the
  agency whose account it is (``may_import_statement``);
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


def totals_agencies(user) -> QuerySet:
    """The agencies whose totals and payments ``user`` sees on the finance page: where they are a finance
    officer or a leader, and every agency below those in the tree (a province's department sees its
    districts'). Nobody else, a system administrator included, sees money here through this page."""
    from motcua.catalog.models import Agency

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    roots = set(
        account_selectors.officer_agencies(user, role=OfficerRole.FINANCE).values_list("pk", flat=True)
    ) | set(account_selectors.officer_agencies(user, role=OfficerRole.LEADER).values_list("pk", flat=True))
    found, frontier = set(roots), set(roots)
    while frontier:  # the tree is a few levels deep
        frontier = set(Agency.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return Agency.objects.filter(pk__in=found).order_by("name")


def may_import_statement(user, account) -> bool:
    """Only a finance officer of the agency that owns ``account`` imports its bank statement."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return is_finance_officer(user, account.agency_id)


def statement_accounts(user) -> QuerySet:
    """The VietQR accounts whose statements ``user`` may import."""
    from .models import GatewayAccount

    return GatewayAccount.objects.filter(gateway="vietqr", agency__in=finance_agencies(user)).select_related(
        "agency"
    )


def visible_payments(user) -> QuerySet[Payment]:
    """Every payment ``user`` may read: those of the dossiers they may read (``dossiers.rules``)."""
    dossiers = dossier_rules.visible_dossiers(user).values("pk")
    return Payment.objects.filter(Q(dossier__in=dossiers))
