"""Refunds: recorded in our books, then sent through the gateway's merchant API (here a small server on
127.0.0.1 that checks the request's signature and answers signed, as VNPay's refund API does), and made by
Motcua itself when a paid dossier is refused or stopped."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import PermissionDenied

from motcua.audit.models import AuditEntry
from motcua.dossiers import services as dossier_services
from motcua.payments import services
from motcua.payments.contrib.vnpay import protocol
from motcua.payments.models import CallbackKind, ChargeState, Payment, PaymentCallback, PaymentState

from .conftest import MERCHANT, SECRET, ipn

pytestmark = pytest.mark.django_db


class RefundApi:
    """VNPay's merchant API, its refund command only: verifies the signed JSON and answers signed."""

    def __init__(self, *, answer_code="00", secret=SECRET):
        self.requests = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                valid = protocol.verify_fields(body, protocol.REFUND_REQUEST_FIELDS, secret)
                seen = any(
                    earlier["vnp_RequestId"] == body.get("vnp_RequestId") for earlier, _ in api.requests
                )
                api.requests.append((body, valid))
                code = "97" if not valid else protocol.DUPLICATE if seen else answer_code
                answer = {
                    "vnp_ResponseId": "r1", "vnp_Command": "refund",
                    "vnp_ResponseCode": code, "vnp_Message": "ok",
                    "vnp_TmnCode": body.get("vnp_TmnCode"), "vnp_TxnRef": body.get("vnp_TxnRef"),
                    "vnp_Amount": body.get("vnp_Amount"), "vnp_BankCode": "NCB",
                    "vnp_PayDate": "20260302091500",
                    "vnp_TransactionNo": body.get("vnp_TransactionNo"), "vnp_TransactionType": "02",
                    "vnp_TransactionStatus": "05", "vnp_OrderInfo": body.get("vnp_OrderInfo"),
                }  # fmt: skip
                answer["vnp_SecureHash"] = protocol.sign_fields(
                    answer, protocol.REFUND_RESPONSE_FIELDS, secret
                )
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/merchant_webapi/api/transaction"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def paid(pending):
    assert ipn(pending).code == "00"
    return Payment.objects.get(pk=pending.pk)


def use(api, account):
    account.config = {**account.config, "api_url": api.url}
    account.save()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a commit starts (the refund sent to the gateway) as the commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


