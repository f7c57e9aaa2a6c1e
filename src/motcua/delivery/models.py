"""The delivery of results by post (trả kết quả qua dịch vụ bưu chính công ích): the postal tariff, the
parcels (``Shipment``) and every status notice a postal service sent about them, kept verbatim."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Zone(models.TextChoices):
    """Where a parcel goes, seen from the sending agency's province (the home province of this portal)."""

    INNER = "inner", _("Within the province")
    OUTER = "outer", _("To another province")
    ANY = "any", _("Anywhere (flat rate)")


class PostalTariff(models.Model):
    """Cước bưu chính: what sending one result costs, from a date on. The most specific row applies: one of
    the agency before one for every agency, a zone's before the flat rate, the latest date before older."""

    agency = models.ForeignKey(
        "catalog.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="postal_tariffs",
        verbose_name=_("agency"),
        help_text=_("Empty: every agency without a tariff of its own."),
    )
    zone = models.CharField(_("destination"), max_length=8, choices=Zone.choices, default=Zone.ANY)
    amount = models.PositiveIntegerField(_("amount (VND)"))
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("postal tariff")
        verbose_name_plural = _("postal tariffs")
        ordering = ["agency", "zone", "-effective_from"]
        constraints = [
            # Two general rows (no agency) of one zone and date are told apart by the partial constraint.
            models.UniqueConstraint(
                fields=["agency", "zone", "effective_from"],
                condition=models.Q(agency__isnull=False),
                name="delivery_tariff_unique",
            ),
            models.UniqueConstraint(
                fields=["zone", "effective_from"],
                condition=models.Q(agency__isnull=True),
                name="delivery_tariff_general_unique",
            ),
        ]

    def __str__(self):
        return f"{self.get_zone_display()}: {self.amount:,} VND"


class ShipmentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be booked")
    BOOKED = "booked", _("Booked with the post")
    IN_TRANSIT = "in_transit", _("On its way")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Delivery failed")
    RETURNED = "returned", _("Returned to the sender")


# How far a parcel has gone: a notice of an earlier stage arriving late never moves it back.
PROGRESS = {
    ShipmentStatus.PENDING: 0,
    ShipmentStatus.BOOKED: 1,
    ShipmentStatus.IN_TRANSIT: 2,
    ShipmentStatus.FAILED: 3,
    ShipmentStatus.RETURNED: 4,
    ShipmentStatus.DELIVERED: 5,
}
FINAL = frozenset({ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED})


class Shipment(models.Model):
    """Bưu gửi: one dossier's result on its way to the applicant by post. ``address`` is the delivery
    address as it was when the parcel was made; ``fee`` the postal fee charged for it (VND)."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="shipment", verbose_name=_("dossier")
    )
    service = models.CharField(_("postal service"), max_length=40)
    address = models.JSONField(_("delivery address"), default=dict)
    fee = models.PositiveIntegerField(_("postal fee (VND)"), default=0)
    tracking_number = models.CharField(_("tracking number"), max_length=64, blank=True, db_index=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ShipmentStatus.choices, default=ShipmentStatus.PENDING
    )
    booking_attempts = models.PositiveSmallIntegerField(_("booking attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    booked_at = models.DateTimeField(_("booked at"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "tracking_number"],
                condition=~models.Q(tracking_number=""),
                name="delivery_tracking_unique",
            )
        ]

    def __str__(self):
        return self.tracking_number or f"#{self.pk}"


class ShipmentEvent(models.Model):
    """One status notice about a parcel: from the post (its body verbatim, its own event id, which makes a
    repeat a no-op) or entered by the desk."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(_("event id"), max_length=100)
    status = models.CharField(_("status"), max_length=16, choices=ShipmentStatus.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    raw = models.TextField(_("as received"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("shipment event")
        verbose_name_plural = _("shipment events")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shipment", "event_id"], name="delivery_event_once"),
        ]

    def __str__(self):
        return f"{self.shipment}: {self.status}"


from .contrib.sandbox.models import SandboxParcel  # noqa: E402, F401  (the sandbox carrier's side)
