"""Satisfaction ratings of finished dossiers (đánh giá mức độ hài lòng): one per dossier, given once by its
applicant, never changed. The criteria are those of the satisfaction indicator of Decision 766/QĐ-TTg
(2022); the statistics (``stats``) count them, and the agency reads its comments."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MIN_SCORE = 1
MAX_SCORE = 5

SATISFIED_FROM = 4
"""A rating is "satisfied" (hài lòng) from this overall score up: 4 (satisfied) and 5 (very satisfied).

Decision 766 counts the share of people satisfied, not an average: a 3 ("neither") is not satisfaction.
The one place this rule lives; ``DossierRating.satisfied``, the pages and the statistics read it here."""


class Score(models.IntegerChoices):
    """The five-point scale of every question, 5 the best (thang điểm 5 mức)."""

    VERY_DISSATISFIED = 1, _("Very dissatisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    NEUTRAL = 3, _("Neither satisfied nor dissatisfied")
    SATISFIED = 4, _("Satisfied")
    VERY_SATISFIED = 5, _("Very satisfied")


class RatingCriterion(models.TextChoices):
    """The criteria of Decision 766's satisfaction indicator, each scored 1–5."""

    ACCESS = "access", _("Access to the service")  # Tiếp cận dịch vụ
    PROCEDURE = "procedure", _("The administrative procedure")  # Thủ tục hành chính
    OFFICERS = "officers", _("The officers who handled it")  # Công chức giải quyết
    PROCESSING_TIME = "processing_time", _("The processing time")  # Thời gian giải quyết
    RESULT = "result", _("The result")  # Kết quả giải quyết


# The column of each criterion ("procedure" is taken by the procedure the dossier followed).
CRITERION_FIELDS = {
    RatingCriterion.ACCESS: "access",
    RatingCriterion.PROCEDURE: "procedure_score",
    RatingCriterion.OFFICERS: "officers",
    RatingCriterion.PROCESSING_TIME: "processing_time",
    RatingCriterion.RESULT: "result",
}

# What each criterion asks, for the person rating.
CRITERION_QUESTIONS = {
    RatingCriterion.ACCESS: _("Was it easy to find the procedure and to send the dossier?"),
    RatingCriterion.PROCEDURE: _("Were the papers and requirements clear, simple and as published?"),
    RatingCriterion.OFFICERS: _("Were the officers courteous, and did they guide you well?"),
    RatingCriterion.PROCESSING_TIME: _("Was the dossier handled within the time promised?"),
    RatingCriterion.RESULT: _("Was the result correct, complete and easy to receive?"),
}


def _score_field(label):
    return models.PositiveSmallIntegerField(label, choices=Score.choices)


def _in_scale(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": MIN_SCORE, f"{field}__lte": MAX_SCORE}),
        name=f"engagement_rating_{field}_1_to_5",
    )


class DossierRating(models.Model):
    """How satisfied the applicant was with a finished dossier. Written once by ``services.rate_dossier``;
    the receiving agency and the procedure are copied so that statistics and the agency's page read this
    table alone."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="rating", verbose_name=_("dossier")
    )
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("receiving agency")
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", on_delete=models.PROTECT, related_name="+", verbose_name=_("procedure")
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("rated by")
    )
    rated_at = models.DateTimeField(_("rated at"))
    overall = _score_field(_("overall satisfaction"))
    access = _score_field(RatingCriterion.ACCESS.label)
    procedure_score = _score_field(RatingCriterion.PROCEDURE.label)
    officers = _score_field(RatingCriterion.OFFICERS.label)
    processing_time = _score_field(RatingCriterion.PROCESSING_TIME.label)
    result = _score_field(RatingCriterion.RESULT.label)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-rated_at", "-id"]
        indexes = [models.Index(fields=["agency", "rated_at"], name="engagement_rating_agency_at")]
        constraints = [_in_scale("overall"), *(_in_scale(field) for field in CRITERION_FIELDS.values())]

    def __str__(self):
        return f"{self.dossier} · {self.overall}/{MAX_SCORE}"

    @property
    def satisfied(self) -> bool:
        """Satisfied or very satisfied overall (``SATISFIED_FROM``)."""
        return self.overall >= SATISFIED_FROM

    def scores(self) -> dict[str, int]:
        """Each criterion's score, by ``RatingCriterion`` value, in the order of the criteria."""
        return {criterion.value: getattr(self, CRITERION_FIELDS[criterion]) for criterion in RatingCriterion}
