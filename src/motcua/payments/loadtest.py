"""What seeded dossiers owe and how they paid (``manage.py seed_load``): rows written with each batch of
dossiers (``dossiers.loadtest.hooks.batch_seeded``), in its transaction, as the live services leave them.

- A dossier sent online with a fee (its frozen ``fee_total``) owes it from the moment it was sent: one
  ``Charge`` of kind "fee" with the quote's lines (``listeners.add_submission_charges``).
- Most applicants pay it online right away, through one of the receiving agency's gateway accounts (its
  gateway: "sandbox", "vnpay" or "vietqr", as registered): a paid ``Payment`` that settles the charge,
  before the desk receives the dossier when the procedure takes its fee first; a few after a failed
  attempt. The others pay cash at the desk when it is received: the charge is waived there (``waive_charge``,
  never a payment). Not yet received: still owed; refused at the desk unpaid: cancelled.
- A dossier refused or stopped after paying online has its payment refunded (``refund_dossier``).
- A dossier waiting for a payment the agency asked for (status 6) owes a "requested" charge.

Amounts are the dossiers' own; agencies without a gateway account are paid at the desk only.
"""

from datetime import timedelta

from motcua.catalog.models import Procedure
from motcua.dossiers.loadtest.hooks import batch_seeded
from motcua.dossiers.models import DossierStatus

from . import registry
from .listeners import fee_lines
from .models import Charge, ChargeKind, ChargeState, GatewayAccount, Payment, PaymentState
from .services.references import ALPHABET, LENGTH, PREFIX

S = DossierStatus
PAID_ONLINE = 0.7  # of the dossiers with a fee, paid through a gateway (if the agency has one)
FAILED_FIRST = 0.08  # a payment paid after an attempt that failed
ENDED_UNSERVED = {S.REFUSED, S.STOPPED}  # what was paid is refunded
NOT_RECEIVED = {S.SUBMITTED, S.REFUSED}  # online: the desk never received it (yet)
BANKS = {
    "sandbox": ["NCB"],
    "vnpay": ["NCB", "VCB", "BIDV", "TCB", "VIB", "MBBANK"],
    "vietqr": ["VCB", "BIDV", "MB", "ACB", "TPB", "VPB"],
}
REQUESTED = [
    (50_000, "Phí thẩm định hồ sơ theo quy định"),
    (100_000, "Lệ phí cấp giấy chứng nhận"),
    (200_000, "Phí đo đạc, xác minh thực địa"),
    (500_000, "Phí thẩm định điều kiện kinh doanh"),
]


def connect() -> None:
    batch_seeded.connect(on_batch_seeded, dispatch_uid="payments.seeded_charges")


def reference(pk: int) -> str:
    """A seeded payment's reference: the payment's id written in the references' alphabet, so unique by
    construction (live references are random, and a live clash is drawn again)."""
    digits = []
    for _ in range(LENGTH):
        pk, rest = divmod(pk, len(ALPHABET))
        digits.append(ALPHABET[rest])
    return PREFIX + "".join(reversed(digits))


def _catalogue(run) -> dict:
    """Read once per run: each agency's gateway accounts, and the procedures that take their fee first."""
    if "payments" not in run.cache:
        accounts: dict[int, list[tuple[int, str]]] = {}
        active = GatewayAccount.objects.filter(is_active=True).order_by("pk")
        for pk, agency_id, gateway in active.values_list("pk", "agency_id", "gateway"):
            accounts.setdefault(agency_id, []).append((pk, gateway))
        fee_first = set(Procedure.objects.filter(fee_before_processing=True).values_list("pk", flat=True))
        run.cache["payments"] = {"accounts": accounts, "fee_first": fee_first}
    return run.cache["payments"]


