"""A bank statement imported (nhập sao kê): each credit that quotes one of our VietQR references settles it.

Every credit is kept verbatim as a ``PaymentCallback`` of kind "statement" and goes through the same code as
a gateway's callback (``callbacks.apply_facts``), so importing a file twice moves nothing twice (the second
time each is "already paid"), a wrong amount leaves the payment unpaid and alerts the finance officers once,
and a transfer that arrives after the payment expired is honoured. Credits quoting no reference, or more
than one, are listed for a person to look at; nothing is guessed.

References are looked for among all the account's VietQR payments, paid ones included, so that a second
import says "already paid" rather than "unmatched". Each credit is its own transaction (not the whole file):
a failing row is listed as an error and the others still count, and a re-import finishes the job.
"""

import json
import logging
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit import services as audit

from .. import rules
from ..base import CallbackFacts
from ..contrib.vietqr.statements import StatementError, StatementRow, compact, find_reference, read_statement
from ..contrib.vnpay.protocol import IpnAnswer
from ..models import CallbackKind, GatewayAccount, Payment, PaymentCallback
from .callbacks import apply_facts

logger = logging.getLogger("motcua.payments")
GATEWAY = "vietqr"
MAX_BYTES = 5 * 1024 * 1024


class RowOutcome:
    """What became of one credit (a ``PaymentCallback`` note too)."""

    PAID = "paid"
    ALREADY = "already"  # paid before (the same file again, or a second transfer)
    WRONG_AMOUNT = "wrong_amount"
    UNMATCHED = "unmatched"
    AMBIGUOUS = "ambiguous"
    ERROR = "error"


@dataclass(frozen=True)
class ImportedRow:
    row: int
    date: str
    amount: int
    description: str
    bank_reference: str
    outcome: str
    payment: str = ""  # our reference, when one was found
    expected: int | None = None  # the payment's amount, when it differs


@dataclass
class ImportReport:
    """The statement's credits by outcome; ``rows`` in file order."""

    account: int
    filename: str
    rows: list[ImportedRow] = field(default_factory=list)

    def of(self, outcome: str) -> list[ImportedRow]:
        return [row for row in self.rows if row.outcome == outcome]

    @property
    def paid(self):
        return self.of(RowOutcome.PAID)

    @property
    def already(self):
        return self.of(RowOutcome.ALREADY)

    @property
    def wrong_amount(self):
        return self.of(RowOutcome.WRONG_AMOUNT)

    @property
    def unmatched(self):
        return self.of(RowOutcome.UNMATCHED)

    @property
    def ambiguous(self):
        return self.of(RowOutcome.AMBIGUOUS)

    def as_dict(self) -> dict:
        return {
            "account": self.account,
            "filename": self.filename,
            "counts": {
                name: len(self.of(name))
                for name in ("paid", "already", "wrong_amount", "unmatched", "ambiguous", "error")
            },
            "rows": [row.__dict__ for row in self.rows],
        }


def import_statement(*, account: GatewayAccount, data: bytes, filename: str, by) -> ImportReport:
    """Import the bank statement ``data`` (CSV or XLSX bytes) of the VietQR ``account``; raises
    PermissionDenied (not a finance officer of its agency) or ValidationError (not VietQR, unreadable)."""
    if not rules.may_import_statement(by, account):
        raise PermissionDenied(_("Only a finance officer of the account's agency imports its statements."))
    if account.gateway != GATEWAY:
        raise ValidationError(
            {"account": [_("Statements are imported for bank-transfer (VietQR) accounts.")]}
        )
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [_("The statement file is larger than 5 MB.")]})
    try:
        credits = read_statement(data, filename=filename)
    except StatementError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    references = dict(Payment.objects.filter(account=account, gateway=GATEWAY).values_list("reference", "pk"))
    report = ImportReport(account=account.pk, filename=filename[:200])
    for credit in credits:
        report.rows.append(_import_row(account, credit, references))
    audit.record(
        "payment.statement_imported", actor=by, target=account.agency, target_label=account.agency.code,
        account=account.pk, filename=filename[:200], rows=len(report.rows), paid=len(report.paid),
        unmatched=len(report.unmatched), ambiguous=len(report.ambiguous),
        wrong_amount=len(report.wrong_amount),
    )  # fmt: skip
    return report


def _import_row(account, credit: StatementRow, references: dict) -> ImportedRow:
    raw = json.dumps(
        {"row": credit.row, "date": credit.date.isoformat(), "amount": credit.amount,
         "description": credit.description, "reference": credit.reference},
        ensure_ascii=False,
    )  # fmt: skip
    record = PaymentCallback.objects.create(
        gateway=GATEWAY, kind=CallbackKind.STATEMENT, method="FILE", raw=raw, verified=True
    )
    base = {
        "row": credit.row, "date": credit.date.isoformat(), "amount": credit.amount,
        "description": credit.description, "bank_reference": credit.reference,
    }  # fmt: skip
    found = find_reference(credit.description, references)
    if found is None:
        text = compact(credit.description)
        quoted = [ref for ref in references if compact(ref) in text]
        outcome = RowOutcome.AMBIGUOUS if len(quoted) > 1 else RowOutcome.UNMATCHED
        PaymentCallback.objects.filter(pk=record.pk).update(answer=IpnAnswer.NOT_FOUND, note=outcome)
        return ImportedRow(**base, outcome=outcome)
    payment = Payment.objects.select_related("account").get(pk=references[found])
    facts = CallbackFacts(
        verified=True, reference=payment.reference, merchant=str(account.config.get("account_number", "")),
        amount=credit.amount, success=True, transaction_no=credit.reference[:64], bank_code="VIETQR",
        raw=json.loads(raw),
    )  # fmt: skip
    try:
        with transaction.atomic():
            code, payment, note = apply_facts(payment, facts, gateway=GATEWAY, client_ip=None)
    except Exception:  # one bad row must not stop the others; it is listed and logged
        logger.exception("statement row %s failed", record.pk)
        code, note = IpnAnswer.OTHER_ERROR, "error"
    PaymentCallback.objects.filter(pk=record.pk).update(answer=code, payment=payment, note=note[:1000])
    outcome = {
        IpnAnswer.CONFIRMED: RowOutcome.PAID,
        IpnAnswer.ALREADY_CONFIRMED: RowOutcome.ALREADY,
        IpnAnswer.INVALID_AMOUNT: RowOutcome.WRONG_AMOUNT,
    }.get(code, RowOutcome.ERROR)
    return ImportedRow(
        **base, outcome=outcome, payment=payment.reference,
        expected=payment.amount if outcome == RowOutcome.WRONG_AMOUNT else None,
    )  # fmt: skip
