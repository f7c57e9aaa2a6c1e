"""Reconciliation (đối soát): our record of one gateway's day against the gateway's own statement of it.

The statement is the gateway's file: for ``vnpay`` and ``sandbox`` the CSV reconciliation file VNPay sends
merchants (columns ``TransactionNo, TxnRef, TmnCode, Amount, BankCode, PayDate, Status, Type``; the in-site
sandbox writes the same, ``manage.py sandbox_statement``); for ``vietqr`` the collecting account's bank
statement (``vietqr.statements``). A day is a calendar day in Vietnam (GMT+7), as the gateways count it.

Every difference is reported, none is corrected: a payment in the statement but not paid here, paid here
but not in the statement, paid on another day, an amount or a refund that differs. Reading only.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..contrib.vietqr.statements import StatementError, find_reference, read_statement
from ..contrib.vnpay import protocol
from ..models import Payment, PaymentState

CARD_COLUMNS = ("TxnRef", "Amount", "PayDate", "Type")
PAID_STATES = (PaymentState.PAID, PaymentState.REFUNDED)


class Mismatch:
    NOT_PAID_HERE = "not_paid_here"  # in the statement, but not paid here
    NOT_IN_STATEMENT = "not_in_statement"  # paid here, absent from the statement
    OTHER_DAY = "other_day"  # in both, but paid here on another day
    AMOUNT = "amount"  # in both, amounts differ
    REFUND = "refund"  # the refunds of the day differ

    LABELS = {
        NOT_PAID_HERE: "in the statement but not paid here",
        NOT_IN_STATEMENT: "paid here but not in the statement",
        OTHER_DAY: "paid here on another day",
        AMOUNT: "amount differs",
        REFUND: "refund differs",
    }


@dataclass(frozen=True)
class Difference:
    kind: str
    reference: str  # ours (TxnRef / the transfer's reference), or the bank's when none is found
    ours: int | None = None
    theirs: int | None = None
    detail: str = ""

    def line(self) -> str:
        amounts = f" ours={self.ours if self.ours is not None else '-'}"
        amounts += f" statement={self.theirs if self.theirs is not None else '-'}"
        detail = f" ({self.detail})" if self.detail else ""
        return f"{Mismatch.LABELS[self.kind]}: {self.reference}{amounts}{detail}"


@dataclass
class Reconciliation:
    gateway: str
    day: date
    payments: int = 0  # paid here that day
    paid_amount: int = 0
    statement_payments: int = 0
    statement_amount: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=protocol.TIMEZONE)
    return start, start + timedelta(days=1)


def reconcile(*, gateway: str, day: date, data: bytes, filename: str = "", agency=None) -> Reconciliation:
    """Compare ``gateway``'s statement ``data`` of ``day`` with our payments (of ``agency`` only, when
    given); raises ValidationError when the file cannot be read."""
    ours = Payment.objects.filter(gateway=gateway).select_related("dossier")
    if agency is not None:
        ours = ours.filter(dossier__agency=agency)
    if gateway == "vietqr":
        payments, refunds, unknown = _bank_statement(ours, day, data, filename)
    else:
        payments, refunds, unknown = _card_statement(ours, day, data)
    if agency is not None:  # the statement covers every agency: another's rows are not differences
        others = set(
            Payment.objects.filter(gateway=gateway, reference__in=list(payments) + list(refunds))
            .exclude(dossier__agency=agency)
            .values_list("reference", flat=True)
        )
        payments = {ref: amounts for ref, amounts in payments.items() if ref not in others}
        refunds = {ref: amount for ref, amount in refunds.items() if ref not in others}
    start, end = day_bounds(day)
    paid_today = {
        p.reference: p for p in ours.filter(state__in=PAID_STATES, paid_at__gte=start, paid_at__lt=end)
    }
    result = Reconciliation(gateway=gateway, day=day, payments=len(paid_today))
    result.paid_amount = sum(p.amount for p in paid_today.values())
    result.statement_payments = sum(len(v) for v in payments.values()) + len(unknown)
    result.statement_amount = sum(sum(v) for v in payments.values()) + sum(a for _r, a in unknown)
    diff = result.differences
    for label, amount in unknown:
        diff.append(Difference(Mismatch.NOT_PAID_HERE, label, None, amount, _("no payment of ours")))
    known = {p.reference: p for p in ours.filter(reference__in=list(payments) + list(refunds))}
    for reference, amounts in sorted(payments.items()):
        payment = known.get(reference)
        theirs = sum(amounts)
        if payment is None or payment.state not in PAID_STATES:
            state = payment.state if payment is not None else "unknown"
            diff.append(Difference(Mismatch.NOT_PAID_HERE, reference, None, theirs, state))
        elif reference not in paid_today:
            diff.append(Difference(Mismatch.OTHER_DAY, reference, payment.amount, theirs,
                                   f"{payment.paid_at.astimezone(protocol.TIMEZONE):%Y-%m-%d}"))  # fmt: skip
        elif theirs != payment.amount or len(amounts) > 1:
            diff.append(Difference(Mismatch.AMOUNT, reference, payment.amount, theirs))
    for reference, payment in sorted(paid_today.items()):
        if reference not in payments:
            diff.append(Difference(Mismatch.NOT_IN_STATEMENT, reference, payment.amount, None))
    refunded_today = {
        p.reference: p
        for p in ours.filter(refunded_at__gte=start, refunded_at__lt=end, refunded_amount__gt=0)
    }
    for reference in sorted(set(refunds) | set(refunded_today)):
        payment = refunded_today.get(reference) or known.get(reference)
        mine = payment.refunded_amount if reference in refunded_today else 0
        theirs = refunds.get(reference, 0)
        if mine != theirs:
            diff.append(Difference(Mismatch.REFUND, reference, mine, theirs))
    return result


def _card_statement(ours, day, data: bytes):
    """``({reference: [amounts paid that day]}, {reference: refunded that day}, [])`` from a VNPay CSV."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The statement is not a UTF-8 CSV file.")) from None
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or any(name not in reader.fieldnames for name in CARD_COLUMNS):
        raise ValidationError(
            _("The statement needs the columns %(columns)s.") % {"columns": ", ".join(CARD_COLUMNS)}
        )
    payments, refunds = defaultdict(list), defaultdict(int)
    for number, row in enumerate(reader, start=2):
        try:
            amount = int(row["Amount"])
            moment = protocol.parse_date(row["PayDate"])
        except (TypeError, ValueError):
            raise ValidationError(
                _("Row %(row)s: the amount or the date cannot be read.") % {"row": number}
            ) from None
        if moment.date() != day:
            continue  # a file of several days: only this one is compared
        reference = (row["TxnRef"] or "").strip()
        if row["Type"] == "refund":
            refunds[reference] += amount
        else:
            payments[reference].append(amount)
    return payments, refunds, []