def on_batch_seeded(sender, *, dossiers: list[dict], run, **kwargs):
    rng = run.rng("payments", dossiers)
    known = _catalogue(run)
    charges, payments, covers = [], [], []  # covers: (payment, charge) of the many-to-many
    for row in dossiers:
        if row.get("fee_total"):
            charge = {
                "dossier_id": row["id"], "kind": ChargeKind.FEE, "amount": row["fee_total"],
                "lines": fee_lines(_Quoted(row["fee_quote"])),
                "reason": f"Phí, lệ phí của hồ sơ {row['code']}", "state": ChargeState.OWED,
                "requested_by_id": None, "created_at": row["submitted_at"],
                "paid_at": None, "payment_id": None,
            }  # fmt: skip
            charges.append(charge)
            accounts = known["accounts"].get(row["agency_id"])
            if accounts and rng.random() < PAID_ONLINE:
                attempts = _paid_online(rng, run.now, row, charge, rng.choice(accounts), known["fee_first"])
                payments.extend(attempts)
                covers.extend((payment, charge) for payment in attempts)
            elif row["status"] not in NOT_RECEIVED:
                charge["state"] = ChargeState.WAIVED  # cash at the desk, recorded by a finance officer
                charge["reason"] += "\nNộp tiền mặt tại bộ phận một cửa."
            elif row["status"] == S.REFUSED:
                charge["state"] = ChargeState.CANCELLED
        if row["status"] == S.PAYMENT_REQUESTED:
            amount, reason = rng.choice(REQUESTED)
            requested = {
                "dossier_id": row["id"], "kind": ChargeKind.REQUESTED, "amount": amount,
                "lines": [{"name": reason, "amount": amount}], "reason": reason, "state": ChargeState.OWED,
                "requested_by_id": row.get("assignee_id"), "created_at": row["updated_at"],
                "paid_at": None, "payment_id": None,
            }  # fmt: skip
            charges.append(requested)
    if not charges:
        return
    for charge, pk in zip(charges, run.writer(Charge).reserve_ids(len(charges)), strict=True):
        charge["id"] = pk
    for payment, pk in zip(payments, run.writer(Payment).reserve_ids(len(payments)), strict=True):
        payment["id"] = pk
        payment["reference"] = reference(pk)
    links = [{"payment_id": payment["id"], "charge_id": charge["id"]} for payment, charge in covers]
    through = Payment.charges.through
    for link, pk in zip(links, run.writer(through).reserve_ids(len(links)), strict=True):
        link["id"] = pk
    for charge in charges:
        if "_payment" in charge:
            charge["payment_id"] = charge.pop("_payment")["id"]
    run.writer(Payment).write(payments)
    run.writer(Charge).write(charges)
    run.writer(through).write(links)
    run.counts["charges"] += len(charges)
    run.counts["payments"] += len(payments)


class _Quoted:
    """What ``listeners.fee_lines`` reads of a dossier: its frozen quote."""

    def __init__(self, fee_quote):
        self.fee_quote = fee_quote


def _paid_online(rng, now, row, charge, account, fee_first) -> list[dict]:
    """The payments of a fee paid online (a failed attempt first for some), settling ``charge``."""
    account_id, gateway = account
    submitted = row["submitted_at"]
    received = row["received_at"] if row["status"] not in NOT_RECEIVED else None
    if received is not None and row["procedure_id"] in fee_first:
        # The desk received it once the fee was paid: paid in between.
        paid = submitted + (received - submitted) * rng.uniform(0.1, 0.8)
    else:
        paid = submitted + timedelta(minutes=rng.uniform(1, 12))
    opened = max(submitted, paid - timedelta(minutes=rng.uniform(0.5, 5)))
    expiry = timedelta(minutes=registry.get(gateway).expiry_minutes() if registry.known(gateway) else 15)
    payment = {
        "dossier_id": row["id"], "payer_id": row.get("applicant_id"), "amount": charge["amount"],
        "state": PaymentState.PAID, "gateway": gateway, "account_id": account_id,
        "transaction_no": str(rng.randrange(10**7, 10**8)),
        "bank_code": rng.choice(BANKS.get(gateway, ["NCB"])),
        "created_at": opened, "expires_at": opened + expiry, "paid_at": paid, "failed_at": None,
        "refunded_at": None, "refunded_amount": 0, "refund_reason": "", "refund_status": "",
        "amount_mismatch_at": None,
    }  # fmt: skip
    if paid > now:  # still at the gateway
        payment.update(state=PaymentState.PENDING, paid_at=None, transaction_no="", bank_code="")
        return [payment] if opened <= now else []
    charge.update(state=ChargeState.PAID, paid_at=paid, _payment=payment)
    ended = row.get("finished_at")
    if row["status"] in ENDED_UNSERVED and ended is not None:
        # Refunded when the dossier ended without a result (``refund_dossier``), the gateway confirming.
        payment.update(
            state=PaymentState.REFUNDED, refunded_at=max(ended, paid), refunded_amount=payment["amount"],
            refund_reason=f"Hồ sơ {row['code']} kết thúc mà không có kết quả.", refund_status="confirmed",
        )  # fmt: skip
        charge["state"] = ChargeState.REFUNDED
    attempts = [payment]
    if rng.random() < FAILED_FIRST:
        tried = submitted + (opened - submitted) * rng.uniform(0, 0.5)
        failed = {
            **payment, "state": PaymentState.FAILED, "created_at": tried, "expires_at": tried + expiry,
            "paid_at": None, "failed_at": min(tried + timedelta(minutes=rng.uniform(1, 4)), opened),
            "refunded_at": None, "refunded_amount": 0, "refund_reason": "", "refund_status": "",
            "transaction_no": "",
        }  # fmt: skip
        attempts.insert(0, failed)
    return attempts
