"""The public statistics pages (``/thong-ke/``, thống kê): the service indicators of Decision 766 for a
period, for the province, an agency (with every agency under it), a sector or a procedure, with charts drawn
on the server and their tables; every table downloadable as XLSX and CSV (``?dinh-dang=xlsx&bang=chi-so``).

Thin: figures are read through ``stats.selectors``, tables built by ``stats.tables``, files written by
``stats.exports``. Figures are live, so a page is cached a minute at most (per period, scope and language);
downloads are never cached.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import Agency, Procedure, Sector
from motcua.catalog.selectors import catalogue_revision
from motcua.core.pagecache import cache_public_page
from motcua.stats import charts, exports, selectors, tables, wording
from motcua.stats.forms import PeriodForm
from motcua.stats.periods import Period
from motcua.stats.scope import Scope
from motcua.stats.selection import ScopeError, scope_from

LIVE_SECONDS = 60  # "a dossier received shows within a minute"
FORMAT, TABLE = "dinh-dang", "bang"
PERIODIC = "bao-cao-dinh-ky"
BREAKDOWNS = ("xep-hang", "co-quan", "linh-vuc", "thu-tuc")
LONG_TABLE = 50  # rows a page shows of a long breakdown (procedures); the download has them all


@dataclass
class Subject:
    """What a page is about: the province, or one agency, sector or procedure."""

    kind: str  # province | agency | sector | procedure
    scope: Scope = field(default_factory=Scope)
    record: object = None  # the Agency, Sector or Procedure

    @property
    def name(self) -> str:
        if self.record is None:
            return ""
        if self.kind == "procedure":
            return f"{self.record.code} · {self.record.name}"
        return self.record.name

    @property
    def file_name(self) -> str:
        if self.record is None:
            return ""
        return self.record.code if self.kind == "procedure" else self.record.slug


class Statistics:
    """What one page shows for a period and a subject, each part read when first asked for."""

    def __init__(self, period: Period, subject: Subject, query: dict):
        self.period, self.subject, self.query = period, subject, query
        self.now = timezone.now()

    @cached_property
    def report(self):
        return selectors.report(self.period, self.subject.scope, self.now)

    @cached_property
    def months(self):
        """The period's months up to this one (a month to come has nothing to show yet)."""
        today = timezone.localdate(self.now)
        months = selectors.grouped(self.period, self.subject.scope, "month", self.now)
        return [month for month in months if month.key <= today]

    def grouped(self, group_by: str):
        return selectors.grouped(self.period, self.subject.scope, group_by, self.now)

    def breakdowns(self) -> list[str]:
        """The tables by agency, sector or procedure this kind of page has (what its scope leaves open)."""
        return {
            "province": ["xep-hang", "linh-vuc"],
            "agency": ["co-quan", "linh-vuc", "thu-tuc"],
            "sector": ["co-quan", "thu-tuc"],
            "procedure": ["co-quan"],
        }[self.subject.kind]

    def table(self, key: str) -> tables.Table | None:
        if key == "chi-so":
            return tables.indicator_table(self.report)
        if key == "diem":
            return tables.score_table(self.report)
        if key == "kenh":
            return tables.channel_table(self.report)
        if key == "theo-thang":
            return tables.received_by_month_table(self.months)
        if key == "dung-han-theo-thang":
            return tables.on_time_by_month_table(self.months)
        if key not in self.breakdowns():
            return None
        if key == "xep-hang":
            return self._linked(tables.ranking_table(selectors.ranking(self.period, self.now)), "agency")
        group_by = {"co-quan": "agency", "linh-vuc": "sector", "thu-tuc": "procedure"}[key]
        title = {
            "agency": _("By agency"),
            "sector": _("By sector"),
            "procedure": _("By procedure"),
        }[group_by]
        first = {"agency": _("Agency"), "sector": _("Sector"), "procedure": _("Procedure")}[group_by]
        return self._linked(tables.comparison_table(self.grouped(group_by), key, title, first), group_by)

    def periodic(self) -> list[tables.Table]:
        return tables.periodic_report(self.report, self.grouped("agency"), self.subject.name)

    def _linked(self, table: tables.Table, group_by: str) -> tables.Table:
        """Each row's first cell leads to the statistics of its agency, sector or procedure (same period)."""
        model, attribute = {
            "agency": (Agency, "slug"),
            "sector": (Sector, "slug"),
            "procedure": (Procedure, "code"),
        }[group_by]
        own = self.subject.record.pk if self.subject.kind == group_by else None
        records = model.objects.filter(pk__in=[r.key for r in table.rows])
        if model is Agency:
            records = records.filter(is_active=True)  # a dissolved agency keeps its row, without a page
        names = dict(records.values_list("pk", attribute))
        suffix = "?" + urlencode(self.query) if self.query else ""
        for row in table.rows:
            if row.key in names and row.key != own:
                row.href = reverse(f"portal:stats_{group_by}", args=[names[row.key]]) + suffix
        return table


