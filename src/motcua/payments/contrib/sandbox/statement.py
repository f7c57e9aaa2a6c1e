"""The gateway's daily statement (sao kê / file đối soát): a day's successful payments and refunds as CSV.

A day is a calendar day in Vietnam (GMT+7), as VNPay's reconciliation files count it. Amounts are in VND.
"""

import csv
from datetime import date, datetime, time, timedelta

from motcua.payments.contrib.vnpay import protocol

from .models import SandboxRefund, SandboxTransaction, TransactionStatus

COLUMNS = ("TransactionNo", "TxnRef", "TmnCode", "Amount", "BankCode", "PayDate", "Status", "Type")
PAYMENT, REFUND = "payment", "refund"
_PAID = (TransactionStatus.SUCCESS, TransactionStatus.PARTIALLY_REFUNDED, TransactionStatus.REFUNDED)


def statement_rows(day: date) -> list[dict]:
    """The rows of ``day``'s statement, in time order: payments that succeeded that day, refunds made then."""
    start = datetime.combine(day, time.min, tzinfo=protocol.TIMEZONE)
    end = start + timedelta(days=1)
    rows = []
    for record in SandboxTransaction.objects.filter(pay_date__gte=start, pay_date__lt=end, status__in=_PAID):
        rows.append(_row(record, record.amount, record.pay_date, PAYMENT))
    refunds = SandboxRefund.objects.filter(created_at__gte=start, created_at__lt=end).select_related(
        "transaction"
    )
    for item in refunds:
        rows.append(_row(item.transaction, item.amount, item.created_at, REFUND))
    return sorted(rows, key=lambda row: (row["PayDate"], row["TransactionNo"], row["Type"]))


def _row(record: SandboxTransaction, amount: int, moment: datetime, kind: str) -> dict:
    return {
        "TransactionNo": record.transaction_no,
        "TxnRef": record.txn_ref,
        "TmnCode": record.tmn_code,
        "Amount": amount,
        "BankCode": record.bank_code,
        "PayDate": protocol.format_date(moment),
        "Status": record.status,
        "Type": kind,
    }


def write_statement(day: date, out) -> int:
    """Write ``day``'s statement as CSV (UTF-8, comma, header row) to the text stream ``out``; returns the
    number of rows."""
    rows = statement_rows(day)
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return len(rows)
