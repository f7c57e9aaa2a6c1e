"""Reads of satisfaction ratings: a dossier's rating, whether it may be rated now, and an agency's ratings
with their comments (newest first) and what they add up to."""

from datetime import date, datetime, time, timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import rules
from ..models import CRITERION_FIELDS, SATISFIED_FROM, DossierRating, RatingCriterion, Score


def rating_of(dossier) -> DossierRating | None:
    """The dossier's rating, or None while it has none."""
    return DossierRating.objects.filter(dossier_id=dossier.pk).first()


def can_rate(dossier, user) -> bool:
    """Whether ``user`` may rate ``dossier`` now: its applicant, the dossier ended (``rules.RATEABLE``), and
    not rated yet."""
    return rules.may_rate(dossier, user) and rules.rateable_now(dossier) and rating_of(dossier) is None


def readable_rating(dossier, user) -> DossierRating | None:
    """The dossier's rating when ``user`` may read it (its applicant, an officer of its receiving agency);
    None when there is none or it is not theirs to read."""
    rating = DossierRating.objects.select_related("dossier").filter(dossier_id=dossier.pk).first()
    if rating is None or not rules.may_read_rating(rating, user):
        return None
    return rating


def lines(rating: DossierRating) -> list[dict]:
    """The rating as it reads: overall first, then each criterion, with its score and the score's words
    (``label``, ``score``, ``score_label``; labels lazy, in the page's language)."""
    rows = [(_("Overall satisfaction"), rating.overall)]
    rows += [(criterion.label, getattr(rating, CRITERION_FIELDS[criterion])) for criterion in RatingCriterion]
    return [{"label": label, "score": score, "score_label": Score(score).label} for label, score in rows]


def _moment(value, *, end: bool) -> datetime:
    """A datetime as it is; a date as the start of that day (``end``: of the next day), local time."""
    if isinstance(value, datetime):
        return value
    day = value + timedelta(days=1) if end else value
    return datetime.combine(day, time.min, timezone.get_current_timezone())


def agency_ratings(agencies, *, since: date | datetime | None = None, until: date | datetime | None = None):
    """The ratings of dossiers received by ``agencies`` (a queryset or a list of agencies or their keys),
    newest first; rated from ``since`` and before ``until`` (a date counts as a whole day, ``until``
    included)."""
    rows = DossierRating.objects.filter(agency__in=agencies)
    if since is not None:
        rows = rows.filter(rated_at__gte=_moment(since, end=False))
    if until is not None:
        rows = rows.filter(rated_at__lt=_moment(until, end=True))
    return rows.select_related("dossier", "agency", "procedure").order_by("-rated_at", "-id")


def summary(ratings: QuerySet[DossierRating]) -> dict:
    """How many ratings, how many satisfied (``SATISFIED_FROM``), their share in percent (None without
    ratings) and the average overall score."""
    figures = ratings.order_by().aggregate(
        count=Count("id"),
        satisfied=Count("id", filter=Q(overall__gte=SATISFIED_FROM)),
        average=Avg("overall"),
    )
    count = figures["count"] or 0
    return {
        "count": count,
        "satisfied": figures["satisfied"] or 0,
        "satisfied_percent": round(100 * figures["satisfied"] / count, 1) if count else None,
        "average": round(figures["average"], 2) if figures["average"] is not None else None,
    }
