"""The sandbox gateway's merchant API: refund and querydr, signed requests and signed answers, VNPay's
refusals; and its daily statement for reconciliation."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.payments.contrib.sandbox.models import SandboxTransaction, TransactionStatus
from motcua.payments.contrib.vnpay import protocol

from .conftest import MERCHANT, SECRET, pay_params, pay_url

pytestmark = pytest.mark.django_db
API = "/thanh-toan/sandbox/api/transaction/"


@pytest.fixture
def paid(client, ipn_merchant, django_capture_on_commit_callbacks) -> SandboxTransaction:
    """A payment of 200 000 VND the tester paid on the sandbox page (txn ref HS-0100)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(pay_params("HS-0100", 200_000)), {"outcome": "success"})
    return SandboxTransaction.objects.get(txn_ref="HS-0100")


def refund_request(amount, *, kind="03", request_id="R1", txn_ref="HS-0100", secret=SECRET, **extra) -> dict:
    now = protocol.format_date(timezone.now())
    body = {
        "vnp_RequestId": request_id,
        "vnp_Version": "2.1.0",
        "vnp_Command": "refund",
        "vnp_TmnCode": MERCHANT,
        "vnp_TransactionType": kind,
        "vnp_TxnRef": txn_ref,
        "vnp_Amount": protocol.to_vnp_amount(amount),
        "vnp_TransactionNo": "",
        "vnp_TransactionDate": now,
        "vnp_CreateBy": "finance@motcua.local",
        "vnp_CreateDate": now,
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": "Hoan tien ho so bi tu choi",
        **extra,
    }
    body["vnp_SecureHash"] = protocol.sign_fields(body, protocol.REFUND_REQUEST_FIELDS, secret)
    return body


def query_request(txn_ref="HS-0100", *, request_id="Q1", secret=SECRET) -> dict:
    now = protocol.format_date(timezone.now())
    body = {
        "vnp_RequestId": request_id,
        "vnp_Version": "2.1.0",
        "vnp_Command": "querydr",
        "vnp_TmnCode": MERCHANT,
        "vnp_TxnRef": txn_ref,
        "vnp_TransactionDate": now,
        "vnp_CreateDate": now,
        "vnp_IpAddr": "127.0.0.1",
        "vnp_OrderInfo": "Truy van giao dich",
    }
    body["vnp_SecureHash"] = protocol.sign_fields(body, protocol.QUERYDR_REQUEST_FIELDS, secret)
    return body


def call(client, body) -> dict:
    response = client.post(API, body, content_type="application/json")
    assert response.status_code == 200
    answer = response.json()
    fields = (
        protocol.QUERYDR_RESPONSE_FIELDS
        if answer["vnp_Command"] == "querydr"
        else protocol.REFUND_RESPONSE_FIELDS
    )
    assert protocol.verify_fields(answer, fields, SECRET), "every answer is signed by the gateway"
    return answer


def test_querydr_tells_the_status_of_a_payment(client, paid):
    answer = call(client, query_request())
    assert answer["vnp_ResponseCode"] == "00"
    assert answer["vnp_TransactionStatus"] == "00" and answer["vnp_TransactionType"] == "01"
    assert answer["vnp_Amount"] == "20000000" and answer["vnp_TransactionNo"] == paid.transaction_no


def test_querydr_refusals(client, paid):
    assert call(client, query_request("HS-NONE"))["vnp_ResponseCode"] == "91"
    assert call(client, query_request(secret="wrong"))["vnp_ResponseCode"] == "97"
    assert call(client, {**query_request(), "vnp_TmnCode": "OTHER001"})["vnp_ResponseCode"] == "02"


def test_partial_refunds_then_the_rest(client, paid):
    first = call(client, refund_request(50_000, request_id="R1"))
    assert first["vnp_ResponseCode"] == "00" and first["vnp_Amount"] == "5000000"
    paid.refresh_from_db()
    assert paid.status == TransactionStatus.PARTIALLY_REFUNDED and paid.refunded_amount == 50_000
    assert call(client, refund_request(150_001, request_id="R2"))["vnp_ResponseCode"] == "93"
    assert call(client, refund_request(200_000, kind="02", request_id="R3"))["vnp_ResponseCode"] == "04"
    assert call(client, refund_request(150_000, request_id="R4"))["vnp_ResponseCode"] == "00"
    paid.refresh_from_db()
    assert paid.status == TransactionStatus.REFUNDED and paid.refunded_amount == 200_000
    assert call(client, refund_request(1_000, request_id="R5"))["vnp_ResponseCode"] == "95"
    assert call(client, query_request())["vnp_TransactionType"] == "02"


def test_a_full_refund_must_be_the_whole_amount(client, paid):
    assert call(client, refund_request(100_000, kind="02"))["vnp_ResponseCode"] == "93"
    assert call(client, refund_request(200_000, kind="02", request_id="R2"))["vnp_ResponseCode"] == "00"
    paid.refresh_from_db()
    assert paid.status == TransactionStatus.REFUNDED


def test_a_repeated_refund_request_is_refused_and_changes_nothing(client, paid):
    assert call(client, refund_request(10_000))["vnp_ResponseCode"] == "00"
    assert call(client, refund_request(10_000))["vnp_ResponseCode"] == "94"
    paid.refresh_from_db()
    assert paid.refunded_amount == 10_000


@pytest.mark.parametrize(
    "body, code",
    [
        (["not", "an", "object"], "03"),
        ({"vnp_Command": "pay"}, "03"),
    ],
)
def test_malformed_requests(client, body, code):
    assert call(client, body)["vnp_ResponseCode"] == code


def test_refund_refusals(client, paid):
    assert call(client, refund_request(10_000, secret="wrong"))["vnp_ResponseCode"] == "97"
    assert call(client, refund_request(10_000, txn_ref="HS-NONE"))["vnp_ResponseCode"] == "91"
    assert call(client, refund_request(10_000, kind="01"))["vnp_ResponseCode"] == "03"
    tampered = {**refund_request(10_000), "vnp_Amount": protocol.to_vnp_amount(200_000)}
    assert call(client, tampered)["vnp_ResponseCode"] == "97"
    paid.refresh_from_db()
    assert paid.refunded_amount == 0


def test_a_failed_payment_cannot_be_refunded(client, ipn_merchant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(pay_params("HS-0101")), {"outcome": "failure"})
    answer = call(client, refund_request(150_000, kind="02", txn_ref="HS-0101"))
    assert answer["vnp_ResponseCode"] == "95"
    assert call(client, query_request("HS-0101"))["vnp_TransactionStatus"] == "02"


def test_the_statement_lists_the_days_payments_and_refunds(client, paid, tmp_path):
    call(client, refund_request(50_000))
    today = timezone.now().astimezone(protocol.TIMEZONE).date()
    response = client.get(f"/thanh-toan/sandbox/sao-ke/?date={today.isoformat()}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(r["Type"], r["TxnRef"], r["Amount"]) for r in rows] == [
        ("payment", "HS-0100", "200000"),
        ("refund", "HS-0100", "50000"),
    ]
    assert rows[0]["TransactionNo"] == paid.transaction_no and rows[0]["Status"] == "partially_refunded"

    out = tmp_path / "statement.csv"
    call_command("sandbox_statement", "--date", today.isoformat(), "--out", str(out))
    assert out.read_bytes() == response.content
    other = date(2020, 1, 1).isoformat()
    assert client.get(f"/thanh-toan/sandbox/sao-ke/?date={other}").content.decode().count("\n") == 1
    assert client.get("/thanh-toan/sandbox/sao-ke/?date=yesterday").status_code == 400
