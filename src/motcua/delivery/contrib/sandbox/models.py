"""The sandbox carrier's own book of parcels: what a real post office keeps on its side, kept here so
that testers can move a parcel along (``views.tester``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxParcel(models.Model):
    reference = models.CharField(_("sender's reference"), max_length=100, unique=True)
    tracking_number = models.CharField(_("tracking number"), max_length=32, unique=True)
    sender = models.CharField(_("sender"), max_length=255, blank=True)
    recipient = models.JSONField(_("recipient"), default=dict)
    callback_url = models.URLField(_("callback address"), max_length=500)
    status = models.CharField(_("status"), max_length=16, default="booked")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        app_label = "delivery"
        verbose_name = _("sandbox parcel")
        verbose_name_plural = _("sandbox parcels")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.tracking_number
