"""An officer asks for a payment: a charge with its amount and reason, the dossier waits (status 6) with its
clock stopped, and goes back to processing with the time it had left once the charge is paid."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.notifications.models import Notification
from motcua.payments import selectors, services
from motcua.payments.models import ChargeKind, ChargeState

from .conftest import VN, ipn

pytestmark = pytest.mark.django_db


class TestRequestCharge:
    def test_the_charge_is_recorded_and_the_clock_stops(self, processing, staff, clock):
        clock.set(2026, 3, 2, 10, 0)
        charge = services.request_charge(
            processing, by=staff["specialist"], amount="150.000", reason="Lệ phí"
        )
        assert (charge.kind, charge.amount, charge.state) == (ChargeKind.REQUESTED, 150_000, ChargeState.OWED)
        assert charge.lines == [{"name": "Lệ phí", "amount": 150_000}]
        dossier = Dossier.objects.get(pk=processing.pk)
        assert dossier.status == DossierStatus.PAYMENT_REQUESTED and dossier.paused_at == clock.now
        assert dossier.events.last().note == "Lệ phí"

    @pytest.mark.parametrize("amount", ["0", "-5", "abc", "", "1.5", None, "99999999999"])
    def test_an_amount_that_is_not_whole_positive_dong_is_refused_before_anything(
        self, processing, staff, amount
    ):
        with pytest.raises(ValidationError) as refused:
            services.request_charge(processing, by=staff["specialist"], amount=amount, reason="Lệ phí")
        assert "amount" in refused.value.message_dict
        assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.PROCESSING
        assert not processing.charges.exists()

    def test_a_reason_is_required(self, processing, staff):
        with pytest.raises(ValidationError):
            services.request_charge(processing, by=staff["specialist"], amount=1000, reason="  ")
        assert not processing.charges.exists()

    def test_only_who_holds_the_step_asks(self, processing, staff, citizen):
        for someone in (staff["desk"], staff["finance"], citizen):
            with pytest.raises((PermissionDenied, dossier_services.ActionRefused)):
                services.request_charge(processing, by=someone, amount=1000, reason="Lệ phí")
        assert not processing.charges.exists()

    def test_a_charge_that_cannot_be_recorded_leaves_the_dossier_as_it_was(
        self, processing, staff, monkeypatch
    ):
        """All or nothing: never a dossier waiting for a payment (status 6) with nothing to pay."""
        from motcua.payments.services import charges

        def broken(*args, **kwargs):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(charges, "add_charge", broken)
        with pytest.raises(RuntimeError):
            services.request_charge(processing, by=staff["specialist"], amount=1000, reason="Lệ phí")
        dossier = Dossier.objects.get(pk=processing.pk)
        assert (dossier.status, dossier.paused_at) == (DossierStatus.PROCESSING, None)
        assert not processing.charges.exists()

    def test_not_at_the_wrong_moment(self, sent, staff):
        with pytest.raises(dossier_services.ActionRefused):
            services.request_charge(sent, by=staff["specialist"], amount=1000, reason="Lệ phí")


class TestPaymentReceived:
    def test_paid_two_working_days_later_the_due_date_moves_by_two_working_days(
        self, processing, staff, citizen, account, clock
    ):
        due = processing.due_at
        assert due == datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # received Monday 09:00, 3 working days
        services.request_charge(processing, by=staff["specialist"], amount=150_000, reason="Lệ phí")
        payment, _ = services.open_checkout(processing, by=citizen, gateway="vnpay", return_url="http://x/")
        clock.set(2026, 3, 4, 9, 0)  # Wednesday
        assert ipn(payment).code == "00"
        dossier = Dossier.objects.select_related("current_step").get(pk=processing.pk)
        assert dossier.status == DossierStatus.PROCESSING and dossier.paused_at is None
        assert dossier.due_at == datetime(2026, 3, 9, 9, 0, tzinfo=VN)  # Thursday + 2 working days: Monday
        event = dossier.events.last()
        assert (event.action, event.actor) == ("payment_received", citizen)
        told = Notification.objects.filter(topic="dossier.payment_received", recipient=citizen)
        assert told.count() == 1

    def test_the_dossier_waits_while_another_requested_charge_is_owed(
        self, processing, staff, citizen, account
    ):
        services.request_charge(processing, by=staff["specialist"], amount=100_000, reason="Lệ phí")
        first, _ = services.open_checkout(processing, by=citizen, gateway="vnpay", return_url="http://x/")
        services.add_charge(processing, kind=ChargeKind.REQUESTED, amount=20_000, reason="Phí thẩm định")
        assert ipn(first).code == "00"  # superseded, still honoured: the first charge is paid
        assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.PAYMENT_REQUESTED
        assert selectors.owed_total(processing) == 20_000

    def test_a_waived_charge_lets_the_dossier_go_on(self, owed, staff, citizen):
        charge = owed.charges.get()
        with pytest.raises(PermissionDenied):
            services.waive_charge(charge, by=staff["specialist"], reason="Đã nộp tại quầy")
        services.waive_charge(charge, by=staff["finance"], reason="Đã nộp tại quầy, biên lai 0012")
        assert Dossier.objects.get(pk=owed.pk).status == DossierStatus.PROCESSING

    def test_payment_received_is_refused_when_no_payment_was_awaited(self, processing):
        with pytest.raises(dossier_services.ActionRefused):
            dossier_services.payment_received(processing, note="x")


def test_lines_must_add_up(processing):
    with pytest.raises(ValidationError):
        services.add_charge(processing, kind="fee", amount=100, lines=[{"name": "Lệ phí", "amount": 90}])
    charge = services.add_charge(
        processing, kind="fee", amount=100_000,
        lines=[{"name": "Lệ phí", "amount": 60_000}, {"name": "Phí", "amount": 40_000}],
    )  # fmt: skip
    assert len(charge.lines) == 2
