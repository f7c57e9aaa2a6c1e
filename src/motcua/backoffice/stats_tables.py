"""The tables of the officers' statistics pages, built once from ``stats`` reports: the page shows them (each
count a link to the dossiers behind it) and the exports write the same rows as XLSX or CSV.

Kept in the back office until the public page's shared tables land in ``stats``; nothing here knows about
requests: links come from a function the view passes (figure name -> address, or "" for no link).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.stats.behind import FIGURES
from motcua.stats.indicators import BY_KEY, CHANNEL_SHARES, GROUP_BY_KEY

Link = Callable[[str], str]

# What each figure the drill-down lists counts, as its page's title says it.
FIGURE_LABELS = {
    "received": gettext_lazy("Dossiers received"),
    "received_online": gettext_lazy("Dossiers received online"),
    "received_in_person": gettext_lazy("Dossiers received in person"),
    "received_postal": gettext_lazy("Dossiers received by post"),
    "digitised": gettext_lazy("Dossiers digitised"),
    "reused": gettext_lazy("Dossiers reusing digitised papers"),
    "with_fee": gettext_lazy("Dossiers with a fee"),
    "paid_online": gettext_lazy("Dossiers whose fee was paid online"),
    "resolved": gettext_lazy("Dossiers resolved"),
    "resolved_in_time": gettext_lazy("Dossiers resolved early or on time"),
    "resolved_early": gettext_lazy("Dossiers resolved early"),
    "resolved_on_time": gettext_lazy("Dossiers resolved on time"),
    "resolved_late": gettext_lazy("Dossiers resolved late"),
    "granted": gettext_lazy("Dossiers granted"),
    "e_results": gettext_lazy("Dossiers granted with an electronic result"),
    "not_granted": gettext_lazy("Dossiers not granted"),
    "stopped": gettext_lazy("Dossiers stopped"),
    "withdrawn": gettext_lazy("Dossiers withdrawn"),
    "refused": gettext_lazy("Dossiers refused at reception"),
    "ratings": gettext_lazy("Dossiers rated"),
    "ratings_satisfied": gettext_lazy("Dossiers rated satisfied (4 or 5 out of 5)"),
    "in_progress": gettext_lazy("Dossiers in progress"),
    "in_progress_within_time": gettext_lazy("Dossiers in progress within time"),
    "overdue": gettext_lazy("Dossiers overdue"),
    "awaiting_supplement": gettext_lazy("Dossiers awaiting a supplement"),
}
assert set(FIGURE_LABELS) == set(FIGURES)


def number(value, decimals: int = 0) -> str:
    """A number grouped by thousands in the active language (15.671 and 93,2 in Vietnamese)."""
    text = f"{value:,.{decimals}f}"
    decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def percent(rate: float | None) -> str:
    return "–" if rate is None else f"{number(round(rate * 100, 1), 1)}%"


@dataclass
class Cell:
    """One cell: its value (a count, a rate 0–1, points, text) and, for a count, the dossiers behind it."""

    value: object
    kind: str = "text"  # text | count | rate | points
    url: str = ""
    missing: str = "–"  # what None reads as: nothing to count, or "not available"
    hint: str = ""  # how it is computed, under a row's label

    @property
    def text(self) -> str:
        if self.value is None:
            return str(self.missing)
        if self.kind == "count":
            return number(self.value)
        if self.kind == "rate":
            return percent(self.value)
        if self.kind == "points":
            return number(round(self.value, 2), 2).rstrip("0").rstrip(",.")
        return str(self.value)

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    def exported(self):
        """The value a spreadsheet gets: numbers stay numbers (a rate in per cent), None its words."""
        if self.value is None:
            return str(self.missing) if self.missing != "–" else ""
        if self.kind == "rate":
            return round(self.value * 100, 1)
        if self.kind == "points":
            return round(self.value, 2)
        return self.value if self.kind == "count" else str(self.value)


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    note: str = ""
    row_header: int = 0  # the column that names each row

    def lines(self) -> Iterable[list]:
        """The header and each row, as an export writes them."""
        yield [str(column) for column in self.columns]
        for row in self.rows:
            yield [cell.exported() for cell in row]


def count_cell(figures: dict, name: str, link: Link | None) -> Cell:
    value = figures.get(name)
    url = link(name) if link and name in FIGURES and value else ""
    return Cell(value, "count", url)


def indicator_table(report, link: Link | None) -> Table:
    """Every indicator with its numerator and denominator (each linked to its dossiers), rate and points."""
    table = Table(
        "indicators",
        _("Indicators"),
        [_("Group"), _("Indicator"), _("Numerator"), _("Denominator"), _("Rate (%)"), _("Points"),
         _("Out of")],
        row_header=1,
    )  # fmt: skip
    for row in report.indicators:
        missing = _("Not available") if not row["available"] else "–"
        definition = BY_KEY[row["key"]]
        table.rows.append(
            [
                Cell(str(GROUP_BY_KEY[row["group"]].label)),
                Cell(row["label"], hint=row["formula"]),
                _figure_cell(row["numerator"], definition.numerator, link, missing),
                _figure_cell(row["denominator"], definition.denominator, link, missing),
                Cell(row["rate"], "rate", missing=missing),
                Cell(row["points"], "points", missing=missing),
                Cell(row["max_points"], "points"),
            ]
        )
    return table


def _figure_cell(value, name: str, link: Link | None, missing: str) -> Cell:
    url = link(name) if link and value and name in FIGURES else ""
    return Cell(value, "count", url, missing)


def score_table(report) -> Table:
    """Each group's points and score, and the total (score = points ÷ points of the indicators available)."""
    table = Table(
        "score",
        _("Score by group"),
        [_("Group"), _("Points"), _("Points available"), _("Out of"), _("Score (/100)")],
        note=_("An indicator without data is left out of the score: its points are not available."),
    )
    for group in [*report.groups, {**report.total, "label": _("Total")}]:
        table.rows.append(
            [
                Cell(str(group["label"])),
                Cell(group["points"], "points"),
                Cell(group["available_points"], "points"),
                Cell(group["max_points"], "points"),
                Cell(group["score"], "points"),
            ]
        )
    return table


