"""Reports as tables (bảng số liệu): the rows a page shows under each chart and every export writes.

A ``Table`` is a title, typed columns and rows of plain values (text, whole numbers, percentages from 0 to
100, points); ``None`` is a figure with nothing to count or no data, shown as such (never as 0). The same
table feeds the page (``stats_format`` filters format the cells) and the XLSX/CSV files (``stats.exports``),
so what is downloaded is what is read. Builders take reports (``selectors.report``, ``grouped``,
``ranking``) and know nothing of the web: a page may set each row's ``href`` to a drill-down.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .indicators import CHANNEL_SHARES, GROUP_BY_KEY
from .selectors import Report

TEXT, COUNT, RATE, POINTS, SCORE = "text", "count", "rate", "points", "score"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT  # text | count | rate (0–100) | points | score (0–100)

    @property
    def numeric(self) -> bool:
        return self.kind != TEXT


@dataclass
class Row:
    cells: list
    key: object = None  # the report's group key (an agency's id, a month …), for links
    href: str = ""  # where the row's first cell leads, if anywhere


@dataclass
class Table:
    key: str  # a stable name: the query's ``bang=`` and the download's file name
    title: str
    columns: list[Column]
    rows: list[Row] = field(default_factory=list)

    def header(self) -> list[str]:
        return [column.title for column in self.columns]

    def values(self) -> list[list]:
        return [row.cells for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


def as_percent(rate: float | None) -> float | None:
    """A rate from 0 to 1 as the percentage tables hold (two decimals)."""
    return None if rate is None else round(rate * 100, 2)


def rate_of(report: Report, key: str) -> float | None:
    return as_percent(report.indicator(key)["rate"])


def indicator_table(report: Report, key: str = "chi-so", title: str = "") -> Table:
    """Every indicator with its numerator, denominator, rate and points; "No data" where it has none."""
    table = Table(
        key,
        title or _("Service indicators"),
        [
            Column(_("Group")),
            Column(_("Indicator")),
            Column(_("Numerator"), COUNT),
            Column(_("Denominator"), COUNT),
            Column(_("Rate (%)"), RATE),
            Column(_("Points"), POINTS),
            Column(_("Maximum points"), POINTS),
            Column(_("Note")),
        ],
    )
    for row in report.indicators:
        table.rows.append(Row([str(GROUP_BY_KEY[row["group"]].label), *_indicator_cells(row)], row["key"]))
    return table


def _indicator_cells(row: dict) -> list:
    missing = not row["available"] or row["rate"] is None
    return [
        row["label"],
        row["numerator"],
        row["denominator"],
        as_percent(row["rate"]),
        row["points"],
        row["max_points"],
        _("No data") if missing else "",
    ]


def score_table(report: Report, key: str = "diem") -> Table:
    """Each group's points of the points available, and the total with its score out of 100."""
    table = Table(
        key,
        _("Score by group of indicators"),
        [
            Column(_("Group of indicators")),
            Column(_("Points"), POINTS),
            Column(_("Points available"), POINTS),
            Column(_("Maximum points"), POINTS),
            Column(_("Score (out of 100)"), SCORE),
        ],
    )
    for group in [*report.groups, {**report.total, "label": _("Total")}]:
        table.rows.append(
            Row(
                [
                    group["label"],
                    group["points"],
                    group["available_points"],
                    group["max_points"],
                    group["score"],
                ],
                group["key"],
            )
        )
    return table


def channel_table(report: Report, key: str = "kenh") -> Table:
    """How the dossiers received arrived: online, in person, by post, each with its share."""
    table = Table(
        key,
        _("Dossiers received by channel"),
        [Column(_("Channel")), Column(_("Dossiers received"), COUNT), Column(_("Share (%)"), RATE)],
    )
    received = report.figures.get("received") or 0
    for name, label in CHANNEL_SHARES:
        count = report.figures.get(name) or 0
        table.rows.append(Row([str(label), count, as_percent(count / received) if received else None], name))
    return table