# --- views -------------------------------------------------------------------------------------------------


def overview(request):
    return _serve(request, Subject("province"))


def agency(request, slug):
    return _serve(request, _subject("agency", slug, Agency))


def sector(request, slug):
    return _serve(request, _subject("sector", slug, Sector))


def procedure(request, code):
    return _serve(request, _subject("procedure", code, Procedure))


def _subject(kind: str, value: str, model) -> Subject:
    try:
        scope = scope_from(**{kind: value})
    except ScopeError:
        raise Http404(_("No statistics for this address.")) from None
    record_id = {"agency": scope.agency_id, "sector": scope.sector_id, "procedure": scope.procedure_id}[kind]
    return Subject(kind, scope, model.objects.get(pk=record_id))


def _serve(request, subject: Subject):
    form = PeriodForm(request.GET)
    if form.is_bound and not form.is_valid():
        # What was typed stays in the form with a message on its field; 400 tells clients it was refused.
        return render(request, "portal/stats/page.html", _frame(subject, form), status=400)
    if request.GET.get(FORMAT):
        return _download(request, subject, form)
    return _page(request, subject, form)


def _download(request, subject: Subject, form: PeriodForm):
    extension, key = request.GET.get(FORMAT, ""), request.GET.get(TABLE, "")
    if extension not in exports.FORMATS:
        raise Http404(_("Tables are downloaded as XLSX or CSV."))
    stats = Statistics(form.period(), subject, form.query())
    found = stats.periodic() if key == PERIODIC else [stats.table(key)]
    if found[0] is None:
        raise Http404(_("This page has no such table."))
    name = exports.filename(key, stats.period, extension, subject.file_name)
    return exports.response(found, extension, name)


def _render_page(request, subject: Subject, form: PeriodForm):
    stats = Statistics(form.period(), subject, form.query())
    context = _frame(subject, form)
    context.update(_figures(stats))
    return render(request, "portal/stats/page.html", context)


_page = cache_public_page(catalogue_revision, seconds=LIVE_SECONDS)(_render_page)


def _frame(subject: Subject, form: PeriodForm) -> dict:
    return {"subject": subject, "form": form, "kind_groups": kind_groups(form)}


