"""Concurrent callbacks cannot pay twice: the gateway's IPN and the payer's return, repeated, arriving at the
same moment from many threads, each with its own connection and transaction (PostgreSQL's row locks; on
SQLite writers take turns anyway, so the test runs where locking is the question)."""

import pytest
from django.db import connection

from motcua.audit.models import AuditEntry
from motcua.core.testing import run_threads
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.payments import services
from motcua.payments.contrib.vnpay import protocol
from motcua.payments.models import ChargeState, Payment, PaymentState

from .conftest import gateway_says, query

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's question"),
]


def test_twelve_callbacks_at_once_pay_once(pending, owed):
    params = gateway_says(pending)
    kinds = ["ipn", "return"] * 6

    def call(i):
        return services.handle_callback(
            "vnpay", params, kind=kinds[i], raw=query(params), client_ip="113.160.92.202"
        ).code

    codes = run_threads(len(kinds), call)
    assert sorted(codes) == ["00"] + ["02"] * 11
    payment = Payment.objects.get(pk=pending.pk)
    assert payment.state == PaymentState.PAID
    assert owed.charges.get().state == ChargeState.PAID
    dossier = Dossier.objects.get(pk=owed.pk)
    assert dossier.status == DossierStatus.PROCESSING
    assert dossier.events.filter(action="payment_received").count() == 1
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1


def test_two_payments_of_the_same_charge_paid_at_once_settle_it_once(pending, owed, citizen):
    services.add_charge(owed, kind="postal", amount=30_000, reason="Phí bưu chính")
    newer, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", return_url="http://x/")
    both = [gateway_says(pending), gateway_says(newer)]
    codes = run_threads(
        2, lambda i: services.handle_callback("vnpay", both[i], kind="ipn", raw="", client_ip=None).code
    )
    assert codes == ["00", "00"]
    charge = owed.charges.get(kind="requested")
    assert charge.state == ChargeState.PAID
    refunded = Payment.objects.filter(refunded_amount__gt=0)
    assert [p.refunded_amount for p in refunded] == [150_000]  # the one that came second gave its part back


def test_eight_wrong_amounts_at_once_alert_the_finance_officer_once(pending, staff):
    """Found by bench/payments.py: the "told before" check read the callbacks' answers, which are written
    after each callback's transaction, so concurrent ones all saw none and alerted again."""
    from motcua.notifications.models import Notification

    params = gateway_says(pending, vnp_Amount=protocol.to_vnp_amount(pending.amount + 1_000))
    codes = run_threads(
        8, lambda i: services.handle_callback("vnpay", params, kind="ipn", raw="", client_ip=None).code
    )
    assert codes == ["04"] * 8
    assert Payment.objects.get(pk=pending.pk).state == PaymentState.PENDING
    alerts = Notification.objects.filter(topic="payment.amount_mismatch")
    assert [n.recipient for n in alerts] == [staff["finance"]]
