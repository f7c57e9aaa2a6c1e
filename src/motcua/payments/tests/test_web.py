"""The HTTP faces of payments: the gateway's IPN and return addresses, and the API with its permission
matrix (each rule tried by someone it must keep out)."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import client_for, make_officer
from motcua.payments.models import Payment, PaymentCallback, PaymentState

from .conftest import gateway_says, query

pytestmark = pytest.mark.django_db


def said(msgid: str) -> str:
    """What the page says in Vietnamese for ``msgid`` (the catalogue's words once translated)."""
    with translation.override("vi"):
        return gettext(msgid)


class TestGatewayAddresses:
    def test_the_ipn_is_a_plain_get_answered_in_json_without_login_or_csrf(self, pending):
        client = Client(enforce_csrf_checks=True)
        answer = client.get(f"/thanh-toan/vnpay/ipn/?{query(gateway_says(pending))}")
        assert answer.status_code == 200 and answer.json() == {"RspCode": "00", "Message": "Confirm Success"}
        again = client.get(f"/thanh-toan/vnpay/ipn/?{query(gateway_says(pending))}")
        assert again.json() == {"RspCode": "02", "Message": "Order already confirmed"}
        stored = PaymentCallback.objects.order_by("pk").first()
        assert stored.raw == query(gateway_says(pending)) and stored.method == "GET"

    def test_a_forged_ipn(self, pending):
        answer = Client().get(f"/thanh-toan/vnpay/ipn/?{query(gateway_says(pending, secret='x'))}")
        assert answer.json()["RspCode"] == "97"

    def test_an_unknown_gateway_is_not_found(self):
        assert Client().get("/thanh-toan/khong-co/ipn/?vnp_TxnRef=1").status_code == 404

    def test_the_payer_comes_back_to_their_dossier_with_a_message(self, pending, owed, citizen):
        client = Client()
        client.force_login(citizen)
        answer = client.get(f"/thanh-toan/vnpay/tra-ve/?{query(gateway_says(pending))}", follow=True)
        assert answer.redirect_chain[0][0] == f"/ho-so/{owed.code}/"
        assert said("Your payment has been received. Thank you.") in answer.content.decode()
        assert Payment.objects.get(pk=pending.pk).state == PaymentState.PAID

    def test_a_cancelled_payment_says_so(self, pending, citizen):
        client = Client()
        client.force_login(citizen)
        answer = client.get(f"/thanh-toan/vnpay/tra-ve/?{query(gateway_says(pending, response='24'))}",
                            follow=True)  # fmt: skip
        assert said("The payment was not made. You can try again.") in answer.content.decode()


class TestApi:
    def test_the_applicant_pays_and_reads_the_payment(self, owed, citizen, account):
        api = client_for(citizen)
        answer = api.post(f"/api/v1/dossiers/{owed.code}/payments/", {"gateway": "vnpay"}, format="json")
        assert answer.status_code == 201, answer.content
        body = answer.json()
        assert body["amount"] == 150_000 and body["qr"] is None
        assert body["payment_url"].startswith("https://pay.example.test/vpcpay.html?")
        assert body["id"].startswith("TT") and len(body["id"]) == 12
        detail = api.get(f"/api/v1/payments/{body['id']}/").json()
        assert (detail["state"], detail["amount"], detail["dossier"]) == ("pending", 150_000, owed.code)
        assert detail["charges"][0]["reason"] == "Lệ phí cấp giấy"
        listing = api.get(f"/api/v1/dossiers/{owed.code}/payments/").json()
        assert listing["owed"] == 150_000 and len(listing["payments"]) == 1

    def test_nothing_owed_is_a_conflict(self, processing, citizen, account):
        answer = client_for(citizen).post(f"/api/v1/dossiers/{processing.code}/payments/", {}, format="json")
        assert answer.status_code == 409

    def test_someone_elses_dossier_and_payment_are_not_found(
        self, pending, owed, other_citizen, other_agency
    ):
        outsider_officer = make_officer("chuyenvien.khac", other_agency, role="specialist")
        for user in (other_citizen, outsider_officer):
            api = client_for(user)
            assert api.post(f"/api/v1/dossiers/{owed.code}/payments/", {}, format="json").status_code == 404
            assert api.get(f"/api/v1/dossiers/{owed.code}/payments/").status_code == 404
            assert api.get(f"/api/v1/payments/{pending.reference}/").status_code == 404
            assert (
                api.post(f"/api/v1/payments/{pending.reference}/refund/", {"reason": "x"}).status_code == 404
            )

    def test_anonymous_callers_are_turned_away(self, pending, owed):
        from rest_framework.test import APIClient

        assert APIClient().get(f"/api/v1/payments/{pending.reference}/").status_code in (401, 403)

    def test_officers_of_the_agency_read_but_do_not_pay(self, pending, owed, staff):
        api = client_for(staff["desk"])
        assert api.get(f"/api/v1/payments/{pending.reference}/").status_code == 200
        assert api.post(f"/api/v1/dossiers/{owed.code}/payments/", {}, format="json").status_code == 403

    def test_only_a_finance_officer_refunds(self, pending, staff, django_capture_on_commit_callbacks):
        from .conftest import ipn

        ipn(pending)
        url = f"/api/v1/payments/{pending.reference}/refund/"
        assert client_for(staff["specialist"]).post(url, {"reason": "x"}, format="json").status_code == 403
        answer = client_for(staff["finance"]).post(url, {"reason": "Thu nhầm"}, format="json")
        assert answer.status_code == 200 and answer.json()["state"] == "refunded"

    def test_the_officer_asks_for_a_payment_with_amount_and_reason(self, processing, staff):
        api = client_for(staff["specialist"])
        url = f"/api/v1/dossiers/{processing.code}/charges/"
        assert api.post(url, {"amount": 0, "note": "Lệ phí"}, format="json").status_code == 400
        assert api.post(url, {"amount": 50_000}, format="json").status_code == 400
        answer = api.post(url, {"amount": 50_000, "note": "Lệ phí"}, format="json")
        assert answer.status_code == 201 and answer.json()["amount"] == 50_000
        assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.PAYMENT_REQUESTED

    def test_who_may_not_ask_for_a_payment(self, processing, staff, citizen, other_agency):
        url = f"/api/v1/dossiers/{processing.code}/charges/"
        body = {"amount": 50_000, "note": "Lệ phí"}
        assert client_for(staff["desk"]).post(url, body, format="json").status_code == 403
        assert client_for(citizen).post(url, body, format="json").status_code in (403, 409)
        outsider = make_officer("chuyenvien.khac", other_agency, role="specialist")
        assert client_for(outsider).post(url, body, format="json").status_code == 404
        assert not processing.charges.exists()

    def test_the_generic_action_does_not_request_a_payment_without_its_amount(self, processing, staff):
        url = f"/api/v1/dossiers/{processing.code}/actions/"
        answer = client_for(staff["specialist"]).post(url, {"action": "request_payment", "note": "x"})
        assert answer.status_code == 400
        assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.PROCESSING

    def test_the_schema_documents_the_endpoints(self):
        schema = Client().get("/api/schema/?format=json").json()
        for path in ("/api/v1/dossiers/{reference}/payments/", "/api/v1/payments/{id}/",
                     "/api/v1/dossiers/{reference}/charges/"):  # fmt: skip
            assert path in schema["paths"]
