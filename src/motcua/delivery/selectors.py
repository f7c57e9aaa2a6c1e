"""Reads of the delivery app: the postal fee (from the tariff), a dossier's parcel and what is shown of it."""

from datetime import date

from django.db.models import Q
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.core.money import format_vnd
from motcua.forms import units

from .models import PostalTariff, Shipment, Zone
from .registry import register


class NoTariff(LookupError):
    """No postal tariff applies: an administrator has to enter one (admin, Postal tariffs)."""


def home_province() -> str:
    """The province the portal's agencies are in (the demo province, first in ``forms.units``)."""
    return units.provinces()[0]["code"]


def zone_of(address: dict | None) -> str:
    province = (address or {}).get("province") or ""
    return Zone.INNER if province == home_province() else Zone.OUTER


def postal_fee(dossier_or_agency, address: dict | None, *, on: date | None = None) -> int:
    """Cước trả kết quả qua bưu chính: what sending the result to ``address`` costs (VND), by the tariff in
    force ``on`` (by default: the day the dossier was sent, else today), for the dossier's receiving agency
    (or the agency given). The agency's own rows before the general ones, a zone's before the flat rate, the
    latest before the older; ``NoTariff`` when none applies."""
    if isinstance(dossier_or_agency, Agency):
        agency_id, sent = dossier_or_agency.pk, None
    else:
        agency_id, sent = dossier_or_agency.agency_id, dossier_or_agency.submitted_at
    if on is None:
        on = timezone.localdate(sent) if sent else timezone.localdate()
    zone = zone_of(address)
    rows = PostalTariff.objects.filter(
        Q(agency_id=agency_id) | Q(agency__isnull=True), zone__in=[zone, Zone.ANY], effective_from__lte=on
    ).values_list("agency_id", "zone", "effective_from", "amount")
    best = max(
        rows,
        key=lambda r: (r[0] is not None, r[1] == zone, r[2]),
        default=None,
    )
    if best is None:
        raise NoTariff(f"No postal tariff for agency {agency_id}, zone {zone}, on {on}.")
    return best[3]


def money(amount: int) -> str:
    """An amount as the catalogue shows fees: 25.000 đ."""
    return format_vnd(amount)


def shipment_of(dossier) -> Shipment | None:
    return Shipment.objects.filter(dossier=dossier).first()


def tracking_url(shipment: Shipment) -> str:
    if not shipment.tracking_number or shipment.service not in register:
        return ""
    return register[shipment.service].tracking_url(shipment.tracking_number)


def service_label(shipment: Shipment) -> str:
    return str(register[shipment.service].label) if shipment.service in register else shipment.service


def public_view(shipment: Shipment | None) -> dict | None:
    """What anyone with the dossier's code sees of its parcel: the carrier, the number, where it is."""
    if shipment is None:
        return None
    return {
        "service": shipment.service,
        "service_label": service_label(shipment),
        "tracking_number": shipment.tracking_number,
        "tracking_url": tracking_url(shipment),
        "status": shipment.status,
        "status_label": str(shipment.get_status_display()),
        "booked_at": shipment.booked_at,
        "delivered_at": shipment.delivered_at,
        "fee": None,
        "fee_display": "",
        "address_text": "",
        "events": [],
    }


def full_view(shipment: Shipment | None) -> dict | None:
    """What the applicant and the officers see: besides, the fee, the address and the notices."""
    view = public_view(shipment)
    if view is None:
        return None
    view.update(
        fee=shipment.fee,
        fee_display=money(shipment.fee),
        address=shipment.address,
        address_text=units.address_text(shipment.address),
        books_itself=register[shipment.service].books_itself if shipment.service in register else False,
        events=[
            {
                "status": e.status,
                "status_label": str(e.get_status_display()),
                "occurred_at": e.occurred_at,
                "note": e.note,
                "by_desk": e.entered_by_id is not None,
            }
            for e in shipment.events.all()
        ],
    )
    return view