def comparison_table(reports: list[Report], key: str, title: str, first: str, *, ranked=False) -> Table:
    """One row per report (an agency, a sector, a procedure, a month): the main figures side by side."""
    columns = [
        Column(first),
        Column(pgettext("statistics", "Received"), COUNT),
        Column(pgettext("statistics", "Resolved"), COUNT),
        Column(_("Resolved early or on time (%)"), RATE),
        Column(_("Received online (%)"), RATE),
        Column(_("Score (out of 100)"), SCORE),
    ]
    table = Table(key, title, [Column(_("Rank"), COUNT), *columns] if ranked else columns)
    for place, report in enumerate(reports, start=1):
        cells = [
            report.label,
            report.figures.get("received"),
            report.figures.get("resolved"),
            rate_of(report, "resolved_in_time"),
            rate_of(report, "dossiers_online"),
            report.total["score"],
        ]
        table.rows.append(Row([place, *cells] if ranked else cells, report.key))
    return table


def ranking_table(reports: list[Report], key: str = "xep-hang") -> Table:
    """``selectors.ranking``: agencies by score, best first, numbered."""
    return comparison_table(reports, key, _("Ranking of agencies by score"), _("Agency"), ranked=True)


def received_by_month_table(months: list[Report], key: str = "theo-thang") -> Table:
    return _by_month(
        months, key, _("Dossiers received by month"),
        (pgettext("statistics", "Received"), "received"),
        (_("Received online"), "received_online"),
        (_("Received online (%)"), "dossiers_online"),
    )  # fmt: skip


def on_time_by_month_table(months: list[Report], key: str = "dung-han-theo-thang") -> Table:
    return _by_month(
        months, key, _("Dossiers resolved on time by month"),
        (pgettext("statistics", "Resolved"), "resolved"),
        (_("Resolved early or on time"), "resolved_in_time"),
        (_("Resolved early or on time (%)"), "resolved_in_time"),
    )  # fmt: skip


def _by_month(months: list[Report], key: str, title, whole, part, share) -> Table:
    """Month by month: a count (``whole``: header, figure), a part of it, and the indicator's rate
    (``share``: header, indicator key)."""
    table = Table(
        key,
        title,
        [Column(_("Month")), Column(whole[0], COUNT), Column(part[0], COUNT), Column(share[0], RATE)],
    )
    for month in months:
        cells = [
            month.label,
            month.figures.get(whole[1]),
            month.figures.get(part[1]),
            rate_of(month, share[1]),
        ]
        table.rows.append(Row(cells, month.key))
    return table


def periodic_report(
    whole: Report, units: list[Report], whole_label: str = "", key: str = "bao-cao-dinh-ky"
) -> list[Table]:
    """The report a province sends upward (báo cáo định kỳ): every indicator of the period with numerator,
    denominator, rate and points, for the whole scope (named ``whole_label``, by default the province) then
    each unit; and the points of each group per unit. Two tables: the first is the report itself (its CSV),
    both are sheets of the XLSX."""
    named = whole_label or whole.label or _("The whole province")
    reports = [(named, whole), *((unit.label, unit) for unit in units)]
    detail = Table(
        key,
        _("Periodic report"),
        [
            Column(_("Unit")),
            *indicator_table(whole).columns,
        ],
    )
    for label, report in reports:
        for row in indicator_table(report).rows:
            detail.rows.append(Row([label, *row.cells], report.key))
    summary = Table(
        f"{key}-diem",
        _("Points by unit"),
        [
            Column(_("Unit")),
            *(Column(str(group.label), POINTS) for group in GROUP_BY_KEY.values()),
            Column(_("Points"), POINTS),
            Column(_("Points available"), POINTS),
            Column(_("Score (out of 100)"), SCORE),
        ],
    )
    for label, report in reports:
        points = {group["key"]: group["points"] for group in report.groups}
        summary.rows.append(
            Row(
                [
                    label,
                    *(points.get(group) for group in GROUP_BY_KEY),
                    report.total["points"],
                    report.total["available_points"],
                    report.total["score"],
                ],
                report.key,
            )
        )
    return [detail, summary]
