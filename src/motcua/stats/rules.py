"""Who sees which statistics in the back office and the API, and which dossiers behind a figure.

- An officer sees the figures of each agency of their memberships, rolled up with the agencies under it;
  a leader also opens each agency under theirs on its own (a department's leader, a district's figures).
- A system administrator sees the province as a whole and any agency.
- The dossiers behind a figure (``behind.dossier_ids``) are listed only where the user may open them in the
  back office (``dossiers.rules.officer_dossiers``, as the dossier page finds them): never a dossier of
  another agency, whatever scope is asked. A figure of a parent agency may count dossiers of the agencies
  under it that its officers do not open: the list leaves those out and says how many.
The public figures (``/thong-ke/``, ``GET /api/v1/stats/indicators/``) are not ruled here: anyone sees them.
"""

from datetime import datetime

from django.db.models import QuerySet

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerRole
from motcua.catalog import selectors as catalog
from motcua.catalog.models import Agency
from motcua.dossiers import rules as dossier_rules
from motcua.dossiers.models import Dossier

from .behind import dossier_ids
from .periods import Period
from .scope import Scope, under


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def agencies(user) -> QuerySet[Agency]:
    """The agencies whose statistics ``user`` may open (each rolled up with what is under it)."""
    if not _active(user):
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.filter(is_active=True).order_by("order", "name")
    found = set(account_selectors.officer_agencies(user).values_list("pk", flat=True))
    led = account_selectors.officer_agencies(user, role=OfficerRole.LEADER).values_list("pk", flat=True)
    if led:
        tree = catalog.agency_parents()
        for agency in led:
            found |= under(tree, agency)
    return Agency.objects.filter(pk__in=found, is_active=True).order_by("order", "name")


def may_see_statistics(user) -> bool:
    return _active(user) and (user.is_superuser or agencies(user).exists())


def may_see(user, scope: Scope) -> bool:
    """Whether ``user`` may open the figures of ``scope`` and the dossiers behind them: the province only for
    a system administrator, an agency when it is one of ``agencies(user)``."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    if scope.agency_id is None:
        return False
    return agencies(user).filter(pk=scope.agency_id).exists()


def default_agency(user) -> Agency | None:
    """The unit a page opens on: the officer's first agency (by display order); the province (None) for a
    system administrator."""
    if not _active(user) or user.is_superuser:
        return None
    own = account_selectors.officer_agencies(user).filter(is_active=True)
    return own.order_by("order", "name").first()


def _behind(figure: str, period: Period, scope: Scope, now: datetime | None, direct: bool) -> QuerySet:
    rows = Dossier.objects.filter(pk__in=dossier_ids(figure, period, scope, now))
    if direct and scope.agency_id is not None:
        # The agency's own dossiers, not those of the agencies under it (the ledger's agency is the
        # dossier's receiving agency): the row of the agency itself in a table by agency.
        rows = rows.filter(agency_id=scope.agency_id)
    return rows


def dossiers_behind(
    user, figure: str, period: Period, scope: Scope, now: datetime | None = None, *, direct: bool = False
) -> QuerySet[Dossier]:
    """The dossiers ``figure`` counts for ``period`` and ``scope`` that ``user`` may open; none when
    ``may_see(user, scope)`` is false (callers check it first and answer "not found" or "forbidden")."""
    if not may_see(user, scope):
        return Dossier.objects.none()
    seen = Dossier.objects.all() if user.is_superuser else dossier_rules.officer_dossiers(user)
    return seen.filter(pk__in=_behind(figure, period, scope, now, direct).values("pk"))


def counted(
    figure: str, period: Period, scope: Scope, now: datetime | None = None, *, direct: bool = False
) -> int:
    """How many dossiers ``figure`` counts, seen or not: the list says how many it leaves out."""
    return _behind(figure, period, scope, now, direct).count()
