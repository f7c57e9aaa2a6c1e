"""The demo data of results by post (``manage.py load_demo``): a starting postal tariff for every agency, so
that the post can be offered at once. The amounts are examples, not a carrier's prices (an administrator
enters the contract's own: admin, Postal tariffs). Idempotent: a tariff row already there is left as it is.

A migration seeded the same rows on every installation; the demo enters them again because a database
emptied since (a test on a live server, an operator's clean-up) has lost them."""

from datetime import date

from .models import PostalTariff, Zone

DEMO_TARIFF = {Zone.INNER: 25_000, Zone.OUTER: 35_000}
DEMO_TARIFF_SINCE = date(2025, 7, 1)


def ensure_demo_tariff() -> int:
    """Enter the demo tariff's rows that are missing; returns how many were entered."""
    entered = 0
    for zone, amount in DEMO_TARIFF.items():
        _row, created = PostalTariff.objects.get_or_create(
            agency=None, zone=zone, effective_from=DEMO_TARIFF_SINCE, defaults={"amount": amount}
        )
        entered += created
    return entered
