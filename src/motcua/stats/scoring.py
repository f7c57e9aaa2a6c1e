"""Points: how an indicator's rate becomes points under the score scheme in force, and the groups' totals.

A weight is ``{"points": p, "full_at": f, "zero_at": z}``: a rate at or above ``f`` earns ``p``, at or below
``z`` earns 0, in between in proportion. Indicators without a rate (nothing to count, or no data yet) earn
nothing and are left out of the points *available*, so an agency is not ranked down for what it never had:
the ranking compares ``score`` = earned ÷ available × 100.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .indicators import BY_KEY, GROUP_BY_KEY, GROUPS, INDICATORS

# Decision 766/QĐ-TTg's groups (18, 20, 22, 22, 18) shared between the indicators Motcua computes: the split
# inside a group is this project's reading of the annex; an administrator enters the province's own scheme
# (admin: score schemes) from the day it applies.
DEFAULT_WEIGHTS = {
    "procedures_published_on_time": {"points": 9, "full_at": 1.0, "zero_at": 0.0},
    "procedures_published_in_full": {"points": 9, "full_at": 1.0, "zero_at": 0.0},
    "resolved_in_time": {"points": 12, "full_at": 1.0, "zero_at": 0.0},
    "in_progress_within_time": {"points": 8, "full_at": 1.0, "zero_at": 0.0},
    "results_electronic": {"points": 8, "full_at": 1.0, "zero_at": 0.0},
    "dossiers_digitised": {"points": 8, "full_at": 1.0, "zero_at": 0.0},
    "papers_reused": {"points": 6, "full_at": 0.5, "zero_at": 0.0},
    "procedures_full_online": {"points": 6, "full_at": 0.8, "zero_at": 0.0},
    "dossiers_online": {"points": 10, "full_at": 0.8, "zero_at": 0.0},
    "payments_online": {"points": 6, "full_at": 0.8, "zero_at": 0.0},
    "petitions_on_time": {"points": 6, "full_at": 1.0, "zero_at": 0.0},
    "petitions_satisfaction": {"points": 4, "full_at": 1.0, "zero_at": 0.0},
    "dossier_satisfaction": {"points": 8, "full_at": 1.0, "zero_at": 0.0},
}
DEFAULT_FROM = date(2022, 6, 23)  # the Decision's date


@dataclass
class Scored:
    key: str
    rate: float | None
    points: float | None  # earned; None when the indicator has no rate
    max_points: float


def validate_weights(weights) -> dict:
    """The weights as stored, or a ValidationError saying what is wrong with them."""
    if not isinstance(weights, dict):
        raise ValidationError(_("The weights must be an object with one entry per indicator."))
    unknown = sorted(set(weights) - set(BY_KEY))
    if unknown:
        raise ValidationError(_("Unknown indicators: %(keys)s.") % {"keys": ", ".join(unknown)})
    missing = sorted(set(BY_KEY) - set(weights))
    if missing:
        raise ValidationError(
            _("Every indicator needs its points; missing: %(keys)s.") % {"keys": ", ".join(missing)}
        )
    for key, weight in weights.items():
        try:
            points, full_at, zero_at = (float(weight[k]) for k in ("points", "full_at", "zero_at"))
        except (TypeError, KeyError, ValueError):
            raise ValidationError(
                _("%(key)s needs numbers for points, full_at and zero_at.") % {"key": key}
            ) from None
        if points < 0 or not 0 <= zero_at < full_at <= 1:
            raise ValidationError(
                _("%(key)s: points must not be negative, and 0 ≤ zero_at < full_at ≤ 1.") % {"key": key}
            )
    return weights


def earned(rate: float | None, weight: dict) -> float | None:
    if rate is None:
        return None
    points, full_at, zero_at = float(weight["points"]), float(weight["full_at"]), float(weight["zero_at"])
    share = (rate - zero_at) / (full_at - zero_at)
    return round(points * min(1.0, max(0.0, share)), 2)


def score(figures: dict, weights: dict) -> dict:
    """Every indicator's rate and points, each group's, and the total, for one set of figures."""
    scored = []
    for indicator in INDICATORS:
        weight = weights[indicator.key]
        rate = indicator.rate(figures)
        scored.append(Scored(indicator.key, rate, earned(rate, weight), float(weight["points"])))
    groups = []
    for group in GROUPS:
        members = [s for s in scored if BY_KEY[s.key].group == group.key]
        groups.append(_total(group.key, members))
    return {"indicators": scored, "groups": groups, "total": _total("total", scored)}


def _total(key: str, members: list[Scored]) -> dict:
    rated = [s for s in members if s.points is not None]
    points = round(sum(s.points for s in rated), 2)
    available = sum(s.max_points for s in rated)
    return {
        "key": key,
        "label": str(GROUP_BY_KEY[key].label) if key in GROUP_BY_KEY else "",
        "points": points if rated else None,
        "available_points": available,
        "max_points": sum(s.max_points for s in members),
        "score": round(100 * points / available, 1) if available else None,
    }