def _bank_statement(ours, day, data: bytes, filename: str):
    """The bank statement's credits of ``day`` by our reference they quote; the others as unknown."""
    try:
        credits = read_statement(data, filename=filename)
    except StatementError as exc:
        raise ValidationError(str(exc)) from None
    references = list(ours.values_list("reference", flat=True))
    payments, unknown = defaultdict(list), []
    for credit in credits:
        if credit.date != day:
            continue
        found = find_reference(credit.description, references)
        if found is None:
            label = credit.reference or _("row %(row)s") % {"row": credit.row}
            unknown.append((f"{label} “{credit.description[:60]}”", credit.amount))
        else:
            payments[found].append(credit.amount)
    return payments, {}, unknown


def report_text(result: Reconciliation) -> str:
    """The reconciliation as a readable report (plain text, one difference a line)."""
    lines = [
        f"Reconciliation of {result.gateway} on {result.day:%Y-%m-%d}",
        f"  paid here:     {result.payments} payment(s), {result.paid_amount:,} VND",
        f"  in statement:  {result.statement_payments} payment(s), {result.statement_amount:,} VND",
    ]
    if result.ok:
        lines.append("No differences.")
    else:
        lines.append(f"{len(result.differences)} difference(s):")
        lines.extend(f"  - {difference.line()}" for difference in result.differences)
    return "\n".join(lines)
