"""What ``manage.py seed_load`` makes seeded dossiers owe and pay (``payments.loadtest``): a fee charge for
each dossier sent online with a fee, paid online through the agency's gateways for most (before the desk
received it, the procedure taking its fee first), cash at the desk for the others, refunds for those that
ended unserved, and the requested charge of a dossier waiting for a payment."""

from collections import Counter

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.seeding import seed, seed_world
from motcua.payments.loadtest import reference
from motcua.payments.models import Charge, ChargeKind, ChargeState, GatewayAccount, Payment, PaymentState
from motcua.payments.services.references import ALPHABET, LENGTH, PREFIX

S = DossierStatus
PAID = (PaymentState.PAID, PaymentState.REFUNDED)


def test_seeded_charges_and_payments_follow_the_dossiers(agency, procedure, time_machine_monday):
    fee_procedure = seed_world(agency, procedure)
    seed(dossiers=300, days=200, seed=4)
    now = time_machine_monday
    accounts = dict(GatewayAccount.objects.filter(agency=agency).values_list("pk", "gateway"))

    with_fee = Dossier.objects.filter(fee_total__gt=0)
    assert with_fee.exists() and not with_fee.exclude(procedure=fee_procedure, channel="online").exists()
    fees = Charge.objects.filter(kind=ChargeKind.FEE).select_related("dossier", "payment")
    assert sorted(c.dossier_id for c in fees) == sorted(with_fee.values_list("pk", flat=True))
    states = Counter()
    for charge in fees:
        dossier = charge.dossier
        received = dossier.status not in (S.SUBMITTED, S.REFUSED)
        assert charge.amount == dossier.fee_total == sum(line["amount"] for line in charge.lines)
        assert charge.created_at == dossier.submitted_at
        states[charge.state] += 1
        paid = [p for p in Payment.objects.filter(dossier=dossier) if p.state in PAID]
        if charge.state in (ChargeState.PAID, ChargeState.REFUNDED):
            (payment,) = paid
            assert charge.payment == payment and payment.amount == charge.amount
            assert payment.account_id in accounts and payment.gateway == accounts[payment.account_id]
            assert payment.payer_id == dossier.applicant_id is not None
            assert dossier.submitted_at <= payment.created_at <= payment.paid_at == charge.paid_at <= now
            if received:  # the fee is taken before processing: the desk received it once paid
                assert payment.paid_at <= dossier.received_at
            refunded = dossier.status in (S.REFUSED, S.STOPPED)
            assert (
                (charge.state == ChargeState.REFUNDED) == refunded == (payment.state == PaymentState.REFUNDED)
            )
        else:
            assert not paid
            if charge.state == ChargeState.WAIVED:  # cash at the desk, when it was received
                assert received
            elif charge.state == ChargeState.OWED:
                assert dossier.status == S.SUBMITTED
            else:
                assert charge.state == ChargeState.CANCELLED and dossier.status == S.REFUSED
    assert states[ChargeState.PAID] > states[ChargeState.WAIVED] > 0, states
    # A failed attempt covers the same charge as the payment that followed it.
    for failed in Payment.objects.filter(state=PaymentState.FAILED):
        assert set(failed.charges.all()) == {Charge.objects.get(dossier=failed.dossier, kind=ChargeKind.FEE)}
    assert Payment.objects.filter(state=PaymentState.FAILED).exists()
    assert {p.gateway for p in Payment.objects.all()} == {"sandbox", "vnpay"}

    waiting = Dossier.objects.filter(status=S.PAYMENT_REQUESTED)
    requested = Charge.objects.filter(kind=ChargeKind.REQUESTED)
    assert sorted(requested.values_list("dossier_id", flat=True)) == sorted(
        waiting.values_list("pk", flat=True)
    )
    assert not requested.exclude(state=ChargeState.OWED).exists()


def test_seeded_payment_references_are_unique_and_look_like_live_ones():
    seen = {reference(pk) for pk in range(1, 5000)}
    assert len(seen) == 4999
    assert all(r.startswith(PREFIX) and len(r) == len(PREFIX) + LENGTH for r in seen)
    assert all(set(r[len(PREFIX) :]) <= set(ALPHABET) for r in seen)
