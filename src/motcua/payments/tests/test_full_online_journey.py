"""The full-online journey (dịch vụ công trực tuyến toàn trình), end to end through the services and the real
HTTP views, without a browser: a citizen sends a fee-bearing procedure with its generic form and asks for the
result by post, pays fee and postage in one checkout through the sandbox gateway (the real merchant adapter,
the sandbox's payment page, its signed IPN and the payer's return), the desk receives the dossier (refused
before the payment: the fee is due before processing), the officers take it to its signed result, the parcel
is booked and delivered (status 10), and the citizen's document store holds the e-receipt and the result.

Also here: a procedure's service level follows its agencies' gateway accounts (3 without, 4 with)."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerRole
from motcua.catalog.models import Agency, OnlineLevel, Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.delivery import services as delivery
from motcua.delivery.models import PostalTariff, Shipment, ShipmentStatus
from motcua.documents import pki
from motcua.documents import selectors as documents
from motcua.documents.models import DocumentKind
from motcua.dossiers import preconditions
from motcua.dossiers import services as dossier_services
from motcua.dossiers.models import DossierAction, DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, make_officer, pdf_bytes, upload
from motcua.forms import services as form_services
from motcua.notifications.models import Delivery
from motcua.payments import selectors, services
from motcua.payments.contrib.sandbox.models import IpnDelivery
from motcua.payments.models import ChargeKind, ChargeState, GatewayAccount, PaymentState

pytestmark = pytest.mark.django_db

DECLARANT_ADDRESS = {"province": "99", "commune": "001.00.30.H99", "detail": "Số 12 Trần Phú"}
POST_TO = {
    "name": "Lê Thị Hoa", "phone": "0912345678", "province": "99", "commune": "Phường Hải An",
    "detail": "Số 12 Lê Lợi",
}  # fmt: skip
FEE, POSTAGE = 50_000, 25_000  # the procedure's fee; the seeded tariff within the province


@pytest.fixture
def fee_first(agency):
    """A level-4 procedure sent with its generic form, whose 50.000 đ fee is due before processing."""
    return make_procedure(
        code="9.200001", name="Cấp bản sao giấy xác nhận", agencies=[agency], online_level=4,
        applicant_types=["citizen"], fee_before_processing=True,
        fees=[{"name": "Lệ phí cấp bản sao", "amount": FEE}],
        methods=[
            {"channel": "online", "processing_time": "3", "time_unit": "working_day"},
            {"channel": "postal", "processing_time": "5", "time_unit": "working_day"},
        ],
        components=[{"name": "Tờ khai đề nghị", "originals": 1, "is_required": True}],
    )  # fmt: skip


@pytest.fixture
def staff(agency, demo_pki):
    pki.ensure_demo_certificate(agency)  # the result and the receipt are signed by the agency
    return {role: make_officer(f"{role}.toan-trinh", agency, role=role) for role in OfficerRole.values}


@pytest.fixture
def sandbox(settings, agency):
    settings.MOTCUA_PAYMENT_SANDBOX = True
    settings.MOTCUA_POSTAL_SERVICE = "manual"  # the desk books the parcel at the post office's counter
    return services.save_gateway_account(GatewayAccount(agency=agency, gateway="sandbox"))


def signed_in(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def draft_by_post(citizen, procedure, *, post: bool = True):
    citizen.email_verified_at = timezone.now()  # the receipt goes as an attachment to a verified address
    citizen.save(update_fields=["email_verified_at"])
    draft = dossier_services.create_draft(procedure=procedure, applicant=citizen)
    form = draft.form
    declarant = form_services.initial_data(form, account_selectors.applicant_profile(citizen))["declarant"]
    data = {"declarant": declarant | {"address": DECLARANT_ADDRESS}, "request": "Cấp bản sao giấy xác nhận."}
    delivery = {"result_delivery": "post", "delivery_address": dict(POST_TO)} if post else {}
    draft = dossier_services.update_draft(draft, by=citizen, data=data, **delivery)
    dossier_services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return draft


def pay_through_the_sandbox(client, dossier, capture):
    """The citizen's checkout, the sandbox's page (success), its IPN and the return, as the browser and the
    gateway send them. Returns the paid payment."""
    start = client.post(reverse("portal:dossier_checkout", args=[dossier.code]), {"gateway": "sandbox"})
    assert start.status_code == 302
    gateway_page = urlsplit(start["Location"])
    assert gateway_page.path == reverse("payments_sandbox:pay")
    page = f"{gateway_page.path}?{gateway_page.query}"
    assert "75.000 ₫" in client.get(page).content.decode()  # fee and postage, one amount
    with capture(execute=False):  # the sandbox's own HTTP call of the IPN is made by hand below
        back = client.post(page, {"outcome": "success"})
    assert back.status_code == 302
    ipn = IpnDelivery.objects.get()
    with capture(execute=True):  # the receipt is issued after the payment's commit
        answer = client.get(f"{reverse('payments:ipn', args=['sandbox'])}?{urlencode(ipn.params)}")
    assert answer.json()["RspCode"] == "00"
    returned = urlsplit(back["Location"])
    assert client.get(f"{returned.path}?{returned.query}").status_code == 302  # the return: nothing new
    payment = selectors.payments_of(dossier).get()
    assert payment.state == PaymentState.PAID and payment.amount == FEE + POSTAGE
    return payment


def test_sent_paid_received_decided_posted_and_delivered(
    client, citizen, fee_first, staff, sandbox, django_capture_on_commit_callbacks
):
    assert Procedure.objects.get(pk=fee_first.pk).online_level == OnlineLevel.LEVEL_4
    draft = draft_by_post(citizen, fee_first)
    review = signed_in(client, citizen).get(reverse("portal:dossier_review", args=[draft.uuid]))
    assert "75.000 đ" in review.content.decode()  # Tổng số tiền phải nộp, before sending

    dossier = dossier_services.submit(draft, by=citizen)
    charges = {c.kind: c for c in selectors.charges_of(dossier)}
    assert charges[ChargeKind.FEE].amount == FEE
    assert charges[ChargeKind.FEE].lines == [{"name": "Lệ phí cấp bản sao", "amount": FEE}]
    assert charges[ChargeKind.POSTAL].amount == POSTAGE

    # The fee comes first: the desk cannot receive yet, and sees why.
    assert preconditions.waiting_for(dossier, DossierAction.RECEIVE)
    with pytest.raises(dossier_services.ActionRefused) as refused:
        dossier_services.receive(dossier, by=staff["desk"])
    assert str(refused.value) == preconditions.refusal(dossier, DossierAction.RECEIVE)
    desk_page = signed_in(client, staff["desk"]).get(reverse("backoffice:dossier", args=[dossier.code]))
    assert gettext("Waiting for the fee") in desk_page.content.decode()  # Chờ nộp phí

    payment = pay_through_the_sandbox(signed_in(client, citizen), dossier, django_capture_on_commit_callbacks)
    assert {c.state for c in selectors.charges_of(dossier)} == {ChargeState.PAID}
    receipt = selectors.receipt_of(payment)
    assert receipt is not None and receipt.kind == DocumentKind.PAYMENT_RECEIPT
    mail = Delivery.objects.filter(notification__topic="payment.receipt", channel="email").get()
    assert mail.attachments == [["payment.receipt", [receipt.pk]]]
    shown = client.get(reverse("portal:dossier_detail", args=[dossier.code])).content.decode()
    assert reverse("portal:payment_receipt", args=[dossier.code, payment.reference]) in shown
    pdf = client.get(reverse("portal:payment_receipt", args=[dossier.code, payment.reference]))
    assert pdf.status_code == 200 and pdf.content == documents.document_bytes(receipt)

    dossier = dossier_services.receive(dossier, by=staff["desk"])
    dossier = dossier_services.assign(dossier, by=staff["leader"], assignee=staff["specialist"].username)
    dossier = dossier_services.propose(dossier, by=staff["specialist"])
    dossier = dossier_services.approve(dossier, by=staff["leader"], note="Đồng ý")
    dossier = dossier_services.number_result(dossier, by=staff["records"])
    assert dossier.status == DossierStatus.RESULT_READY
    shipment = Shipment.objects.get(dossier=dossier)
    assert shipment.fee == POSTAGE and shipment.status == ShipmentStatus.PENDING

    delivery.enter_tracking(dossier, by=staff["desk"], tracking_number="EB123456789VN")
    delivery.enter_status(dossier, by=staff["desk"], status=ShipmentStatus.DELIVERED)
    dossier.refresh_from_db()
    assert dossier.status == DossierStatus.RETURNED

    kept = {entry.document.kind for entry in documents.store_of(citizen)}
    assert kept == {DocumentKind.PAYMENT_RECEIPT, DocumentKind.RESULT}


def test_the_receipt_task_run_twice_issues_one_receipt_and_one_message(
    client, citizen, fee_first, staff, sandbox, django_capture_on_commit_callbacks
):
    dossier = dossier_services.submit(draft_by_post(citizen, fee_first), by=citizen)
    payment = pay_through_the_sandbox(signed_in(client, citizen), dossier, django_capture_on_commit_callbacks)
    again = services.issue_receipt(payment.pk)
    assert again == selectors.receipt_of(payment)
    assert Delivery.objects.filter(notification__topic="payment.receipt", channel="email").count() == 1


def test_the_receipt_is_the_applicants_and_their_agencys_only(
    client,
    citizen,
    other_citizen,
    other_agency,
    fee_first,
    staff,
    sandbox,
    django_capture_on_commit_callbacks,
):
    dossier = dossier_services.submit(draft_by_post(citizen, fee_first), by=citizen)
    payment = pay_through_the_sandbox(signed_in(client, citizen), dossier, django_capture_on_commit_callbacks)
    portal_url = reverse("portal:payment_receipt", args=[dossier.code, payment.reference])
    office_url = reverse("backoffice:payment_receipt", args=[dossier.code, payment.reference])
    api_url = reverse("api:payment-receipt", args=[payment.reference])
    assert signed_in(client, other_citizen).get(portal_url).status_code == 404
    assert client.get(api_url).status_code in (401, 404)
    stranger = make_officer("desk.nguoi-la", other_agency)
    assert signed_in(client, stranger).get(office_url).status_code == 404
    assert signed_in(client, staff["finance"]).get(office_url).status_code == 200
    detail = signed_in(client, citizen).get(reverse("api:payment-detail", args=[payment.reference]))
    assert detail.json()["receipt_url"] == api_url


def test_the_desk_takes_the_fee_in_cash_through_a_finance_officer(client, citizen, fee_first, staff, sandbox):
    dossier = dossier_services.submit(draft_by_post(citizen, fee_first), by=citizen)
    fee = selectors.charges_of(dossier).get(kind=ChargeKind.FEE)
    page = signed_in(client, staff["finance"]).get(reverse("backoffice:dossier", args=[dossier.code]))
    waive_url = reverse("backoffice:waive", args=[dossier.code, fee.pk])
    assert waive_url in page.content.decode()
    assert (
        waive_url
        not in signed_in(client, staff["desk"])
        .get(reverse("backoffice:dossier", args=[dossier.code]))
        .content.decode()
    )
    signed_in(client, staff["finance"]).post(waive_url, {"reason": "Nộp tiền mặt tại quầy, biên lai số 12"})
    fee.refresh_from_db()
    assert fee.state == ChargeState.WAIVED
    assert dossier_services.receive(dossier, by=staff["desk"]).status == DossierStatus.RECEIVED


def test_without_a_postal_tariff_the_result_cannot_be_sent_by_post(citizen, fee_first, sandbox):
    PostalTariff.objects.all().delete()
    draft = draft_by_post(citizen, fee_first)
    with pytest.raises(ValidationError) as refused:
        dossier_services.submit(draft, by=citizen)
    assert list(refused.value.message_dict) == ["result_delivery"]
    draft.refresh_from_db()
    assert draft.status == DossierStatus.DRAFT and not draft.code and not draft.charges.exists()


def test_nothing_is_owed_for_a_free_procedure_collected_online(citizen, agency, sandbox):
    free = make_procedure(
        agencies=[agency], online_level=4, applicant_types=["citizen"],
        fees=[{"name": "Miễn phí", "amount": 0}],
        components=[{"name": "Tờ khai đề nghị", "originals": 1, "is_required": True}],
    )  # fmt: skip
    draft = draft_by_post(citizen, free, post=False)
    assert not selectors.charges_of(dossier_services.submit(draft, by=citizen)).exists()


def test_a_procedure_is_level_4_while_its_agencies_take_fees_online(agency, other_agency):
    procedure = make_procedure(
        agencies=[agency, other_agency], online_level=4, fees=[{"name": "Lệ phí", "amount": 20_000}]
    )

    def level():
        return Procedure.objects.get(pk=procedure.pk).online_level

    assert level() == OnlineLevel.LEVEL_3
    first = services.save_gateway_account(GatewayAccount(agency=agency, gateway="sandbox"))
    assert level() == OnlineLevel.LEVEL_3  # the other agency takes no fee online yet
    second = services.save_gateway_account(GatewayAccount(agency=other_agency, gateway="vnpay"))
    assert level() == OnlineLevel.LEVEL_4
    services.set_gateway_active(second, active=False)
    assert (
        level() == OnlineLevel.LEVEL_3 and not Agency.objects.get(pk=other_agency.pk).accepts_online_payment
    )
    services.set_gateway_active(second, active=True)
    assert level() == OnlineLevel.LEVEL_4
    services.delete_gateway_account(first)
    assert level() == OnlineLevel.LEVEL_3
