"""Reconciliation: real sandbox payments, the sandbox's own statement of the day, then tampered with; and a
bank statement for VietQR. Every kind of difference is reported and the command exits non-zero."""

import io
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command

from motcua.payments import services
from motcua.payments.contrib.sandbox.statement import write_statement
from motcua.payments.models import GatewayAccount, PaymentState
from motcua.payments.services.reconcile import Mismatch, reconcile

from .conftest import bank_statement

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)
RETURN = "http://testserver/thanh-toan/sandbox/tra-ve/"


@pytest.fixture(autouse=True)
def _sandbox_on(settings):
    settings.MOTCUA_PAYMENT_SANDBOX = True


@pytest.fixture
def sandbox_account(agency):
    return GatewayAccount.objects.create(agency=agency, gateway="sandbox")


def pay_at_the_sandbox(client, dossier, payer):
    """The payer goes to the sandbox gateway, pays, and comes back: our return page records it."""
    payment, checkout = services.open_checkout(dossier, by=payer, gateway="sandbox", return_url=RETURN)
    target = urlsplit(checkout.redirect_url)
    back = client.post(f"{target.path}?{target.query}", {"outcome": "success"})
    assert back.status_code == 302
    client.get(urlsplit(back["Location"]).path + "?" + urlsplit(back["Location"]).query)
    payment.refresh_from_db()
    assert payment.state == PaymentState.PAID
    return payment


@pytest.fixture
def paid(client, owed, citizen, sandbox_account, clock):
    return pay_at_the_sandbox(client, owed, citizen)


def statement(day=DAY) -> str:
    out = io.StringIO()
    write_statement(day, out)
    return out.getvalue()


def kinds(result):
    return sorted((d.kind, d.reference) for d in result.differences)


def test_the_sandbox_statement_matches_our_records(paid):
    result = reconcile(gateway="sandbox", day=DAY, data=statement().encode())
    assert result.ok and result.payments == result.statement_payments == 1
    assert result.paid_amount == result.statement_amount == 150_000


def test_every_kind_of_difference(paid, owed, staff, clock):
    text = statement()
    header, row = text.strip().splitlines()
    # An amount changed, a payment we never saw, and a refund we never made.
    changed = row.replace(",150000,", ",149000,")
    stranger = row.replace(paid.reference, "TTUNKNOWN000")
    refund = row.replace(",payment", ",refund").replace(",150000,", ",50000,")
    result = reconcile(
        gateway="sandbox", day=DAY, data="\n".join([header, changed, stranger, refund]).encode()
    )
    assert kinds(result) == sorted(
        [(Mismatch.AMOUNT, paid.reference), (Mismatch.NOT_PAID_HERE, "TTUNKNOWN000"),
         (Mismatch.REFUND, paid.reference)]
    )  # fmt: skip
    amount = next(d for d in result.differences if d.kind == Mismatch.AMOUNT)
    assert (amount.ours, amount.theirs) == (150_000, 149_000)
    # Paid here but missing from the statement; and a refund made here the gateway does not show.
    services.refund(paid, by=staff["finance"], reason="Nộp thừa", amount=50_000)
    result = reconcile(gateway="sandbox", day=DAY, data=header.encode())
    assert kinds(result) == [(Mismatch.NOT_IN_STATEMENT, paid.reference), (Mismatch.REFUND, paid.reference)]


def test_a_payment_paid_here_on_another_day(paid):
    text = statement().replace("20260302", "20260303")
    result = reconcile(gateway="sandbox", day=date(2026, 3, 3), data=text.encode())
    assert kinds(result) == [(Mismatch.OTHER_DAY, paid.reference)]


def test_the_command_prints_the_report_and_fails_on_differences(paid, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(statement(), encoding="utf-8")
    out = io.StringIO()
    call_command("reconcile_payments", str(good), "--gateway", "sandbox", "--date", "2026-03-02", stdout=out)
    assert "No differences." in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(statement().replace(",150000,", ",1000,"), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command(
            "reconcile_payments", str(bad), "--gateway", "sandbox", "--date", "2026-03-02", stdout=out
        )
    assert failed.value.returncode == 1
    assert f"amount differs: {paid.reference} ours=150000 statement=1000" in out.getvalue()
    with pytest.raises(CommandError) as unusable:
        call_command("reconcile_payments", str(bad), "--gateway", "nope", "--date", "2026-03-02")
    assert unusable.value.returncode == 2


def test_the_command_narrows_to_one_agency(paid, agency, other_agency, tmp_path):
    file = tmp_path / "s.csv"
    file.write_text(statement().replace(",150000,", ",1000,"), encoding="utf-8")
    out = io.StringIO()
    # The other agency paid nothing that day, and the statement's row is not theirs.
    call_command("reconcile_payments", str(file), "--gateway", "sandbox", "--date", "2026-03-02",
                 "--agency", other_agency.code, stdout=out)  # fmt: skip
    assert "No differences." in out.getvalue()
    with pytest.raises(CommandError):
        call_command("reconcile_payments", str(file), "--gateway", "sandbox", "--date", "2026-03-02",
                     "--agency", agency.code, stdout=io.StringIO())  # fmt: skip


def test_a_vietqr_bank_statement(transfer, vietqr_account, staff, clock):
    from motcua.payments.services.statements import import_statement

    data = bank_statement(("02/03/2026", 150_000, f"CK {transfer.reference}"))
    import_statement(account=vietqr_account, data=data, filename="s.csv", by=staff["finance"])
    assert reconcile(gateway="vietqr", day=DAY, data=data).ok
    extra = bank_statement(
        ("02/03/2026", 150_000, f"CK {transfer.reference}"), ("02/03/2026", 9_000, "Ung ho")
    )
    result = reconcile(gateway="vietqr", day=DAY, data=extra)
    assert [d.kind for d in result.differences] == [Mismatch.NOT_PAID_HERE]
    assert reconcile(gateway="vietqr", day=DAY, data=bank_statement()).differences[0].kind == (
        Mismatch.NOT_IN_STATEMENT
    )
