"""The gateway's notification (IPN) and the payer's return: every answer code, replays, order, tampering.

Each test plays VNPay's side with parameters signed as VNPay signs them (``conftest.gateway_says``) and
calls ``services.handle_callback`` as the IPN and return views do.
"""

from datetime import timedelta

import pytest

from motcua.audit.models import AuditEntry
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.notifications.models import Notification
from motcua.payments import services
from motcua.payments.models import ChargeState, Payment, PaymentCallback, PaymentState

from .conftest import gateway_says, ipn, query

pytestmark = pytest.mark.django_db


def reload(payment):
    return Payment.objects.get(pk=payment.pk)


class TestAnswers:
    def test_00_a_paid_payment_settles_its_charge_and_the_dossier_goes_on(self, pending, owed):
        result = ipn(pending)
        assert result.code == "00" and result.body == {"RspCode": "00", "Message": "Confirm Success"}
        payment = reload(pending)
        assert payment.state == PaymentState.PAID and payment.paid_at is not None
        assert (payment.transaction_no, payment.bank_code) == ("14226112", "NCB")
        charge = owed.charges.get()
        assert (charge.state, charge.payment) == (ChargeState.PAID, payment)
        dossier = Dossier.objects.get(pk=owed.pk)
        assert dossier.status == DossierStatus.PROCESSING and dossier.paused_at is None
        assert dossier.events.last().action == "payment_received"
        assert AuditEntry.objects.filter(action="payment.paid").count() == 1

    def test_00_a_failed_payment_is_answered_and_leaves_the_charge_owed(self, pending, owed):
        assert ipn(pending, response="24").code == "00"  # the payer cancelled
        assert reload(pending).state == PaymentState.FAILED
        assert owed.charges.get().state == ChargeState.OWED
        assert Dossier.objects.get(pk=owed.pk).status == DossierStatus.PAYMENT_REQUESTED

    def test_success_needs_both_the_response_and_the_transaction_status(self, pending):
        ipn(pending, response="00", status="02")
        assert reload(pending).state == PaymentState.FAILED

    def test_01_an_unknown_reference(self, pending):
        params = gateway_says(pending, vnp_TxnRef="TTNOSUCHREF1")
        result = services.handle_callback("vnpay", params, kind="ipn", raw=query(params), client_ip=None)
        assert result.code == "01"
        assert reload(pending).state == PaymentState.PENDING

    def test_01_another_merchant_of_the_same_secret(self, pending):
        assert ipn(pending, merchant="SOMEONE2").code == "01"
        assert reload(pending).state == PaymentState.PENDING

    def test_97_a_bad_signature_is_refused_logged_and_changes_nothing(self, pending, caplog):
        with caplog.at_level("WARNING", logger="motcua.security"):
            assert ipn(pending, secret="NOT-THE-SECRET").code == "97"
        assert "payment_signature_invalid" in caplog.text
        assert reload(pending).state == PaymentState.PENDING
        assert AuditEntry.objects.filter(action="payment.callback_refused").exists()
        stored = PaymentCallback.objects.get()
        assert (stored.answer, stored.verified, stored.remote_ip) == ("97", False, "113.160.92.202")

    def test_97_a_signed_callback_whose_field_was_changed_after(self, pending):
        params = gateway_says(pending)
        params["vnp_ResponseCode"] = "00"
        params["vnp_Amount"] = "100"  # tampered after signing
        result = services.handle_callback("vnpay", params, kind="ipn", raw=query(params), client_ip=None)
        assert result.code == "97"

    def test_97_without_any_signature(self, pending):
        params = gateway_says(pending)
        del params["vnp_SecureHash"]
        assert services.handle_callback("vnpay", params, kind="ipn", raw="", client_ip=None).code == "97"

    def test_04_a_wrong_amount_leaves_it_unpaid_and_alerts_the_finance_officer_once(self, pending, staff):
        for _ in range(3):
            assert ipn(pending, vnp_Amount="1500000").code == "04"  # 15,000 đ signed for 150,000 đ
        assert reload(pending).state == PaymentState.PENDING
        alerts = Notification.objects.filter(topic="payment.amount_mismatch")
        assert [n.recipient for n in alerts] == [staff["finance"]]
        assert ipn(pending).code == "00"  # the right amount still pays it

    def test_04_an_amount_that_is_not_whole_dong(self, pending):
        assert ipn(pending, vnp_Amount="15000050").code == "04"

    def test_99_when_the_merchant_secret_is_missing(self, pending, monkeypatch):
        monkeypatch.delenv("MOTCUA_TEST_VNPAY_SECRET")
        assert ipn(pending).code == "99"
        assert reload(pending).state == PaymentState.PENDING
        assert PaymentCallback.objects.get().answer == "99"

    def test_every_callback_is_kept_verbatim(self, pending):
        params = gateway_says(pending)
        services.handle_callback("vnpay", params, kind="return", raw=query(params), client_ip="198.51.100.7")
        stored = PaymentCallback.objects.get()
        assert stored.raw == query(params) and stored.kind == "return" and stored.payment == reload(pending)