def channel_table(report, link: Link | None) -> Table:
    columns = [_("Channel"), _("Dossiers received"), _("Share (%)")]
    table = Table("channels", _("How dossiers arrived"), columns)
    received = report.figures.get("received") or 0
    for name, label in CHANNEL_SHARES:
        value = report.figures.get(name) or 0
        share = value / received if received else None
        table.rows.append([Cell(str(label)), count_cell(report.figures, name, link), Cell(share, "rate")])
    return table


GROUP_COLUMNS = (
    ("received", gettext_lazy("Received")),
    ("resolved", gettext_lazy("Resolved")),
    ("resolved_in_time", gettext_lazy("Resolved in time")),
    ("in_progress", gettext_lazy("In progress")),
    ("overdue", gettext_lazy("Overdue")),
    ("received_online", gettext_lazy("Received online")),
)


def group_table(key: str, title: str, label: str, reports, link_of: Callable, note: str = "") -> Table:
    """One row per group (sector, procedure, agency, month): its main counts, each linked to its dossiers
    through ``link_of(report)`` (a ``Link``, or None for a row without links), its rates and its score."""
    columns = [label, *(str(heading) for _name, heading in GROUP_COLUMNS)]
    columns[4:4] = [_("In time (%)")]
    columns += [_("Online (%)"), _("Score (/100)")]
    table = Table(key, title, columns, note=note)
    for report in reports:
        link = link_of(report)
        counts = [count_cell(report.figures, name, link) for name, _title in GROUP_COLUMNS]
        cells = [Cell(report.label), *counts]
        cells[4:4] = [Cell(report.indicator("resolved_in_time")["rate"], "rate")]
        cells += [
            Cell(report.indicator("dossiers_online")["rate"], "rate"),
            Cell(report.total["score"], "points"),
        ]
        table.rows.append(cells)
    return table


def dossier_table(rows, title: str) -> Table:
    """The dossiers behind a figure, as the export writes them."""
    table = Table(
        "dossiers",
        title,
        [_("Dossier code"), _("Procedure"), _("Applicant"), _("Receiving agency"), _("Received"), _("Due"),
         _("Finished"), _("Status")],
    )  # fmt: skip
    for dossier in rows:
        table.rows.append(
            [
                Cell(dossier.code),
                Cell(f"{dossier.procedure.code} · {dossier.procedure.name}"),
                Cell(dossier.applicant_name),
                Cell(dossier.agency.name if dossier.agency_id else ""),
                Cell(_moment(dossier.received_at)),
                Cell(_moment(dossier.due_at)),
                Cell(_moment(dossier.finished_at)),
                Cell(str(dossier.get_status_display())),
            ]
        )
    return table


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def periodic_lines(unit: str, report, children) -> list[list]:
    """Báo cáo định kỳ: the unit and each agency under it on a row, every indicator's numerator,
    denominator, rate (%) and points across, then the total score."""
    first = [_("Unit")]
    second = [""]
    for row in report.indicators:
        first += [row["label"], "", "", ""]
        second += [_("Numerator"), _("Denominator"), _("Rate (%)"), _("Points")]
    first.append(_("Score (/100)"))
    second.append("")
    lines = [first, second]
    for label, each in [(unit, report), *((child.label, child) for child in children)]:
        line = [label]
        for row in each.indicators:
            missing = _("Not available") if not row["available"] else ""
            line += [
                Cell(row["numerator"], "count", missing=missing).exported(),
                Cell(row["denominator"], "count", missing=missing).exported(),
                Cell(row["rate"], "rate", missing=missing).exported(),
                Cell(row["points"], "points", missing=missing).exported(),
            ]
        line.append(Cell(each.total["score"], "points").exported())
        lines.append(line)
    return lines
