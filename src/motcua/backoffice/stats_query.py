"""What the officers' statistics pages are asked for (kỳ báo cáo, đơn vị): a period, a unit, a sector, a
procedure, read from the query string and checked, and written back into the links of every figure.

Query parameters: ``ky`` (month, quarter, half, nine_months, year, range; default the year), ``nam``,
``thang``, ``quy``, ``tu-ngay`` and ``den-ngay`` (for a range), ``co-quan`` (an agency's slug or code; the
officer's first unit by default, the province for a system administrator), ``linh-vuc`` (a sector's slug or
code), ``thu-tuc`` (a procedure's code), ``rieng=1`` (the agency's own dossiers, without those under it).
An agency the user may not open is "not found" (``stats.rules``); any other bad value is an error on the page.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Agency, Procedure, Sector
from motcua.core.text import whole_number
from motcua.stats import rules as stats_rules
from motcua.stats.periods import KINDS, Period, PeriodError
from motcua.stats.scope import Scope
from motcua.stats.selection import ScopeError, scope_from

NUMBERED = {"month": "thang", "quarter": "quy"}  # the kinds of period that need a number, and its field


@dataclass
class Selection:
    """A checked period and scope, with the objects the page names."""

    period: Period
    agency: Agency | None = None
    sector: Sector | None = None
    procedure: Procedure | None = None
    direct: bool = False
    scope: Scope = field(init=False)

    def __post_init__(self):
        self.scope = Scope(
            agency_id=self.agency.pk if self.agency else None,
            sector_id=self.sector.pk if self.sector else None,
            procedure_id=self.procedure.pk if self.procedure else None,
        )

    def narrowed(self, **changes) -> "Selection":
        """The same selection with some parts changed (a group's row: one sector, one month …)."""
        return replace(self, **changes)

    def params(self) -> dict:
        values = period_params(self.period)
        if self.agency:
            values["co-quan"] = self.agency.slug
        if self.sector:
            values["linh-vuc"] = self.sector.slug
        if self.procedure:
            values["thu-tuc"] = self.procedure.code
        if self.direct and self.agency:
            values["rieng"] = "1"
        return values

    def query(self, **extra) -> str:
        return urlencode({**self.params(), **extra})


def period_params(period: Period) -> dict:
    """The query that names ``period`` again (a kind and its year and number, or the two days)."""
    if period.kind == "range":
        return {"ky": "range", "tu-ngay": period.start.isoformat(), "den-ngay": period.end.isoformat()}
    values = {"ky": period.kind, "nam": str(period.start.year)}
    if period.kind == "month":
        values["thang"] = str(period.start.month)
    elif period.kind == "quarter":
        values["quy"] = str((period.start.month + 2) // 3)
    return values


def month_period(first: date, within: Period) -> Period:
    """The month that starts on ``first``, cut to ``within`` (the row of a table by month)."""
    month = Period.of("month", first.year, first.month)
    if within.start <= month.start and month.end <= within.end:
        return month
    return Period(max(month.start, within.start), min(month.end, within.end))


def chosen_agency(user, get) -> Agency | None:
    """The unit asked for (``co-quan``), if the user may open it; the default unit when none is asked.
    Anything else is "not found": an officer never learns more of another agency than the public does."""
    raw = (get.get("co-quan") or "").strip()[:64]
    if not raw:
        agency = stats_rules.default_agency(user)
        if agency is None and not user.is_superuser:
            raise Http404(_("This area is for officers."))
        return agency
    agency = catalog.find_agency(raw)
    if agency is None or not stats_rules.may_see(user, Scope(agency_id=agency.pk)):
        raise Http404(_("You do not see the statistics of this agency."))
    return agency


def _period(get, today: date, errors: dict) -> Period | None:
    kind = get.get("ky") or "year"
    if kind not in KINDS:
        errors["ky"] = _("Choose a kind of period from the list.")
        return None
    if kind == "range":
        days = {}
        for name, message in (
            ("tu-ngay", _("Enter the first day of the period as a date.")),
            ("den-ngay", _("Enter the last day of the period as a date.")),
        ):
            try:
                days[name] = date.fromisoformat(get.get(name) or "")
            except ValueError:
                errors[name] = message
        if errors:
            return None
        try:
            return Period(days["tu-ngay"], days["den-ngay"])
        except PeriodError as error:
            errors["den-ngay"] = str(error)
            return None
    raw_year = (get.get("nam") or "").strip()
    year = whole_number(raw_year, digits=4) if raw_year else today.year
    if year is None:
        errors["nam"] = _("Enter the year as a number, e.g. %(year)s.") % {"year": today.year}
        return None
    number = 1
    if kind in NUMBERED:
        name = NUMBERED[kind]
        raw = (get.get(name) or "").strip()
        default = today.month if kind == "month" else (today.month + 2) // 3
        number = whole_number(raw, digits=2) if raw else default
        if number is None:
            errors[name] = _("Choose the month or quarter from the list.")
            return None
    try:
        Period.of("year", year)  # the year first, so that its message goes beside it
    except PeriodError as error:
        errors["nam"] = str(error)
        return None
    try:
        return Period.of(kind, year, number)
    except PeriodError as error:
        errors[NUMBERED.get(kind, "ky")] = str(error)
        return None


def read(user, get) -> tuple[Selection | None, dict]:
    """The selection the query asks for and the errors of its fields (``{parameter: message}``)."""
    agency = chosen_agency(user, get)
    errors: dict = {}
    period = _period(get, timezone.localdate(), errors)
    sector = procedure = None
    try:
        scope = scope_from(None, get.get("linh-vuc") or None, (get.get("thu-tuc") or "")[:20] or None)
    except ScopeError as error:
        errors["linh-vuc" if error.field == "sector" else "thu-tuc"] = str(error)
    else:
        sector = Sector.objects.filter(pk=scope.sector_id).first() if scope.sector_id else None
        procedure = Procedure.objects.filter(pk=scope.procedure_id).first() if scope.procedure_id else None
    if errors:
        return None, errors
    direct = get.get("rieng") == "1" and agency is not None
    return Selection(period, agency, sector, procedure, direct), errors


def form_values(get, selection: Selection | None) -> dict:
    """What the period form shows: the checked selection, else what was typed (to correct it)."""
    today = timezone.localdate()
    values = {
        "ky": "year",
        "nam": str(today.year),
        "thang": str(today.month),
        "quy": str((today.month + 2) // 3),
        "tu-ngay": "",
        "den-ngay": "",
        "linh-vuc": "",
        "thu-tuc": "",
    }
    values["co-quan"] = get.get("co-quan", "")
    if selection is not None:
        values.update(selection.params())
        values.pop("rieng", None)
    else:
        values.update({key: get[key] for key in values if key in get})
    return {key.replace("-", "_"): value for key, value in values.items()}
