"""The counters behind a dossier's numbers (its code per agency and day, its result's number per agency and
year), and the clients' idempotency keys that make a repeated request return what the first one created."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .dossier import Dossier


class CodeSequence(models.Model):
    """The last sequence number of dossier codes given by one agency on one day (local date)."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dossier code sequence")
        constraints = [models.UniqueConstraint(fields=["agency", "day"], name="dossiers_sequence_unique")]

    def __str__(self):
        return f"{self.agency_id} {self.day} {self.last}"


class ResultSequence(models.Model):
    """The last number given to a result document by one agency in one year."""

    agency = models.ForeignKey("catalog.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("result number sequence")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="dossiers_result_sequence_unique")
        ]

    def __str__(self):
        return f"{self.agency_id} {self.year} {self.last}"


class IdempotencyKey(models.Model):
    """A client's ``Idempotency-Key`` for a request that creates something: a retry gets the same answer."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=32)
    key = models.CharField(max_length=200)
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "scope", "key"], name="dossiers_idempotency_unique")
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"