def _figures(stats: Statistics) -> dict:
    report = stats.report

    def shown(key: str) -> dict | None:
        table = stats.table(key)
        longest = LONG_TABLE if key == "thu-tuc" else None
        if table is None:
            return None
        shown = display(table, _downloads(stats, key), longest)
        shown["catalogue"] = key in BREAKDOWNS  # rows named by the catalogue: Vietnamese on any page
        return shown

    month_labels = _month_labels(stats.months)
    received = shown("theo-thang")
    on_time = shown("dung-han-theo-thang")
    channels = shown("kenh")
    breakdowns = [shown(key) for key in stats.breakdowns()]
    chart_note = _("The same figures are in the table below.")
    ranking = next((b for b in breakdowns if b["table"].key == "xep-hang"), None)
    return {
        "period": stats.period,
        "report": report,
        "sentence": wording.sentence(report),
        "groups": indicator_groups(report),
        "scores": shown("diem"),
        "indicators_downloads": _downloads(stats, "chi-so"),
        "periodic_download": _download_url(stats, PERIODIC, "xlsx"),
        "channels": channels,
        "channel_chart": charts.bars(
            [(row.cells[0], row.cells[2]) for row in channels["table"].rows],
            title=channels["table"].title + " (%)",
            description=chart_note,
            max_value=100,
        ),
        "received": received,
        "received_chart": charts.columns(
            [(label, m.figures.get("received")) for label, m in zip(month_labels, stats.months, strict=True)],
            title=received["table"].title,
            description=chart_note,
        ),
        "on_time": on_time,
        "on_time_chart": charts.columns(
            [
                (label, tables.rate_of(m, "resolved_in_time"))
                for label, m in zip(month_labels, stats.months, strict=True)
            ],
            title=on_time["table"].title + " (%)",
            description=chart_note,
            unit="%",
            max_value=100,
        ),
        "ranking": ranking,
        "ranking_chart": charts.bars(
            [(row.cells[1], row.cells[-1]) for row in ranking["table"].rows],
            title=_("Score of agencies (out of 100)"),
            description=chart_note,
            unit="",
            max_value=100,
        )
        if ranking and ranking["table"].rows
        else "",
        "breakdowns": [b for b in breakdowns if b is not ranking],
    }


def _month_labels(months) -> list[str]:
    years = {month.key.year for month in months}
    return [f"{m.key:%m}" if len(years) == 1 else f"{m.key:%m/%y}" for m in months]


def _download_url(stats: Statistics, key: str, extension: str) -> str:
    return "?" + urlencode({**stats.query, FORMAT: extension, TABLE: key})


def _downloads(stats: Statistics, key: str) -> dict:
    return {extension: _download_url(stats, key, extension) for extension in exports.FORMATS}


# --- what templates loop over ------------------------------------------------------------------------------


def display(table: tables.Table, downloads: dict | None = None, longest: int | None = None) -> dict:
    """A table as the page shows it: each cell formatted by its column's kind; the first text column is the
    row's header (with its link). A comparison longer than ``longest`` rows shows the ``longest`` that
    received most dossiers (its second column)."""
    label = next((i for i, column in enumerate(table.columns) if not column.numeric), 0)
    rows = table.rows
    if longest is not None and len(rows) > longest:
        rows = sorted(rows, key=lambda row: -(row.cells[1] or 0))[:longest]
    return {
        "table": table,
        "downloads": downloads or {},
        "shortened": len(rows) < len(table.rows),
        "rows": [
            {
                "href": row.href,
                "cells": [
                    {
                        "text": wording.cell(value, column.kind),
                        "numeric": column.numeric,
                        "header": index == label,
                        "missing": value is None and column.numeric,
                    }
                    for index, (value, column) in enumerate(zip(row.cells, table.columns, strict=True))
                ],
            }
            for row in rows
        ],
    }


def indicator_groups(report) -> list[dict]:
    """The five groups of the Decision, each with its total and its indicators."""
    return [
        {**group, "indicators": [row for row in report.indicators if row["group"] == group["key"]]}
        for group in report.groups
    ]


def kind_groups(form: PeriodForm) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The period list's options, grouped (quarters, months) for ``<optgroup>``, the chosen one marked."""
    chosen = form["ky"].value() or "year"
    groups = []
    for value, label in form.fields["ky"].choices:
        if isinstance(label, list | tuple):
            groups.append((str(value), [(v, str(text), v == chosen) for v, text in label]))
        else:
            groups.append(("", [(value, str(label), value == chosen)]))
    return groups