class TestRefund:
    def test_a_finance_officer_refunds_and_the_gateway_is_asked_with_a_signed_request(
        self, paid, staff, account, committed
    ):
        with RefundApi() as api:
            use(api, account)
            with committed():
                payment = services.refund(paid, by=staff["finance"], reason="Thu nhầm")
        assert (payment.state, payment.refunded_amount) == (PaymentState.REFUNDED, 150_000)
        [(body, valid)] = api.requests
        assert valid and body["vnp_Command"] == "refund" and body["vnp_TmnCode"] == MERCHANT
        assert (body["vnp_TxnRef"], body["vnp_Amount"]) == (paid.reference, "15000000")
        assert body["vnp_TransactionType"] == protocol.FULL_REFUND
        assert Payment.objects.get(pk=paid.pk).refund_status == "confirmed"
        answer = PaymentCallback.objects.get(kind=CallbackKind.REFUND)
        assert answer.verified and answer.answer == "00" and paid.reference in answer.raw
        assert paid.settled.get().state == ChargeState.REFUNDED
        assert AuditEntry.objects.filter(action="payment.refunded").exists()

    def test_a_partial_refund(self, paid, staff, account, committed):
        with RefundApi() as api:
            use(api, account)
            with committed():
                payment = services.refund(paid, by=staff["finance"], reason="Giảm phí", amount=50_000)
        assert (payment.state, payment.refunded_amount) == (PaymentState.PAID, 50_000)
        assert api.requests[0][0]["vnp_TransactionType"] == protocol.PARTIAL_REFUND

    def test_a_refund_sent_again_after_its_worker_died_is_not_refunded_twice(
        self, paid, staff, account, django_capture_on_commit_callbacks
    ):
        with RefundApi() as api:
            use(api, account)
            with django_capture_on_commit_callbacks(execute=True) as queued:
                services.refund(paid, by=staff["finance"], reason="Thu nhầm")
            # The queue hands the same task to another worker (the first was killed before it recorded
            # the answer): the same request id goes again, and the gateway knows it.
            queued[0]()
        first, again = (body for body, _valid in api.requests)
        assert first["vnp_RequestId"] == again["vnp_RequestId"] == f"{paid.reference}R150000"
        assert Payment.objects.get(pk=paid.pk).refund_status == "confirmed"
        answers = PaymentCallback.objects.filter(kind=CallbackKind.REFUND).order_by("pk")
        assert [a.answer for a in answers] == ["00", "00"]
        assert "earlier try" in answers.last().note

    def test_an_answer_signed_with_another_secret_is_not_believed(self, paid, staff, account, committed):
        with RefundApi(secret="SOMEONE-ELSE") as api:
            use(api, account)
            with committed():
                services.refund(paid, by=staff["finance"], reason="Thu nhầm")
        assert Payment.objects.get(pk=paid.pk).refund_status == "failed"

    def test_an_unreachable_gateway_leaves_the_refund_recorded_and_marked_failed(
        self, paid, staff, committed
    ):
        with committed():
            services.refund(paid, by=staff["finance"], reason="Thu nhầm")  # api_url: 127.0.0.1:9: nobody
        payment = Payment.objects.get(pk=paid.pk)
        assert (payment.state, payment.refund_status) == (PaymentState.REFUNDED, "failed")

    def test_only_a_finance_officer_of_the_agency(self, paid, staff, citizen, other_agency):
        from motcua.dossiers.tests.fixtures import make_officer

        outsider = make_officer("finance.khac", other_agency, role="finance")
        for someone in (staff["specialist"], staff["leader"], citizen, outsider):
            with pytest.raises(PermissionDenied):
                services.refund(paid, by=someone, reason="x")
        assert Payment.objects.get(pk=paid.pk).state == PaymentState.PAID

    def test_nothing_to_refund_twice(self, paid, staff, account):
        services.refund(paid, by=staff["finance"], reason="Thu nhầm")
        with pytest.raises(services.PaymentRefused):
            services.refund(paid, by=staff["finance"], reason="Thu nhầm")

    def test_a_pending_payment_is_not_refunded(self, pending, staff):
        with pytest.raises(services.PaymentRefused):
            services.refund(pending, by=staff["finance"], reason="x")


class TestDossierEndsUnserved:
    def test_a_refused_dossier_gets_its_fee_refunded(self, sent, staff, citizen, account, committed):
        services.add_charge(sent, kind="fee", amount=50_000, reason="Lệ phí")
        payment, _ = services.open_checkout(sent, by=citizen, gateway="vnpay", return_url="http://x/")
        assert ipn(payment).code == "00"
        with RefundApi() as api:
            use(api, account)
            with committed():
                dossier_services.refuse(sent, by=staff["desk"], note="Không thuộc thẩm quyền")
        payment = Payment.objects.get(pk=payment.pk)
        assert (payment.state, payment.refunded_amount, payment.refund_status) == (
            "refunded",
            50_000,
            "confirmed",
        )
        assert len(api.requests) == 1

    def test_a_stopped_dossier_gets_refunds_and_owes_nothing_more(self, owed, staff, citizen, account):
        payment, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", return_url="http://x/")
        ipn(payment)
        services.add_charge(owed, kind="postal", amount=20_000, reason="Phí bưu chính")
        dossier_services.stop(owed, by=staff["leader"], note="Người nộp đề nghị dừng")
        assert Payment.objects.get(pk=payment.pk).state == PaymentState.REFUNDED
        assert not owed.charges.filter(state=ChargeState.OWED).exists()

    def test_a_dossier_that_paid_nothing_is_refused_as_before(self, sent, staff):
        dossier_services.refuse(sent, by=staff["desk"], note="Không thuộc thẩm quyền")
        assert not Payment.objects.exists()
