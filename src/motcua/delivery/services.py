"""Writes of the delivery app: a parcel made when a result is ready, booked with the post, moved along by
the post's notices or the desk's entries, and the dossier returned (status 10) once it is delivered.

A notice is kept once per its event id (a repeat changes nothing); notices may arrive in any order: a
parcel never moves back (a late "in transit" after "delivered" is kept but changes nothing), and among
the others the latest by the time it happened wins.
"""

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import OfficerMembership, OfficerRole
from motcua.audit import services as audit
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierStatus, ResultDelivery
from motcua.dossiers.services.errors import ActionRefused, invalid, require
from motcua.dossiers.services.lifecycle import tell_applicant
from motcua.notifications import services as notifications

from . import rules, selectors
from .models import FINAL, Shipment, ShipmentEvent, ShipmentStatus
from .registry import BookingFailed, Notice, register

logger = logging.getLogger("motcua.delivery")

MAX_BOOKING_ATTEMPTS = 5
ENTERED_BY_DESK = (
    ShipmentStatus.IN_TRANSIT,
    ShipmentStatus.DELIVERED,
    ShipmentStatus.FAILED,
    ShipmentStatus.RETURNED,
)


def default_service() -> str:
    """The postal service new parcels go with (``MOTCUA_POSTAL_SERVICE``)."""
    key = settings.MOTCUA_POSTAL_SERVICE
    if key not in register or not register[key].is_enabled():
        return "manual"
    return key


def make_shipment(dossier: Dossier) -> Shipment | None:
    """The parcel of a dossier whose applicant chose the post, made once (in the caller's transaction, the
    one that made the result ready); the booking is queued for after the commit."""
    if dossier.result_delivery != ResultDelivery.POST:
        return None
    existing = Shipment.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    try:
        fee = selectors.postal_fee(dossier, dossier.delivery_address)
    except selectors.NoTariff:
        logger.error("No postal tariff for dossier %s: its parcel is made with fee 0", dossier.code)
        fee = 0
    shipment = Shipment.objects.create(
        dossier=dossier, service=default_service(), address=dict(dossier.delivery_address), fee=fee
    )
    if register[shipment.service].books_itself:
        from motcua.core.tasks import enqueue

        from .tasks import book_shipment

        enqueue(book_shipment, shipment.pk)
    else:
        _tell_desk(shipment, "parcel_to_book")
    return shipment


def book(shipment_id: int) -> Shipment:
    """Book the parcel with its postal service (an outside call, made outside any transaction and lock);
    a failure is recorded and tried again later, up to MAX_BOOKING_ATTEMPTS, then the desk is told."""
    shipment = Shipment.objects.select_related("dossier__agency").get(pk=shipment_id)
    if shipment.tracking_number or shipment.status != ShipmentStatus.PENDING:
        return shipment
    service = register[shipment.service]
    try:
        number = service.book(shipment)
    except BookingFailed as exc:
        logger.warning("Booking parcel %s failed: %s", shipment.pk, exc)
        with transaction.atomic():
            shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
            shipment.booking_attempts += 1
            shipment.last_error = str(exc)[:500]
            shipment.save(update_fields=["booking_attempts", "last_error", "updated_at"])
            if shipment.booking_attempts < MAX_BOOKING_ATTEMPTS:
                from motcua.core.tasks import enqueue

                from .tasks import book_shipment

                enqueue(book_shipment, shipment.pk, countdown=60 * 2**shipment.booking_attempts)
            else:
                _tell_desk(shipment, "parcel_not_booked")
        return shipment
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if not shipment.tracking_number:
            _booked(shipment, number, by=None)
    return shipment


def _booked(shipment: Shipment, number: str, *, by) -> None:
    shipment.tracking_number = number[:64]
    shipment.status = ShipmentStatus.BOOKED
    shipment.booked_at = timezone.now()
    shipment.last_error = ""
    shipment.save()
    audit.record(
        "delivery.book", actor=by, target=shipment.dossier, target_label=shipment.dossier.code,
        service=shipment.service, tracking_number=shipment.tracking_number,
    )  # fmt: skip


@transaction.atomic
def record_notice(*, service: str, notice: Notice, raw: str) -> Shipment:
    """A verified notice of the post about one of our parcels, kept verbatim; ``Shipment.DoesNotExist``
    for a number we never booked with ``service``. A repeat (same event id) changes nothing."""
    shipment = (
        Shipment.objects.select_for_update()
        .select_related("dossier")
        .get(service=service, tracking_number=notice.tracking_number)
    )
    if shipment.events.filter(event_id=notice.event_id).exists():
        return shipment
    _record(shipment, notice.status, notice.occurred_at, event_id=notice.event_id, note=notice.note, raw=raw)
    return shipment


