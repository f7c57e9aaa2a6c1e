"""Background work of the delivery app: booking a parcel with its postal service (retried by itself)."""

from celery import shared_task


@shared_task(name="motcua.delivery.book_shipment", ignore_result=True)
def book_shipment(shipment_id: int) -> None:
    from .services import book

    book(shipment_id)
