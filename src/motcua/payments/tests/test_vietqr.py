"""The VietQR gateway: the EMVCo payload with our reference, the transfer page and its slip, the account's
settings checked in the admin, and the longer time to pay."""

from datetime import timedelta

import pytest
from django.conf import settings

from motcua.dossiers.tests.fixtures import client_for, make_officer
from motcua.payments import registry, services
from motcua.payments.admin import GatewayAccountForm
from motcua.payments.contrib.vietqr import payload
from motcua.payments.models import PaymentState

from .conftest import ACCOUNT_NAME, BANK_ACCOUNT, BANK_BIN, RETURN_URL

pytestmark = pytest.mark.django_db


def test_the_checkout_carries_the_payload_and_our_page(owed, citizen, vietqr_account, clock):
    payment, checkout = services.open_checkout(owed, by=citizen, gateway="vietqr", return_url=RETURN_URL)
    said = payload.parse(checkout.qr)
    assert (said.bank_bin, said.account, said.amount) == (BANK_BIN, BANK_ACCOUNT, 150_000)
    assert said.reference == payment.reference and said.dynamic
    assert checkout.redirect_url.endswith(f"/thanh-toan/chuyen-khoan/{payment.reference}/")
    # A transfer waits for the bank statement: days, not a card payment's minutes.
    assert payment.expires_at - clock.now == timedelta(minutes=settings.MOTCUA_VIETQR_EXPIRY_MINUTES)
    assert settings.MOTCUA_VIETQR_EXPIRY_MINUTES > settings.MOTCUA_PAYMENT_EXPIRY_MINUTES
    assert payment.state == PaymentState.PENDING


def test_the_api_returns_the_payload_and_the_page(owed, citizen, vietqr_account):
    answer = client_for(citizen).post(
        f"/api/v1/dossiers/{owed.code}/payments/", {"gateway": "vietqr"}, format="json"
    )
    assert answer.status_code == 201
    body = answer.json()
    assert payload.parse(body["qr"]).reference == body["id"]
    assert body["payment_url"].endswith(f"/thanh-toan/chuyen-khoan/{body['id']}/")


def test_the_page_shows_the_qr_the_account_and_the_reference_without_inline_code(client, citizen, transfer):
    client.force_login(citizen)
    response = client.get(f"/thanh-toan/chuyen-khoan/{transfer.reference}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<svg" in page and 'class="segno vietqr"' in page
    assert BANK_ACCOUNT in page and ACCOUNT_NAME in page and "Vietcombank" in page
    assert transfer.reference in page and "150.000" in page
    assert "style=" not in page and "<script" not in page and " onclick" not in page
    slip = client.get(f"/thanh-toan/chuyen-khoan/{transfer.reference}/phieu/").content.decode()
    assert "<svg" in slip and transfer.reference in slip and BANK_ACCOUNT in slip and "style=" not in slip


def test_only_the_payer_and_the_agencys_officers_see_the_page(
    client, transfer, other_citizen, other_agency, agency
):
    url = f"/thanh-toan/chuyen-khoan/{transfer.reference}/"
    assert client.get(url).status_code == 302  # to the login page
    for stranger in (other_citizen, make_officer("desk.khac", other_agency)):
        client.force_login(stranger)
        assert client.get(url).status_code == 404
    client.force_login(make_officer("desk.thu2", agency))
    assert client.get(url).status_code == 200


def test_a_call_claiming_to_be_vietqr_is_refused(transfer):
    result = services.handle_callback(
        "vietqr", {"ref": transfer.reference}, kind="ipn", raw="", client_ip=None
    )
    assert result.code in ("01", "97")
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PENDING


@pytest.mark.parametrize(
    "config, words",
    [
        ({"bank_bin": "9704", "account_number": "1", "account_name": "A B"}, "bank_bin"),
        ({"bank_bin": "970436", "account_number": "12-34", "account_name": "A B"}, "account_number"),
        ({"bank_bin": "970436", "account_number": "1234", "account_name": "Ủy ban"}, "account_name"),
    ],
)
def test_the_admin_checks_the_accounts_settings(agency, config, words):
    form = GatewayAccountForm(
        data={"agency": agency.pk, "gateway": "vietqr", "config": config, "is_active": True}
    )
    assert not form.is_valid()
    assert words in str(form.errors)
    good = {"bank_bin": BANK_BIN, "account_number": BANK_ACCOUNT, "account_name": ACCOUNT_NAME}
    ok = GatewayAccountForm(
        data={"agency": agency.pk, "gateway": "vietqr", "config": good, "is_active": True}
    )
    assert ok.is_valid(), ok.errors
    assert registry.get("vietqr").validate_config(ok.save(commit=False)) == {}


def test_an_expired_transfer_no_longer_shows_its_qr(client, citizen, transfer):
    type(transfer).objects.filter(pk=transfer.pk).update(state=PaymentState.EXPIRED)
    client.force_login(citizen)
    page = client.get(f"/thanh-toan/chuyen-khoan/{transfer.reference}/").content.decode()
    assert "<svg" not in page and "alert-warning" in page
