"""The postal fee is data (admin-editable tariff rows with an effective date): the most specific row in
force applies, and a dossier is charged by the tariff of the day it was sent."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from motcua.delivery import selectors
from motcua.delivery.models import PostalTariff, Zone

HOME = {"province": "99"}
ELSEWHERE = {"province": "01"}


class TestPostalFee:
    def test_the_starting_tariff_by_zone(self, agency):
        assert selectors.postal_fee(agency, HOME) == 25_000
        assert selectors.postal_fee(agency, ELSEWHERE) == 35_000

    def test_an_agency_of_its_own_before_the_general_rows(self, agency, other_agency):
        PostalTariff.objects.create(
            agency=agency, zone=Zone.ANY, amount=18_000, effective_from=date(2026, 1, 1)
        )
        assert selectors.postal_fee(agency, HOME) == 18_000
        assert selectors.postal_fee(agency, ELSEWHERE) == 18_000  # a flat rate of its own
        assert selectors.postal_fee(other_agency, HOME) == 25_000

    def test_a_zone_before_the_flat_rate_and_the_latest_in_force(self, agency):
        PostalTariff.objects.create(
            agency=agency, zone=Zone.ANY, amount=30_000, effective_from=date(2026, 1, 1)
        )
        PostalTariff.objects.create(
            agency=agency, zone=Zone.INNER, amount=20_000, effective_from=date(2026, 1, 1)
        )
        PostalTariff.objects.create(
            agency=agency, zone=Zone.INNER, amount=22_000, effective_from=date(2026, 6, 1)
        )
        assert selectors.postal_fee(agency, HOME, on=date(2026, 3, 1)) == 20_000
        assert selectors.postal_fee(agency, HOME, on=date(2026, 7, 1)) == 22_000
        assert selectors.postal_fee(agency, ELSEWHERE, on=date(2026, 7, 1)) == 30_000

    def test_a_price_change_after_sending_does_not_alter_a_dossier(self, by_post):
        sent_on = by_post.submitted_at.date()
        PostalTariff.objects.create(
            agency=None, zone=Zone.INNER, amount=99_000, effective_from=date(2999, 1, 1)
        )
        assert selectors.postal_fee(by_post, by_post.delivery_address) == 25_000
        assert selectors.postal_fee(by_post, by_post.delivery_address, on=date(2999, 1, 2)) == 99_000
        assert sent_on < date(2999, 1, 1)

    def test_no_tariff_in_force_is_said_plainly(self, agency):
        PostalTariff.objects.all().delete()
        with pytest.raises(selectors.NoTariff):
            selectors.postal_fee(agency, HOME)

    def test_none_before_its_date(self, agency):
        on = datetime(2025, 6, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")).date()
        with pytest.raises(selectors.NoTariff):
            selectors.postal_fee(agency, HOME, on=on)
