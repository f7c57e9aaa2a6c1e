"""The pages around payments: the applicant's checkout page and dossier page, the officer's request for a
payment with its amount, the finance officer's refund button, each tried by someone it must keep out."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import make_officer
from motcua.payments.models import Payment, PaymentState

from .conftest import ipn

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def said(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


class TestApplicant:
    def test_the_dossier_page_shows_what_is_owed_and_a_pay_button(self, owed, citizen, account):
        page = signed_in(citizen).get(f"/ho-so/{owed.code}/").content.decode()
        assert "150.000 đ" in page and f"/ho-so/{owed.code}/thanh-toan/" in page

    def test_the_checkout_page_lists_the_lines_and_sends_the_payer_to_the_gateway(
        self, owed, citizen, account
    ):
        client = signed_in(citizen)
        page = client.get(f"/ho-so/{owed.code}/thanh-toan/")
        assert page.status_code == 200
        assert "Lệ phí cấp giấy" in page.content.decode() and 'value="vnpay"' in page.content.decode()
        answer = client.post(f"/ho-so/{owed.code}/thanh-toan/", {"gateway": "vnpay"})
        assert answer.status_code == 302 and answer["Location"].startswith("https://pay.example.test/")
        assert "vnp_ReturnUrl=http%3A%2F%2Ftestserver%2Fthanh-toan%2Fvnpay%2Ftra-ve%2F" in answer["Location"]
        assert Payment.objects.get().state == PaymentState.PENDING

    def test_an_unknown_gateway_is_refused_with_a_message(self, owed, citizen, account):
        answer = signed_in(citizen).post(f"/ho-so/{owed.code}/thanh-toan/", {"gateway": "tien-mat"})
        assert answer.status_code == 400
        assert said("The agency takes no payment this way; choose another.") in answer.content.decode()

    def test_nobody_else_sees_the_checkout_page(self, owed, other_citizen, staff, account):
        for someone in (other_citizen, staff["finance"]):
            client = signed_in(someone)
            assert client.get(f"/ho-so/{owed.code}/thanh-toan/").status_code == 404
            assert client.post(f"/ho-so/{owed.code}/thanh-toan/", {"gateway": "vnpay"}).status_code == 404
        assert not Payment.objects.exists()

    def test_the_paid_payment_is_listed(self, pending, owed, citizen):
        ipn(pending)
        page = signed_in(citizen).get(f"/ho-so/{owed.code}/").content.decode()
        assert pending.reference in page and f"/ho-so/{owed.code}/thanh-toan/" not in page


class TestBackOffice:
    def act(self, user, dossier, **fields):
        dossier = Dossier.objects.get(pk=dossier.pk)
        data = {"action": "request_payment", "version": dossier.version, **fields}
        return signed_in(user).post(f"/mot-cua/ho-so/{dossier.code}/thao-tac/", data)

    def test_the_specialist_asks_for_an_amount_with_a_reason(self, processing, staff):
        page = signed_in(staff["specialist"]).get(f"/mot-cua/ho-so/{processing.code}/").content.decode()
        assert 'name="amount"' in page
        answer = self.act(staff["specialist"], processing, amount="200.000", note="Phí thẩm định")
        assert answer.status_code == 302
        assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.PAYMENT_REQUESTED
        assert processing.charges.get().amount == 200_000

    @pytest.mark.parametrize("amount", ["", "0", "hai trăm", "-1"])
    def test_a_wrong_amount_is_explained(self, processing, staff, amount):
        answer = self.act(staff["specialist"], processing, amount=amount, note="Phí thẩm định")
        assert answer.status_code == 400
        assert said("Enter the amount in đồng as a whole number greater than 0.") in answer.content.decode()
        assert Dossier.objects.get(pk=processing.pk).status == DossierStatus.PROCESSING

    def test_another_agencys_officer_cannot_ask(self, processing, other_agency):
        outsider = make_officer("chuyenvien.khac", other_agency, role="specialist")
        assert self.act(outsider, processing, amount="1000", note="x").status_code == 404
        assert not processing.charges.exists()

    def test_the_finance_officer_refunds_from_the_dossier_page(self, pending, owed, staff):
        ipn(pending)
        finance = signed_in(staff["finance"])
        assert "hoan-tien" in finance.get(f"/mot-cua/ho-so/{owed.code}/").content.decode()
        assert (
            "hoan-tien"
            not in signed_in(staff["specialist"]).get(f"/mot-cua/ho-so/{owed.code}/").content.decode()
        )
        url = f"/mot-cua/ho-so/{owed.code}/hoan-tien/{pending.reference}/"
        signed_in(staff["specialist"]).post(url, {"reason": "x"})
        assert Payment.objects.get(pk=pending.pk).state == PaymentState.PAID
        finance.post(url, {"reason": "Thu nhầm"})
        assert Payment.objects.get(pk=pending.pk).state == PaymentState.REFUNDED
