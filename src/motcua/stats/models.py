"""What statistics keep (bộ chỉ số phục vụ người dân, doanh nghiệp): the dossier ledger, daily facts, and the
score scheme of Decision 766/QĐ-TTg.

``DossierLedger`` (sổ theo dõi hồ sơ) holds one row per dossier sent: the few things every indicator asks of
it (when it was received and finished, how it ended, whether its papers were digitised or reused, its result
electronic, its fee paid online, its rating). ``DailyFact`` adds the ledger up per day, agency, procedure and
channel, and ``MonthlyFact`` the daily facts per calendar month: a year's figures for a province are a sum
over a few thousand rows, whatever the number of dossiers. All are kept by ``stats.services.facts`` as each
dossier changes, and rebuilt from the dossiers by ``manage.py rebuild_stats``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Channel

# The measures of a daily fact, in the order pages and exports list them. Each counts dossiers (or, for the
# *_sum measures, adds up ratings from 1 to 5) on the day of the event it names.
RECEIVED_MEASURES = ("received", "digitised", "reused", "with_fee", "paid_online")
FINISHED_MEASURES = (
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "granted",
    "e_results",
    "not_granted",
    "stopped",
    "withdrawn",
    "refused",
)
RATING_MEASURES = (
    "ratings",
    "ratings_satisfied",
    "overall_sum",
    "access_sum",
    "procedure_sum",
    "officers_sum",
    "processing_time_sum",
    "result_sum",
)
MEASURES = RECEIVED_MEASURES + FINISHED_MEASURES + RATING_MEASURES
# What a monthly fact counts at the month's end: dossiers received by then and finished after it (in
# progress then), and those of them within time then. Dossiers still open now are read from the ledger.
MONTH_END_MEASURES = ("open_at_end", "open_within_at_end")


class DossierLedger(models.Model):
    """Sổ theo dõi hồ sơ: one dossier as statistics see it, kept with the dossier's every change.

    ``*_on`` are local dates (Asia/Ho_Chi_Minh): the day an event counts in. The ledger row is what the
    dossier last added to the daily facts; the next change adds the difference.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(null=True)
    received_on = models.DateField(null=True)
    due_at = models.DateTimeField(null=True)
    awaiting_applicant = models.BooleanField(default=False)  # clock stopped for a supplement or a payment
    awaiting_supplement = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True)
    finished_on = models.DateField(null=True)
    outcome = models.CharField(max_length=16, blank=True)
    timeliness = models.CharField(max_length=8, blank=True)
    digitised = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    e_result = models.BooleanField(default=False)
    with_fee = models.BooleanField(default=False)
    paid_online = models.BooleanField(default=False)
    rated_on = models.DateField(null=True)
    overall = models.PositiveSmallIntegerField(null=True)
    criteria = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("dossier ledger row")
        verbose_name_plural = _("dossier ledger")
        indexes = [
            # Dossiers in progress now, per agency, by due time (the live "within time / overdue" figures).
            models.Index(
                fields=["agency", "due_at"],
                condition=Q(received_at__isnull=False, finished_at__isnull=True),
                name="stats_ledger_open_idx",
            ),
            # Dossiers in progress at the end of a past period: received before it, finished after it.
            models.Index(fields=["finished_at", "received_at"], name="stats_ledger_finished_idx"),
        ]

    def __str__(self):
        return f"{self.dossier_id}"


class Measures(models.Model):
    """What a fact adds up (``MEASURES``): dossiers, or for the *_sum measures ratings from 1 to 5."""

    received = models.IntegerField(default=0)
    digitised = models.IntegerField(default=0)
    reused = models.IntegerField(default=0)
    with_fee = models.IntegerField(default=0)
    paid_online = models.IntegerField(default=0)
    resolved = models.IntegerField(default=0)
    resolved_early = models.IntegerField(default=0)
    resolved_on_time = models.IntegerField(default=0)
    resolved_late = models.IntegerField(default=0)
    granted = models.IntegerField(default=0)
    e_results = models.IntegerField(default=0)
    not_granted = models.IntegerField(default=0)
    stopped = models.IntegerField(default=0)
    withdrawn = models.IntegerField(default=0)
    refused = models.IntegerField(default=0)
    ratings = models.IntegerField(default=0)
    ratings_satisfied = models.IntegerField(default=0)
    overall_sum = models.IntegerField(default=0)
    access_sum = models.IntegerField(default=0)
    procedure_sum = models.IntegerField(default=0)
    officers_sum = models.IntegerField(default=0)
    processing_time_sum = models.IntegerField(default=0)
    result_sum = models.IntegerField(default=0)

    class Meta:
        abstract = True


class DailyFact(Measures):
    """What the dossiers of one agency, procedure and channel added up to on one day (local date)."""

    day = models.DateField()
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)

    class Meta:
        verbose_name = _("daily fact")
        verbose_name_plural = _("daily facts")
        constraints = [
            models.UniqueConstraint(fields=["day", "agency", "procedure", "channel"], name="stats_fact_key")
        ]
        indexes = [
            models.Index(fields=["agency", "day"], name="stats_fact_agency_idx"),
            models.Index(fields=["procedure", "day"], name="stats_fact_procedure_idx"),
        ]

    def __str__(self):
        return f"{self.day} · {self.agency_id} · {self.procedure_id} · {self.channel}"


class MonthlyFact(Measures):
    """The daily facts of one calendar month added up, kept with them (``month``: its first day), and the
    dossiers that were in progress at the month's end and have finished since (``MONTH_END_MEASURES``).

    A period's whole months are read here and only its partial months from the daily facts: a year for the
    province is a sum over a few thousand rows however many days, agencies and procedures there are (with
    two years of a province's dossiers, the daily facts of one year are ~30 times more rows). A past month's
    "in progress" is read here and from the few dossiers still open, not from every dossier finished since
    (at 1M dossiers, 90 ms a month on PostgreSQL: 1.2 s for a year by month)."""

    month = models.DateField()
    agency = models.ForeignKey("catalog.Agency", on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey("catalog.Procedure", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    open_at_end = models.IntegerField(default=0)
    open_within_at_end = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("monthly fact")
        verbose_name_plural = _("monthly facts")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "agency", "procedure", "channel"], name="stats_monthly_fact_key"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "month"], name="stats_monthly_agency_idx"),
            models.Index(fields=["procedure", "month"], name="stats_monthly_procedure_idx"),
        ]

    def __str__(self):
        return f"{self.month:%m/%Y} · {self.agency_id} · {self.procedure_id} · {self.channel}"


class ScoreScheme(models.Model):
    """The points of Decision 766's indicators from a date on (the weights have changed before).

    The scheme in force on a period's last day scores it. ``weights`` maps an indicator's key to its points
    and thresholds: ``{"points": 10, "full_at": 1.0, "zero_at": 0.0}`` (a rate at or above ``full_at``
    earns every point, at or below ``zero_at`` none, in between in proportion).
    """

    name = models.CharField(_("name"), max_length=255)
    effective_from = models.DateField(_("applies from"), unique=True)
    weights = models.JSONField(_("points and thresholds per indicator"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("score scheme")
        verbose_name_plural = _("score schemes")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.name} ({self.effective_from:%d/%m/%Y})"
