"""The gateway plug-ins: the registry, and the sandbox merchant adapter (the VNPay adapter with the sandbox's
documented demo merchant code and secret, which integrators use to sign test callbacks of their own)."""

from io import StringIO
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command

from motcua.payments import registry, services
from motcua.payments.contrib.vnpay import protocol
from motcua.payments.models import GatewayAccount, PaymentState

from .conftest import gateway_says, query

pytestmark = pytest.mark.django_db
DEMO_SECRET = "MOTCUA-SANDBOX-DEMO-SECRET"


def test_the_registry_knows_the_three_gateways():
    assert dict(registry.choices()).keys() == {"sandbox", "vietqr", "vnpay"}
    assert registry.get("vnpay").can_refund and registry.get("sandbox").can_refund
    with pytest.raises(ValueError):
        registry.register(registry.get("vnpay"))


@pytest.fixture
def sandbox_account(agency):
    return GatewayAccount.objects.create(
        agency=agency, gateway="sandbox",
        config={"payment_url": "http://127.0.0.1/thanh-toan/sandbox/cong/", "api_url": "http://127.0.0.1:9/"},
    )  # fmt: skip


def test_the_sandbox_signs_with_its_demo_merchant_and_secret(owed, citizen, sandbox_account):
    payment, checkout = services.open_checkout(owed, by=citizen, gateway="sandbox", return_url="http://x/")
    params = dict(parse_qsl(urlsplit(checkout.redirect_url).query))
    assert params["vnp_TmnCode"] == "MOTCUA01" and protocol.verify(params, DEMO_SECRET)
    said = gateway_says(payment, secret=DEMO_SECRET, merchant="MOTCUA01")
    assert services.handle_callback("sandbox", said, kind="ipn", raw=query(said), client_ip=None).code == "00"
    assert type(payment).objects.get(pk=payment.pk).state == PaymentState.PAID


def test_a_demo_signed_callback_for_an_unknown_reference_is_not_found_not_forged(db):
    class Unknown:
        reference, amount = "TTZZZZZZZZZZ", 1000

    said = gateway_says(Unknown, secret=DEMO_SECRET, merchant="MOTCUA01")
    assert services.handle_callback("sandbox", said, kind="ipn", raw="", client_ip=None).code == "01"
    forged = gateway_says(Unknown, secret="guess", merchant="MOTCUA01")
    assert services.handle_callback("sandbox", forged, kind="ipn", raw="", client_ip=None).code == "97"


def test_the_expiry_command(pending, clock):
    clock.now = pending.expires_at
    out = StringIO()
    call_command("expire_payments", stdout=out)
    assert out.getvalue().startswith("1 ")
    assert type(pending).objects.get(pk=pending.pk).state == PaymentState.EXPIRED


def test_references_are_short_upper_case_and_unambiguous():
    from motcua.payments.services.references import new_reference

    references = {new_reference() for _ in range(500)}
    assert len(references) == 500
    for reference in references:
        assert len(reference) == 12 and reference.startswith("TT") and reference.isalnum()
        assert reference == reference.upper() and not set(reference[2:]) & set("01ILO")
