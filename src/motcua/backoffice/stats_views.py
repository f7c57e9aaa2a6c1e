"""The officers' and leaders' statistics (``/mot-cua/thong-ke/``, thống kê của đơn vị): the indicators of
Decision 766 for their unit over a period, grouped by sector, procedure, agency under it and month, with
charts; every count leads to the dossiers behind it (``ho-so/``); every table downloads as XLSX or CSV; the
periodic report sent upward is one XLSX (``bao-cao-dinh-ky/``).

Who sees which unit and which dossiers is ``stats.rules``; the query is read by ``stats_query``; the tables
are built by ``stats_tables``. Figures are read through ``stats.selectors``, dossiers through
``stats.rules.dossiers_behind`` (what the figure counts that the officer may open, never more).
"""

import io

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.audit import services as audit
from motcua.catalog import selectors as catalog
from motcua.catalog.models import Agency, Procedure, Sector
from motcua.core.spreadsheets import append_row, write_csv_rows
from motcua.core.text import whole_number
from motcua.stats import charts, selectors
from motcua.stats import rules as stats_rules
from motcua.stats.behind import FIGURES
from motcua.stats.periods import KINDS

from . import stats_query, stats_tables
from .stats_tables import FIGURE_LABELS, Table

PAGE_SIZE = 25
FORMATS = ("xlsx", "csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _officer(request):
    if not stats_rules.may_see_statistics(request.user):
        raise Http404(_("This area is for officers."))


def _linker(selection):
    """Figure name -> the address of the dossiers behind it, for ``selection``."""
    base = reverse("backoffice:stats_dossiers")
    query = selection.query()
    return lambda figure: f"{base}?chi-so={figure}&{query}"


def _form_context(request, selection, errors) -> dict:
    user = request.user
    return {
        "selection": selection,
        "errors": {key.replace("-", "_"): message for key, message in errors.items()},
        "values": stats_query.form_values(request.GET, selection),
        "kinds": list(KINDS.items()),
        "months": range(1, 13),
        "quarters": range(1, 5),
        "units": stats_rules.agencies(user),
        "province": user.is_superuser,
        "sectors": catalog.sectors(),
    }


# --- the page -----------------------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def statistics(request):
    _officer(request)
    selection, errors = stats_query.read(request.user, request.GET)
    context = _form_context(request, selection, errors)
    if errors:
        return render(request, "backoffice/stats.html", context, status=400)
    selection = selection.narrowed(direct=False)  # the page's figures are the unit's, rolled up
    now = timezone.now()
    fmt = request.GET.get("dinh-dang")
    if fmt in FORMATS:
        key = request.GET.get("bang") or "indicators"
        if key not in BUILDERS:
            raise Http404(_("There is no such table."))
        table = BUILDERS[key](request.user, selection, now, complete=True)[0]
        if table is None:
            raise Http404(_("There is no such table."))
        return _export(table, selection, fmt)
    report = selectors.report(selection.period, selection.scope, now)
    sections = [BUILDERS[key](request.user, selection, now, report=report) for key in BUILDERS]
    link = _linker(selection)
    context.update(
        {
            "report": report,
            "sentence": _sentence(selection, report, link),
            "as_of": selection.period.as_of(now),
            "sections": [(table, chart) for table, chart in sections if table is not None],
            "export_query": selection.query(),
        }
    )
    return render(request, "backoffice/stats.html", context)


def _sentence(selection, report, link) -> str:
    """The seed's sentence ("Năm 2026: tiếp nhận … hồ sơ, đã giải quyết …, … chờ bổ sung, …% đúng hạn"),
    each count a link to its dossiers."""
    figures = report.figures

    def linked(name):
        text = stats_tables.number(figures.get(name) or 0)
        if not figures.get(name):
            return escape(text)
        return mark_safe(f'<a href="{escape(link(name))}">{escape(text)}</a>')  # every part escaped

    parts = {
        "period": conditional_escape(selection.period.label),
        "received": linked("received"),
        "resolved": linked("resolved"),
        "on_time": escape(stats_tables.percent(report.indicator("resolved_in_time")["rate"])),
    }
    if figures.get("awaiting_supplement") is None:  # a past period: the ledger knows only today's state
        text = _("%(period)s: %(received)s dossiers received, %(resolved)s resolved, %(on_time)s on time.")
    else:
        parts["awaiting"] = linked("awaiting_supplement")
        text = _(
            "%(period)s: %(received)s dossiers received, %(resolved)s resolved, %(awaiting)s awaiting a "
            "supplement, %(on_time)s on time."
        )
    return mark_safe(escape(text) % parts)  # every part escaped


# Each table of the page: (table, chart or "") built from the selection; ``complete`` for an export (every
# row), else the page's rows. A builder returns (None, "") when its table does not apply (no agency below).


def _score(user, selection, now, report=None, complete=False):
    report = report or selectors.report(selection.period, selection.scope, now)
    return stats_tables.score_table(report), ""


def _indicators(user, selection, now, report=None, complete=False):
    report = report or selectors.report(selection.period, selection.scope, now)
    table = stats_tables.indicator_table(report, _linker(selection))
    chart = charts.bars(
        [(row["label"], None if row["rate"] is None else row["rate"] * 100) for row in report.indicators],
        title=_("Indicators (%)"),
        description=_("Each indicator's rate in per cent; a dash when there is nothing to count."),
        max_value=100,
    )
    return table, chart


def _channels(user, selection, now, report=None, complete=False):
    report = report or selectors.report(selection.period, selection.scope, now)
    table = stats_tables.channel_table(report, _linker(selection))
    chart = charts.bars(
        [(row[0].value, None if row[2].value is None else row[2].value * 100) for row in table.rows],
        title=_("How dossiers arrived (%)"),
        max_value=100,
    )
    return table, chart


def _months(user, selection, now, report=None, complete=False):
    reports = selectors.grouped(selection.period, selection.scope, "month", now)

    def link_of(row):
        return _linker(selection.narrowed(period=stats_query.month_period(row.key, selection.period)))

    table = stats_tables.group_table("month", _("By month"), _("Month"), reports, link_of)
    label = "%m" if selection.period.start.year == selection.period.end.year else "%m/%y"
    chart = charts.columns(
        [(row.key.strftime(label), row.figures.get("received") or 0) for row in reports],
        title=_("Dossiers received by month"),
    )
    return table, chart


def _agencies(user, selection, now, report=None, complete=False):
    tree = selection.scope.tree()
    if selection.agency and not any(parent == selection.agency.pk for parent in tree.values()):
        return None, ""
    reports = selectors.grouped(selection.period, selection.scope, "agency", now)
    agencies = Agency.objects.in_bulk([row.key for row in reports])
    allowed = set(stats_rules.agencies(user).values_list("pk", flat=True))

    def link_of(row):
        if selection.agency and row.key == selection.agency.pk:  # the agency itself: its own dossiers
            return _linker(selection.narrowed(direct=True))
        if user.is_superuser or row.key in allowed:
            return _linker(selection.narrowed(agency=agencies[row.key]))
        return None

    own = _("A row of the unit itself counts only the dossiers it received itself.")
    table = stats_tables.group_table(
        "agency", _("By agency under the unit"), _("Agency"), reports, link_of, note=own
    )
    chart = charts.bars(
        [(row.label, row.total["score"]) for row in reports],
        title=_("Score by agency (/100)"),
        unit="",
        max_value=100,
    )
    return table, chart


def _sectors(user, selection, now, report=None, complete=False):
    reports = selectors.grouped(selection.period, selection.scope, "sector", now)
    sectors = Sector.objects.in_bulk([row.key for row in reports])

    def link_of(row):
        return _linker(selection.narrowed(sector=sectors[row.key]))

    table = stats_tables.group_table("sector", _("By sector"), _("Sector"), reports, link_of)
    chart = charts.bars(
        [(row.label, _rate(row, "resolved_in_time")) for row in reports],
        title=_("Dossiers resolved in time by sector (%)"),
        max_value=100,
    )
    return table, chart


def _procedures(user, selection, now, report=None, complete=False):
    reports = selectors.grouped(selection.period, selection.scope, "procedure", now)
    note = ""
    if not complete:  # the page lists the procedures with dossiers; the download, every one in force
        names = [name for name, _title in stats_tables.GROUP_COLUMNS] + ["ratings"]
        busy = [row for row in reports if any(row.figures.get(name) for name in names)]
        if len(busy) < len(reports):
            note = _(
                "Procedures without any dossier in the period are left out here; the download lists them."
            )
        reports = busy
    procedures = Procedure.objects.only("code", "name").in_bulk([row.key for row in reports])

    def link_of(row):
        return _linker(selection.narrowed(procedure=procedures[row.key]))

    table = stats_tables.group_table(
        "procedure", _("By procedure"), _("Procedure"), reports, link_of, note=note
    )
    return table, ""


def _rate(report, key):
    rate = report.indicator(key)["rate"]
    return None if rate is None else rate * 100


BUILDERS = {
    "score": _score,
    "indicators": _indicators,
    "channels": _channels,
    "month": _months,
    "agency": _agencies,
    "sector": _sectors,
    "procedure": _procedures,
}


# --- downloads ----------------------------------------------------------------------------------------------


def _file_name(prefix: str, selection) -> str:
    unit = selection.agency.slug if selection.agency else "toan-tinh"
    period = selection.period
    return f"{prefix}-{unit}-{period.start:%Y%m%d}-{period.end:%Y%m%d}"


def _heading(selection, title: str) -> list[list]:
    unit = selection.agency.name if selection.agency else _("The whole province")
    lines = [[title], [unit], [selection.period.label]]
    if selection.sector:
        lines.append([_("Sector: %(name)s") % {"name": selection.sector.name}])
    if selection.procedure:
        lines.append([_("Procedure: %(code)s") % {"code": selection.procedure.code}])
    return lines


def _xlsx(name: str, sheet_title: str, lines) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title[:31])
    for line in lines:
        append_row(sheet, line)  # names typed by people stay text, never a formula
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    book.save(response)
    return response


