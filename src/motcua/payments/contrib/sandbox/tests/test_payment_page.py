"""The sandbox gateway's payment page: a merchant's signed request is checked as VNPay checks it, the tester
chooses the outcome, the browser goes back signed, and the IPN reaches the merchant over HTTP."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import Resolver404, resolve

from motcua.core import tasks
from motcua.payments.contrib.sandbox.models import IpnDelivery, SandboxTransaction, TransactionStatus
from motcua.payments.contrib.vnpay import protocol

from .conftest import MERCHANT, RETURN_URL, SECRET, pay_params, pay_url, query_of

pytestmark = pytest.mark.django_db


def test_a_valid_request_shows_the_order_and_three_choices(client):
    response = client.get(pay_url(pay_params("HS-0001", 1_234_000)))
    assert response.status_code == 200
    page = response.content.decode()
    assert "1.234.000 ₫" in page
    assert "Le phi ho so HS-0001" in page and MERCHANT in page
    assert page.count('name="outcome"') == 3
    assert page.count("csrfmiddlewaretoken") == 1 and 'method="post"' in page
    assert "style=" not in page and "<script" not in page and "<style" not in page
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_the_page_speaks_the_requested_language(client):
    english = client.get(pay_url(pay_params(vnp_Locale="en"))).content.decode()
    assert 'lang="en"' in english


@pytest.mark.parametrize(
    "change, code",
    [
        ({"vnp_TmnCode": "OTHER001"}, "71"),
        ({"vnp_Version": "2.0.0"}, "03"),
        ({"vnp_Command": "refund"}, "03"),
        ({"vnp_Amount": "150050"}, "03"),
        ({"vnp_Amount": "0"}, "03"),
        ({"vnp_CurrCode": "USD"}, "03"),
        ({"vnp_ReturnUrl": "javascript:alert(1)"}, "03"),
        ({"vnp_CreateDate": "2026-12-07"}, "03"),
        ({"vnp_TxnRef": None}, "03"),
        ({"vnp_ExpireDate": None}, "03"),
        ({"vnp_ExpireDate": "20261307000000"}, "03"),
    ],
)
def test_an_invalid_request_is_refused_without_offering_payment(client, change, code):
    response = client.get(pay_url(pay_params(**{"txn_ref": "HS-0002", **change})))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="error-code">{code}<' in page
    assert 'name="outcome"' not in page


def test_a_tampered_request_is_refused_as_badly_signed(client):
    params = pay_params("HS-0003", 150_000)
    params["vnp_Amount"] = protocol.to_vnp_amount(1_000)  # the signature was made for 150 000
    response = client.get(pay_url(params))
    assert response.status_code == 400
    assert 'id="error-code">70<' in response.content.decode()
    params = pay_params("HS-0003", 150_000)
    assert client.post(pay_url({**params, "vnp_Amount": "100000"}), {"outcome": "success"}).status_code == 400
    assert not SandboxTransaction.objects.exists()


def test_an_expired_request_cannot_be_paid(client):
    params = pay_params("HS-0004", expire_in=timedelta(minutes=-1))
    assert 'id="error-code">15<' in client.get(pay_url(params)).content.decode()
    assert client.post(pay_url(params), {"outcome": "success"}).status_code == 400
    assert not SandboxTransaction.objects.exists()


def test_a_successful_payment_returns_signed_and_calls_the_ipn(
    client, ipn_merchant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pay_url(pay_params("HS-0005", 150_000)), {"outcome": "success"})

    assert response.status_code == 302
    assert response["Location"].startswith(RETURN_URL + "?")
    back = query_of(response["Location"])
    assert protocol.verify(back, SECRET)
    assert back["vnp_ResponseCode"] == back["vnp_TransactionStatus"] == "00"
    assert back["vnp_Amount"] == "15000000" and back["vnp_TxnRef"] == "HS-0005"
    assert len(back["vnp_TransactionNo"]) == 8 and back["vnp_TransactionNo"].isdigit()
    assert {"vnp_BankCode", "vnp_BankTranNo", "vnp_CardType", "vnp_OrderInfo", "vnp_PayDate"} <= set(back)
    # The IPN reached the merchant over HTTP with the same signed result, and was confirmed.
    assert ipn_merchant.received == [back]
    delivery = IpnDelivery.objects.get()
    assert delivery.confirmed and delivery.attempts == 1 and delivery.url == ipn_merchant.url
    assert '"RspCode": "00"' in delivery.answer
    record = SandboxTransaction.objects.get()
    assert record.status == TransactionStatus.SUCCESS and record.amount == 150_000


@pytest.mark.parametrize(
    "outcome, response_code, status",
    [("failure", "51", TransactionStatus.FAILED), ("cancel", "24", TransactionStatus.CANCELLED)],
)
def test_a_failed_or_cancelled_payment_says_so(
    client, ipn_merchant, django_capture_on_commit_callbacks, outcome, response_code, status
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(pay_url(pay_params("HS-0006")), {"outcome": outcome})
    back = query_of(response["Location"])
    assert protocol.verify(back, SECRET)
    assert back["vnp_ResponseCode"] == response_code and back["vnp_TransactionStatus"] == "02"
    assert ipn_merchant.received == [back]
    assert SandboxTransaction.objects.get().status == status


def test_an_order_is_paid_once(client, ipn_merchant, django_capture_on_commit_callbacks):
    params = pay_params("HS-0007")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(params), {"outcome": "success"})
    again = client.post(pay_url(params), {"outcome": "success"})
    assert again.status_code == 400 and 'id="error-code">94<' in again.content.decode()
    assert 'name="outcome"' not in client.get(pay_url(params)).content.decode()
    assert SandboxTransaction.objects.count() == 1 and len(ipn_merchant.received) == 1


def test_an_unknown_choice_is_refused(client):
    assert client.post(pay_url(pay_params("HS-0008")), {"outcome": "free"}).status_code == 400
    assert not SandboxTransaction.objects.exists()


def run_retries(capture) -> None:
    """Run the IPN attempts waiting their countdown, and those they queue in turn, until none is left."""
    ran = True
    while ran:
        with capture(execute=True):
            ran = tasks.run_deferred()


def test_the_ipn_is_retried_while_the_merchant_does_not_confirm(
    client, ipn_merchant, django_capture_on_commit_callbacks
):
    tasks.deferred.clear()
    ipn_merchant.answers = ["99", "99"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(pay_params("HS-0009")), {"outcome": "success"})
    delivery = IpnDelivery.objects.get()
    assert delivery.attempts == 1 and not delivery.confirmed
    assert len(tasks.deferred) == 1  # the next attempt waits its countdown

    run_retries(django_capture_on_commit_callbacks)
    delivery.refresh_from_db()
    assert delivery.confirmed and delivery.attempts == 3
    assert [a.answer.count('"99"') for a in delivery.attempt_log.all()] == [1, 1, 0]
    assert len(ipn_merchant.received) == 3 and ipn_merchant.received[0] == ipn_merchant.received[2]


def test_the_ipn_gives_up_after_a_few_attempts(client, ipn_merchant, django_capture_on_commit_callbacks):
    tasks.deferred.clear()
    ipn_merchant.answers = ["99"] * 10
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(pay_params("HS-0010")), {"outcome": "success"})
    run_retries(django_capture_on_commit_callbacks)
    delivery = IpnDelivery.objects.get()
    assert not delivery.confirmed and delivery.attempts == 5 == len(ipn_merchant.received)
    assert delivery.attempt_log.count() == 5


def test_an_unreachable_merchant_is_logged(client, settings, django_capture_on_commit_callbacks):
    tasks.deferred.clear()
    settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL = "http://127.0.0.1:9/ipn/"  # the discard port: nobody listens
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(pay_params("HS-0011")), {"outcome": "success"})
    attempt = IpnDelivery.objects.get().attempt_log.get()
    assert attempt.http_status is None and attempt.error
    tasks.deferred.clear()


def test_the_sandbox_off_answers_404(client, settings):
    settings.MOTCUA_PAYMENT_SANDBOX = False
    assert client.get(pay_url(pay_params())).status_code == 404
    assert (
        client.post("/thanh-toan/sandbox/api/transaction/", {}, content_type="application/json").status_code
        == 404
    )
    assert client.get("/thanh-toan/sandbox/sao-ke/?date=2026-12-07").status_code == 404


def test_production_refuses_to_start_with_the_sandbox_on(settings):
    from motcua.payments.contrib.sandbox.checks import sandbox_off_in_production

    settings.DEBUG, settings.MOTCUA_DEMO = False, False
    assert [error.id for error in sandbox_off_in_production()] == ["payments_sandbox.E001"]
    settings.MOTCUA_DEMO = True
    assert sandbox_off_in_production() == []
    settings.MOTCUA_DEMO, settings.MOTCUA_PAYMENT_SANDBOX = False, False
    assert sandbox_off_in_production() == []


def test_an_ipn_sent_again_carries_the_same_signed_result(
    client, ipn_merchant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(pay_url(pay_params("HS-0012")), {"outcome": "success"})
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sandbox_ipn", "--txn-ref", "HS-0012", stdout=io.StringIO())
    first, again = ipn_merchant.received
    assert first == again and protocol.verify(again, SECRET)
    assert IpnDelivery.objects.filter(confirmed=True).count() == 2  # answered 00, then 02
    with pytest.raises(CommandError):
        call_command("sandbox_ipn", "--txn-ref", "HS-NONE")


def test_the_merchants_own_addresses_under_thanh_toan_sandbox_are_not_the_gateways():
    """/thanh-toan/sandbox/ipn/ and tra-ve/ are the merchant side's: the gateway's include lets them pass."""
    for path in ("/thanh-toan/sandbox/ipn/", "/thanh-toan/sandbox/tra-ve/"):
        try:
            match = resolve(path)
        except Resolver404:
            continue
        assert match.namespace != "payments_sandbox"