def _record(shipment, status, occurred_at: datetime, *, event_id, note="", raw="", by=None) -> None:
    latest = shipment.events.order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    ShipmentEvent.objects.create(
        shipment=shipment, event_id=event_id, status=status, occurred_at=occurred_at, note=note, raw=raw,
        entered_by=by,
    )  # fmt: skip
    if shipment.status in FINAL:
        return  # delivered or back with us: nothing later changes that
    if status not in FINAL and latest is not None and occurred_at < latest:
        return  # an older notice arriving late
    shipment.status = status
    if status == ShipmentStatus.DELIVERED:
        shipment.delivered_at = occurred_at
    shipment.save()
    audit.record(
        "delivery.status", actor=by, target=shipment.dossier, target_label=shipment.dossier.code,
        status=status, tracking_number=shipment.tracking_number,
    )  # fmt: skip
    if status == ShipmentStatus.DELIVERED:
        _return_dossier(shipment, by=by, note=note)
    elif status in (ShipmentStatus.FAILED, ShipmentStatus.RETURNED):
        _tell_failure(shipment, note)


def _return_dossier(shipment: Shipment, *, by, note: str) -> None:
    dossier = shipment.dossier
    if dossier.status != DossierStatus.RESULT_READY:
        return  # already handed over (the desk was quicker than the post's notice)
    dossier_services.return_result(
        dossier,
        by=by,
        method="post",
        note=note
        or _("Delivered by post, tracking number %(number)s.") % {"number": shipment.tracking_number},
    )


# --- the desk ----------------------------------------------------------------------------------------------


def _handled(dossier: Dossier, by) -> Shipment:
    if not rules.may_handle(dossier, by):
        raise PermissionDenied(_("Only the desk of the receiving agency handles the dossier's parcel."))
    shipment = Shipment.objects.select_for_update().select_related("dossier").filter(dossier=dossier).first()
    if shipment is None:
        raise ActionRefused(_("This dossier has no parcel: its applicant did not choose the post."))
    return shipment


@transaction.atomic
def enter_tracking(dossier: Dossier, *, by, tracking_number: str) -> Shipment:
    """The desk booked the parcel at the post-office counter and types its tracking number."""
    number = require(
        tracking_number, "tracking_number", _("Enter the tracking number printed on the receipt.")
    )
    if len(number) > 64 or not number.replace("-", "").isalnum():
        raise invalid("tracking_number", _("A tracking number has letters and digits only, at most 64."))
    shipment = _handled(dossier, by)
    if shipment.status != ShipmentStatus.PENDING:
        raise ActionRefused(
            _("The parcel is booked already (tracking number %(number)s).")
            % {"number": shipment.tracking_number}
        )
    if Shipment.objects.filter(service=shipment.service, tracking_number=number).exists():
        raise invalid("tracking_number", _("Another parcel has this tracking number."))
    _booked(shipment, number, by=by)
    return shipment


@transaction.atomic
def enter_status(dossier: Dossier, *, by, status: str, note: str = "") -> Shipment:
    """The desk records what the post told it (by phone, on its receipt): on its way, delivered (the
    dossier is then returned), failed, or back with us."""
    if status not in ENTERED_BY_DESK:
        raise invalid("status", _("Choose what happened to the parcel."))
    shipment = _handled(dossier, by)
    if not shipment.tracking_number:
        raise ActionRefused(_("Enter the parcel's tracking number first."))
    if shipment.status in FINAL:
        raise ActionRefused(
            _("The parcel's journey is over: %(status)s.") % {"status": shipment.get_status_display()}
        )
    _record(
        shipment, status, timezone.now(), event_id=f"desk-{uuid.uuid4().hex}", note=note.strip()[:500], by=by
    )
    return shipment


# --- telling people ----------------------------------------------------------------------------------------


def _desk_officers(agency_id):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(
        pk__in=OfficerMembership.objects.filter(agency_id=agency_id, role=OfficerRole.DESK).values("user_id"),
        is_active=True,
    )


def _tell_desk(shipment: Shipment, template: str) -> None:
    dossier = shipment.dossier
    context = {
        "code": dossier.code,
        "tracking_number": shipment.tracking_number,
        "error": shipment.last_error,
    }
    for officer in _desk_officers(dossier.agency_id):
        notifications.notify(
            topic=f"delivery.{template}",
            template=template,
            context=context,
            recipient=officer,
            subject=dossier,
            link=f"/mot-cua/ho-so/{dossier.code}/",
        )


def _tell_failure(shipment: Shipment, note: str) -> None:
    """The desk decides what next (call the applicant, send again, keep it at the desk); the applicant
    learns where their result is."""
    _tell_desk(shipment, "parcel_failed_desk")
    tell_applicant(
        shipment.dossier,
        topic="delivery.parcel_failed",
        template="parcel_failed",
        context={"tracking_number": shipment.tracking_number, "note": note},
    )