def _csv(name: str, lines) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")  # Excel reads the file as UTF-8, not in the Windows code page
    write_csv_rows(out, lines)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _export(table: Table, selection, fmt: str, prefix: str = "thong-ke") -> HttpResponse:
    name = _file_name(f"{prefix}-{table.key}", selection)
    if fmt == "csv":
        return _csv(name, table.lines())
    return _xlsx(name, str(table.title), [*_heading(selection, str(table.title)), [], *table.lines()])


@never_cache
@login_required
@require_GET
def periodic_report(request):
    """Báo cáo định kỳ: every indicator of the unit and of each agency under it, one sheet, one click."""
    _officer(request)
    selection, errors = stats_query.read(request.user, request.GET)
    if errors:
        return render(request, "backoffice/stats.html", _form_context(request, selection, errors), status=400)
    selection = selection.narrowed(direct=False)
    now = timezone.now()
    report = selectors.report(selection.period, selection.scope, now)
    children = [
        row
        for row in selectors.grouped(selection.period, selection.scope, "agency", now)
        if not (selection.agency and row.key == selection.agency.pk)
    ]
    unit = selection.agency.name if selection.agency else _("The whole province")
    title = _("Periodic report on the service indicators (Decision 766/QĐ-TTg)")
    as_of = timezone.localtime(selection.period.as_of(now))
    moment = _("Figures as of %(moment)s") % {"moment": f"{as_of:%d/%m/%Y %H:%M}"}
    heading = [*_heading(selection, title), [moment]]
    audit.record(
        "stats.periodic_report", actor=request.user, request=request, target=selection.agency,
        target_label=selection.agency.slug if selection.agency else "*",
        start=selection.period.start.isoformat(), end=selection.period.end.isoformat(),
    )  # fmt: skip
    lines = [*heading, [], *stats_tables.periodic_lines(unit, report, children)]
    return _xlsx(_file_name("bao-cao-dinh-ky", selection), _("Periodic report"), lines)