class TestIdempotence:
    def test_the_same_ipn_a_hundred_times_moves_the_payment_once(self, pending, owed):
        answers = [ipn(pending).code for _ in range(100)]
        assert answers == ["00"] + ["02"] * 99
        assert Dossier.objects.get(pk=owed.pk).events.filter(action="payment_received").count() == 1
        assert AuditEntry.objects.filter(action="payment.paid").count() == 1
        assert PaymentCallback.objects.count() == 100

    def test_return_then_ipn(self, pending):
        assert ipn(pending, kind="return").code == "00"
        assert ipn(pending).code == "02"
        assert reload(pending).state == PaymentState.PAID

    def test_ipn_then_return(self, pending):
        assert ipn(pending).code == "00"
        assert ipn(pending, kind="return").code == "02"
        assert reload(pending).state == PaymentState.PAID

    def test_a_success_after_a_failure_changes_nothing(self, pending):
        ipn(pending, response="24")
        assert ipn(pending).code == "02"
        assert reload(pending).state == PaymentState.FAILED


class TestCheckout:
    def test_nothing_owed_nothing_to_pay(self, processing, citizen, account):
        with pytest.raises(services.PaymentRefused):
            services.open_checkout(processing, by=citizen, gateway="vnpay", return_url="http://x/")

    def test_the_redirect_is_signed_with_every_vnpay_field(self, pending, owed, citizen):
        from urllib.parse import parse_qsl, urlsplit

        from motcua.payments.contrib.vnpay import protocol

        _, checkout = services.open_checkout(owed, by=citizen, gateway="vnpay", client_ip="203.0.113.5",
                                             return_url="http://testserver/r/", locale="en")  # fmt: skip
        url = urlsplit(checkout.redirect_url)
        assert url.netloc == "pay.example.test" and checkout.qr is None
        params = dict(parse_qsl(url.query))
        assert protocol.verify(params, "TEST-MERCHANT-SECRET-0123456789")
        assert params["vnp_Amount"] == "15000000" and params["vnp_TxnRef"] == pending.reference
        assert (params["vnp_Version"], params["vnp_Command"], params["vnp_CurrCode"]) == (
            "2.1.0",
            "pay",
            "VND",
        )
        assert (params["vnp_Locale"], params["vnp_IpAddr"]) == ("en", "203.0.113.5")
        assert params["vnp_TmnCode"] == "THU00001" and params["vnp_ReturnUrl"] == "http://testserver/r/"
        assert protocol.parse_date(params["vnp_ExpireDate"]) > protocol.parse_date(params["vnp_CreateDate"])

    def test_coming_back_continues_the_same_payment(self, pending, owed, citizen):
        again, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", return_url="http://x/")
        assert again == pending and Payment.objects.count() == 1

    def test_a_new_charge_supersedes_the_pending_payment(self, pending, owed, citizen):
        services.add_charge(owed, kind="postal", amount=30_000, reason="Phí bưu chính")
        again, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", return_url="http://x/")
        assert again != pending and again.amount == 180_000
        assert reload(pending).state == PaymentState.EXPIRED

    def test_a_superseded_payment_paid_anyway_is_honoured_and_the_surplus_refunded(
        self, pending, owed, citizen
    ):
        services.add_charge(owed, kind="postal", amount=30_000, reason="Phí bưu chính")
        newer, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", return_url="http://x/")
        assert ipn(newer).code == "00"
        assert ipn(pending).code == "00"  # the old tab was paid too
        old = reload(pending)
        assert (old.state, old.refunded_amount) == (PaymentState.REFUNDED, 150_000)

    def test_other_people_cannot_pay(self, owed, other_citizen, staff, account):
        from django.core.exceptions import PermissionDenied

        for someone in (other_citizen, staff["specialist"]):
            with pytest.raises(PermissionDenied):
                services.open_checkout(owed, by=someone, gateway="vnpay", return_url="http://x/")

    def test_a_gateway_the_agency_does_not_take(self, owed, citizen, account):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            services.open_checkout(owed, by=citizen, gateway="sandbox", return_url="http://x/")


class TestExpiry:
    def test_pending_payments_past_their_time_expire(self, pending, clock):
        assert services.expire_stale_payments(pending.expires_at - timedelta(seconds=1)) == 0
        assert services.expire_stale_payments(pending.expires_at) == 1
        assert reload(pending).state == PaymentState.EXPIRED
        assert services.expire_stale_payments(pending.expires_at + timedelta(days=1)) == 0

    def test_a_late_failure_for_an_expired_payment_changes_nothing(self, pending):
        services.expire_stale_payments(pending.expires_at)
        assert ipn(pending, response="24").code == "02"
        assert reload(pending).state == PaymentState.EXPIRED

    def test_an_expired_payment_is_not_continued(self, pending, owed, citizen, clock):
        clock.now = pending.expires_at + timedelta(minutes=1)
        again, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", return_url="http://x/")
        assert again != pending and reload(pending).state == PaymentState.EXPIRED
