"""A bank statement imported: a credit quoting our reference settles its payment through the callbacks'
code; twice changes nothing; a wrong amount stays unpaid and alerts finance; the rest is listed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.models import OfficerRole
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.tests.fixtures import make_officer
from motcua.notifications.models import Notification
from motcua.payments.models import CallbackKind, ChargeState, GatewayAccount, PaymentCallback, PaymentState
from motcua.payments.services.statements import import_statement

from .conftest import bank_statement

pytestmark = pytest.mark.django_db


def _import(account, data, by):
    return import_statement(account=account, data=data, filename="saoke.csv", by=by)


def test_a_credit_quoting_the_reference_settles_the_payment(transfer, vietqr_account, staff):
    reference = transfer.reference
    data = bank_statement(
        ("02/03/2026", 150_000, f"NGUYEN VAN A chuyen tien {reference[:5]} {reference[5:]}")
    )
    report = _import(vietqr_account, data, staff["finance"])
    assert [row.payment for row in report.paid] == [reference]
    transfer.refresh_from_db()
    assert transfer.state == PaymentState.PAID and transfer.transaction_no == "FT26000001"
    assert transfer.settled.get().state == ChargeState.PAID
    assert transfer.dossier.__class__.objects.get(pk=transfer.dossier_id).status == DossierStatus.PROCESSING
    record = PaymentCallback.objects.get(kind=CallbackKind.STATEMENT)
    assert record.payment == transfer and record.answer == "00" and reference[:5] in record.raw


def test_the_same_file_twice_moves_nothing_twice(transfer, vietqr_account, staff):
    data = bank_statement(("02/03/2026", 150_000, f"HS {transfer.reference}"))
    _import(vietqr_account, data, staff["finance"])
    paid_at = type(transfer).objects.get(pk=transfer.pk).paid_at
    again = _import(vietqr_account, data, staff["finance"])
    assert not again.paid and [row.payment for row in again.already] == [transfer.reference]
    assert type(transfer).objects.get(pk=transfer.pk).paid_at == paid_at
    assert PaymentCallback.objects.filter(kind=CallbackKind.STATEMENT).count() == 2  # each row kept


def test_a_wrong_amount_stays_unpaid_and_alerts_finance_once(transfer, vietqr_account, staff):
    data = bank_statement(("02/03/2026", 15_000, f"{transfer.reference} le phi"))
    report = _import(vietqr_account, data, staff["finance"])
    assert [(row.payment, row.expected) for row in report.wrong_amount] == [(transfer.reference, 150_000)]
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PENDING
    alerts = Notification.objects.filter(topic="payment.amount_mismatch", recipient=staff["finance"])
    assert alerts.count() == 1
    _import(vietqr_account, data, staff["finance"])
    assert alerts.count() == 1


def test_a_late_transfer_is_honoured_after_expiry(transfer, vietqr_account, staff):
    type(transfer).objects.filter(pk=transfer.pk).update(state=PaymentState.EXPIRED)
    report = _import(
        vietqr_account, bank_statement(("05/03/2026", 150_000, transfer.reference)), staff["finance"]
    )
    assert len(report.paid) == 1
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PAID


def test_unmatched_and_ambiguous_credits_are_listed(transfer, vietqr_account, staff, owed, citizen):
    other = type(transfer).objects.create(
        reference="TTQQQQQQQQQQ", dossier=owed, payer=citizen, amount=10_000, gateway="vietqr",
        account=vietqr_account, created_at=transfer.created_at, expires_at=transfer.expires_at,
    )  # fmt: skip
    data = bank_statement(
        ("02/03/2026", 500_000, "Tien nha thang 3"),
        ("02/03/2026", 150_000, f"{transfer.reference} va {other.reference}"),
    )
    report = _import(vietqr_account, data, staff["finance"])
    assert [row.amount for row in report.unmatched] == [500_000]
    assert [row.amount for row in report.ambiguous] == [150_000]
    assert not report.paid
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PENDING


def test_only_a_finance_officer_of_the_accounts_agency_imports(transfer, vietqr_account, staff, other_agency):
    data = bank_statement(("02/03/2026", 150_000, transfer.reference))
    for someone in (
        staff["desk"],
        staff["leader"],
        make_officer("kt.khac", other_agency, role=OfficerRole.FINANCE),
    ):
        with pytest.raises(PermissionDenied):
            _import(vietqr_account, data, someone)
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PENDING


def test_another_agencys_payment_is_not_matched_from_this_account(transfer, staff, other_agency):
    theirs = GatewayAccount.objects.create(
        agency=other_agency, gateway="vietqr",
        config={"bank_bin": "970418", "account_number": "999", "account_name": "UBND XA KHAC"},
    )  # fmt: skip
    officer = make_officer("kt.khac", other_agency, role=OfficerRole.FINANCE)
    report = _import(theirs, bank_statement(("02/03/2026", 150_000, transfer.reference)), officer)
    assert len(report.unmatched) == 1
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PENDING


def test_an_unreadable_file_or_a_card_account_is_refused(transfer, vietqr_account, account, staff):
    with pytest.raises(ValidationError):
        _import(vietqr_account, b"not,a,statement\n1,2,3", staff["finance"])
    with pytest.raises(ValidationError):
        _import(account, bank_statement(("02/03/2026", 150_000, transfer.reference)), staff["finance"])
