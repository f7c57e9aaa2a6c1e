"""The sandbox postal service as a plug-in: the adapter side of ``protocol``, talking HTTP to the sandbox
carrier inside Motcua (``views``), exactly as it would to a real one."""

import json
import logging
from datetime import datetime

import requests
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ...registry import BadSignature, BookingFailed, Notice, PostalService, register
from . import protocol

logger = logging.getLogger("motcua.delivery")


def base_url() -> str:
    return (settings.MOTCUA_POSTAL_SANDBOX_URL or settings.MOTCUA_PUBLIC_URL).rstrip("/")


@register.register
class SandboxPostalService(PostalService):
    key = "sandbox"
    label = _("Sandbox postal service (testing)")

    def is_enabled(self) -> bool:
        return bool(settings.MOTCUA_POSTAL_SANDBOX)

    def book(self, shipment) -> str:
        from motcua.forms.units import address_text

        address = shipment.address
        body = protocol.encode(
            {
                "reference": str(shipment.pk),
                "sender": shipment.dossier.agency.name if shipment.dossier.agency_id else "",
                "recipient": {
                    "name": address.get("name", ""),
                    "phone": address.get("phone", ""),
                    "address": address_text(address),
                },
                "callback_url": settings.MOTCUA_PUBLIC_URL.rstrip("/")
                + reverse("delivery:webhook", kwargs={"service": self.key}),
            }
        )
        url = base_url() + reverse("delivery:sandbox_orders")
        secret = settings.MOTCUA_POSTAL_SANDBOX_SECRET
        try:
            answer = requests.post(url, data=body, headers=protocol.signed_headers(body, secret), timeout=10)
        except requests.RequestException as exc:
            raise BookingFailed(f"The sandbox post cannot be reached: {exc}") from exc
        if answer.status_code not in (200, 201):
            raise BookingFailed(f"The sandbox post answered {answer.status_code}: {answer.text[:200]}")
        try:
            number = str(answer.json()["tracking_number"])
        except (ValueError, KeyError, TypeError) as exc:
            raise BookingFailed("The sandbox post answered without a tracking number.") from exc
        return number

    def read_callback(self, body: bytes, headers) -> Notice:
        if not protocol.verify(body, headers.get(protocol.HEADER, ""), settings.MOTCUA_POSTAL_SANDBOX_SECRET):
            raise BadSignature("The signature does not match the body.")
        try:
            data = json.loads(body)
            status = data["status"]
            if status not in protocol.STATUSES:
                raise ValueError(status)
            return Notice(
                tracking_number=str(data["tracking_number"]),
                event_id=str(data["event_id"])[:100],
                status=status,
                occurred_at=datetime.fromisoformat(data["occurred_at"]),
                note=str(data.get("note", ""))[:500],
            )
        except (ValueError, KeyError, TypeError) as exc:
            # Signed but malformed: the post's fault, refused like a forgery, with the reason logged.
            raise BadSignature(f"A signed notice that cannot be read: {exc}") from exc

    def tracking_url(self, tracking_number: str) -> str:
        return reverse("delivery:sandbox_home") + f"#{tracking_number}"
