"""Bank statements (sao kê tài khoản) read into rows, and our payment references found in their free text.

A statement is the bank's CSV (UTF-8 with or without BOM, ``,`` or ``;``) or XLSX export of the collecting
account. Banks name their columns in Vietnamese or English and often put a title and the account's details
above the header row, so the header is looked for among the first rows by the names it may carry. Only
credits (money in) become rows; a malformed row refuses the whole file, naming the row, so nothing is half
imported.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

HEADER_SEARCH_ROWS = 30
# Column → the header names banks give it, compared without accents, case or punctuation.
COLUMNS = {
    "date": ("ngay giao dich", "ngay gd", "ngay hach toan", "ngay", "thoi gian giao dich", "transaction date",
             "posting date", "value date", "date"),
    "credit": ("so tien ghi co", "ghi co", "so tien co", "phat sinh co", "credit amount", "credit", "co"),
    "description": ("noi dung", "dien giai", "noi dung giao dich", "noi dung chuyen khoan", "mo ta",
                    "description", "transaction details", "details", "narrative", "remarks"),
    "reference": ("so tham chieu", "ma giao dich", "so but toan", "ma gd", "reference number", "reference no",
                  "reference", "ref no", "transaction id", "transaction no"),
}  # fmt: skip
REQUIRED = ("date", "credit", "description")
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d-%m-%Y", "%d-%m-%Y %H:%M:%S",
                "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d.%m.%Y")  # fmt: skip


class StatementError(ValueError):
    """A statement file that cannot be read; the message names the row when one is at fault."""


@dataclass(frozen=True)
class StatementRow:
    """One credit of the statement: ``amount`` VND received on ``date``, the transfer's free text and the
    bank's own reference; ``row`` is its row number in the file (1 = the first line), for messages."""

    date: date
    amount: int
    description: str
    reference: str
    row: int


def read_statement(data: bytes, *, filename: str = "") -> list[StatementRow]:
    """The credits of a statement file's bytes (XLSX when it is a ZIP or named ``.xlsx``, CSV otherwise);
    raises StatementError with a message for the finance officer."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        table = _xlsx_rows(data)
    else:
        table = _csv_rows(data)
    return _credits(table)


def _csv_rows(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise StatementError(
            _("The statement is not a UTF-8 text file: export it as CSV UTF-8 or XLSX.")
        ) from None
    lines = text.splitlines()
    sample = "\n".join(lines[:HEADER_SEARCH_ROWS])
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _xlsx_rows(data: bytes) -> list[list]:
    from openpyxl import load_workbook  # only statements need it

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise StatementError(_("The statement is not a readable XLSX file.")) from None
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()


def normalize(text) -> str:
    """Lower case, no accents (đ → d), words separated by one space: how header names are compared."""
    text = unicodedata.normalize("NFD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if unicodedata.category(char) != "Mn").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _header(table: list[list]) -> tuple[int, dict[str, int]]:
    for index, row in enumerate(table[:HEADER_SEARCH_ROWS]):
        names = [normalize(cell) for cell in row]
        found = {}
        for column, aliases in COLUMNS.items():
            # The first alias present wins: "ngay giao dich" before a bare "ngay" of another column.
            for alias in aliases:
                if alias in names and names.index(alias) not in found.values():
                    found[column] = names.index(alias)
                    break
        if all(column in found for column in REQUIRED):
            return index, found
    raise StatementError(
        _(
            "No header row found: the statement needs columns for the transaction date, the credit amount "
            "and the description (e.g. “Ngày giao dịch”, “Số tiền ghi có”, “Nội dung”)."
        )
    )


def _credits(table: list[list]) -> list[StatementRow]:
    header, columns = _header(table)
    rows = []
    for index, row in enumerate(table[header + 1 :], start=header + 2):
        if not any(str(cell or "").strip() for cell in row):
            continue  # blank lines and trailing empty rows of spreadsheets

        def cell(name, row=row):
            position = columns.get(name)
            return row[position] if position is not None and position < len(row) else None

        amount = parse_amount(cell("credit"), row_number=index)
        if not amount:
            continue  # a debit, or a total line without a credit
        rows.append(
            StatementRow(
                date=parse_day(cell("date"), row_number=index),
                amount=amount,
                description=str(cell("description") or "").strip(),
                reference=str(cell("reference") or "").strip(),
                row=index,
            )
        )
    return rows


def parse_amount(value, *, row_number: int) -> int:
    """A credit as banks write it (``1.234.000``, ``1,234,000``, ``1234000.00``, a number cell) in whole
    VND; 0 for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return 0
    if isinstance(value, bool):
        raise StatementError(_("Row %(row)s: the credit amount is not a number.") % {"row": row_number})
    if isinstance(value, int | float):
        if value < 0 or value != int(value):
            raise StatementError(
                _("Row %(row)s: the credit amount is not a whole number of đồng.") % {"row": row_number}
            )
        return int(value)
    text = re.sub(r"(?i)\s|vnd|đ", "", str(value))
    whole = _whole_number(text)
    if whole is None:
        raise StatementError(
            _("Row %(row)s: the credit amount “%(value)s” is not a whole number of đồng.")
            % {"row": row_number, "value": value}
        )
    return whole


def _whole_number(text: str) -> int | None:
    if re.fullmatch(r"[0-9]+", text):
        return int(text)
    # The last separator followed by 1-2 digits is a decimal mark (its decimals must be zero).
    decimal = re.fullmatch(r"([0-9.,]*?)[.,]([0-9]{1,2})", text)
    if decimal and set(decimal.group(2)) == {"0"}:
        text = decimal.group(1)
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+|[0-9]{1,3}(,[0-9]{3})+|[0-9]+", text):
        return int(re.sub(r"[.,]", "", text))
    return None


def parse_day(value, *, row_number: int) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise StatementError(
        _("Row %(row)s: the date “%(value)s” is not a date (dd/mm/yyyy).")
        % {"row": row_number, "value": text}
    )


def compact(text: str) -> str:
    """``text`` as banks pass a transfer's content on: no accents, upper case, only letters and digits."""
    return normalize(text).replace(" ", "").upper()


def find_reference(description: str, candidates) -> str | None:
    """The one payment reference of ``candidates`` that a transfer's ``description`` quotes, however the banks
    mangled it (spaces or dashes removed, case changed, bank words and the payer's name around it); None
    when none, or more than one that is not part of another, is found (a person decides then)."""
    text = compact(description)
    found = {}
    for candidate in candidates:
        key = compact(candidate)
        if key and key in text:
            found[key] = candidate
    # "HS12" inside a found "HS123" is the shorter reference's accident, not a second match.
    keys = [key for key in found if not any(key != other and key in other for other in found)]
    return found[keys[0]] if len(keys) == 1 else None
