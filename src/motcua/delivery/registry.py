"""The postal services (dịch vụ bưu chính) a parcel can go with, as plug-ins: one folder each under
``contrib/`` (the way Open Forms organises its payment plug-ins), each registering a ``PostalService``.

A service books a parcel (``book`` → tracking number), reads the notices the post sends about it
(``read_callback`` → a verified ``Notice``, or ``BadSignature``), and cancels a booking. A service that
needs a person (``manual``: the desk books at the post-office counter) has ``books_itself = False``.
"""

from dataclasses import dataclass
from datetime import datetime


class BadSignature(Exception):
    """A callback whose signature does not verify: refused, logged, and never believed."""


class BookingFailed(Exception):
    """The post could not take the parcel now (refused, unreachable): the booking is tried again later."""


@dataclass(frozen=True)
class Notice:
    """A verified status notice of the post: ``status`` is a ``ShipmentStatus`` value."""

    tracking_number: str
    event_id: str
    status: str
    occurred_at: datetime
    note: str = ""


class PostalService:
    key: str = ""
    label: str = ""
    books_itself: bool = True

    def is_enabled(self) -> bool:
        return True

    def book(self, shipment) -> str:
        """Book ``shipment`` with the post; its tracking number, or ``BookingFailed``.

        Send ``shipment.pk`` as the booking's client reference (the post's idempotency key): the booking
        task runs again when its worker dies before recording the number, and the post must answer that
        second call with the first parcel's number, not book a second one (the sandbox post does)."""
        raise NotImplementedError

    def read_callback(self, body: bytes, headers) -> Notice:
        """The notice a webhook call carries, verified; ``BadSignature`` when it cannot be believed."""
        raise BadSignature("This service sends no callbacks.")

    def cancel(self, shipment) -> None:
        """Call the booking off (a result revoked before the parcel left)."""

    def tracking_url(self, tracking_number: str) -> str:
        """Where the carrier shows the parcel's journey; empty when it shows it nowhere."""
        return ""


class Registry:
    def __init__(self):
        self._services: dict[str, PostalService] = {}

    def register(self, service_class):
        service = service_class()
        self._services[service.key] = service
        return service_class

    def __getitem__(self, key: str) -> PostalService:
        return self._services[key]

    def __contains__(self, key: str) -> bool:
        return key in self._services

    def enabled(self) -> list[PostalService]:
        return [s for s in self._services.values() if s.is_enabled()]


register = Registry()