# --- the dossiers behind a figure ---------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def dossiers(request):
    """The dossiers a figure counts (``chi-so``) for a period and unit, those the officer may open."""
    _officer(request)
    figure = request.GET.get("chi-so", "")
    if figure not in FIGURES:
        raise Http404(_("There is no such figure."))
    selection, errors = stats_query.read(request.user, request.GET)
    context = {"figure": figure, "title": FIGURE_LABELS[figure], "selection": selection, "errors": errors}
    if errors:
        return render(request, "backoffice/stats_dossiers.html", context, status=400)
    now = timezone.now()
    scope, period, direct = selection.scope, selection.period, selection.direct
    rows = (
        stats_rules.dossiers_behind(request.user, figure, period, scope, now, direct=direct)
        .select_related("procedure", "agency")
        .order_by("-id")
    )
    audit.record(
        "stats.dossier_list", actor=request.user, request=request, target=selection.agency,
        target_label=selection.agency.slug if selection.agency else "*", figure=figure,
        start=period.start.isoformat(), end=period.end.isoformat(),
    )  # fmt: skip
    fmt = request.GET.get("dinh-dang")
    if fmt in FORMATS:
        table = stats_tables.dossier_table(rows.iterator(chunk_size=2000), str(FIGURE_LABELS[figure]))
        return _export(table, selection, fmt, prefix=f"ho-so-{figure.replace('_', '-')}")
    pages = Paginator(rows, PAGE_SIZE)
    page = pages.get_page(whole_number(request.GET.get("trang", ""), digits=6) or 1)
    counted = stats_rules.counted(figure, period, scope, now, direct=direct)
    query = request.GET.copy()
    query.pop("trang", None)
    context.update(
        {
            "page": page,
            "hidden": max(counted - pages.count, 0),
            "counted": counted,
            "query": query.urlencode(),
            "back": selection.narrowed(direct=False).query(),
            "export_query": f"chi-so={figure}&{selection.query()}",
            "now": now,
        }
    )
    return render(request, "backoffice/stats_dossiers.html", context)
