"""Reads of statistics: the indicators of a period and scope (whole, grouped, ranked, by month), the
headline figures, and the score scheme in force. Pages, exports, the API and commands all read here."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from motcua.catalog.models import Agency, Channel, Procedure, Sector

from . import figures as figures_of
from .indicators import BY_KEY, INDICATORS
from .models import ScoreScheme
from .periods import Period
from .scope import Scope
from .scoring import DEFAULT_WEIGHTS, score


def weights_on(day: date) -> dict:
    """The points in force on ``day``: the latest scheme that applies by then, else the Decision's groups
    split as ``scoring.DEFAULT_WEIGHTS`` says."""
    scheme = ScoreScheme.objects.filter(effective_from__lte=day).order_by("-effective_from").first()
    return scheme.weights if scheme else DEFAULT_WEIGHTS


@dataclass
class Report:
    """The indicators of one period and scope (or one group of them)."""

    period: Period
    figures: dict
    indicators: list[dict]
    groups: list[dict]
    total: dict
    key: object = None
    label: str = ""

    def indicator(self, key: str) -> dict:
        return next(row for row in self.indicators if row["key"] == key)


def _report(period: Period, values: dict, weights: dict, key=None, label="") -> Report:
    scored = score(values, weights)
    rows = []
    for item in scored["indicators"]:
        indicator = BY_KEY[item.key]
        rows.append(
            {
                "key": indicator.key,
                "group": indicator.group,
                "label": str(indicator.label),
                "formula": str(indicator.formula),
                "available": indicator.available,
                "numerator": values.get(indicator.numerator) if indicator.available else None,
                "denominator": values.get(indicator.denominator) if indicator.available else None,
                "rate": item.rate,
                "points": item.points,
                "max_points": item.max_points,
            }
        )
    return Report(period, values, rows, scored["groups"], scored["total"], key, label)


def report(period: Period, scope: Scope | None = None, now: datetime | None = None) -> Report:
    scope = scope or Scope()
    values = figures_of.figures(period, scope, None, now)[None]
    return _report(period, values, weights_on(period.end))


def grouped(period: Period, scope: Scope | None, group_by: str, now: datetime | None = None) -> list[Report]:
    """One report per group (agency, sector, procedure, month or channel), in the group's natural order."""
    scope = scope or Scope()
    weights = weights_on(period.end)
    values = figures_of.figures(period, scope, group_by, now)
    labels = group_labels(group_by, [key for key in values if key is not None])
    reports = [_report(period, values[key], weights, key, labels.get(key, str(key))) for key in labels]
    return reports


def group_labels(group_by: str, keys: list) -> dict:
    """Group keys -> what a person reads, in display order (unknown keys are dropped)."""
    if group_by == "agency":
        rows = Agency.objects.filter(pk__in=keys).order_by("order", "code")
        return {agency.pk: agency.name for agency in rows}
    if group_by == "sector":
        return {
            sector.pk: sector.name for sector in Sector.objects.filter(pk__in=keys).order_by("order", "name")
        }
    if group_by == "procedure":
        rows = Procedure.objects.filter(pk__in=keys).order_by("code")
        return {procedure.pk: f"{procedure.code} · {procedure.name}" for procedure in rows}
    if group_by == "channel":
        return {channel.value: str(channel.label) for channel in Channel if channel.value in keys}
    if group_by == "month":
        return {month: f"{month:%m/%Y}" for month in sorted(k for k in keys if k != "*")}
    raise ValueError(group_by)


def ranking(period: Period, now: datetime | None = None) -> list[Report]:
    """Agencies (with everything under them) by score, best first; those with no rated figure last."""
    reports = [r for r in grouped(period, Scope(), "agency", now) if r.total["available_points"]]
    return sorted(reports, key=lambda r: (-(r.total["score"] or 0), r.label))


def headline(year: int | None = None, now: datetime | None = None) -> Report:
    """The province's year so far: the sentence of the home page and the statistics page."""
    today = timezone.localdate(now) if now else timezone.localdate()
    return report(Period.of("year", year or today.year), Scope(), now)


__all__ = [
    "INDICATORS",
    "Period",
    "Report",
    "Scope",
    "grouped",
    "headline",
    "ranking",
    "report",
    "weights_on",
]


# How a dossier ended, for the "finished" count: the measure of the facts that counts each ending.
ENDINGS = {"resolved": "resolved", "stopped": "stopped", "withdrawn": "withdrawn", "refused": "refused"}


def totals_by_channel() -> dict[str, dict[str, int]]:
    """Every dossier received and finished so far, by channel: {channel: {"received": n, "resolved": n, …}}.

    Summed over the monthly facts (a few thousand rows for a province's years), never over the dossiers:
    it is cheap enough to read at every metrics scrape.
    """
    from django.db.models import Sum

    from .models import MonthlyFact

    measures = ["received", *ENDINGS.values()]
    rows = MonthlyFact.objects.values("channel").annotate(**{m: Sum(m) for m in measures}).order_by("channel")
    return {row["channel"]: {m: row[m] or 0 for m in measures} for row in rows}
