"""Tables of statistics as files people open in a spreadsheet: XLSX (one sheet per table) and CSV (one
table), written through ``core.spreadsheets`` so that no text (an agency's name, a label) becomes a formula;
numbers stay numbers, a figure with nothing to count an empty cell (never 0). File names say what and when:
``thong-ke-chi-so-nam-2026.xlsx``."""

import io
import re

from django.http import HttpResponse
from django.utils.text import slugify

from motcua.core.spreadsheets import append_row, write_csv_rows
from motcua.core.text import fold

from .periods import Period
from .tables import Table

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
SHEET_NAME_MAX = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def xlsx(tables: list[Table]) -> bytes:
    """A workbook with one sheet per table: its header row, then its rows."""
    from openpyxl import Workbook  # only exports need it

    book = Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = book.create_sheet(_sheet_name(table.title, used))
        append_row(sheet, table.header())
        for values in table.values():
            append_row(sheet, values)
    if not tables:
        book.create_sheet("-")
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    name = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:SHEET_NAME_MAX] or "-"
    base, count = name, 2
    while name.lower() in used:
        suffix = f" ({count})"
        name, count = base[: SHEET_NAME_MAX - len(suffix)] + suffix, count + 1
    used.add(name.lower())
    return name


def csv(table: Table) -> bytes:
    """The table as CSV in UTF-8 with a byte order mark (Excel then reads Vietnamese letters right)."""
    handle = io.StringIO()
    write_csv_rows(handle, [table.header(), *table.values()])
    return handle.getvalue().encode("utf-8-sig")


def period_slug(period: Period) -> str:
    """The period in a file name: nam-2026, quy-2-2026, thang-03-2026, 6-thang-2026, 2026-01-05-2026-02-10."""
    start = period.start
    if period.kind == "year":
        return f"nam-{start.year}"
    if period.kind == "quarter":
        return f"quy-{(start.month + 2) // 3}-{start.year}"
    if period.kind == "month":
        return f"thang-{start.month:02d}-{start.year}"
    if period.kind == "half":
        return f"6-thang-{start.year}"
    if period.kind == "nine_months":
        return f"9-thang-{start.year}"
    return f"{period.start.isoformat()}-{period.end.isoformat()}"


def filename(table_key: str, period: Period, extension: str, subject: str = "") -> str:
    """``thong-ke-<table>[-<subject>]-<period>.<extension>``, in plain ASCII letters."""
    # fold: Vietnamese letters without their marks, "đ" too (slugify alone would drop it)
    parts = ["thong-ke", table_key, slugify(fold(subject)) if subject else "", period_slug(period)]
    return "-".join(part for part in parts if part) + "." + extension


def response(tables: list[Table], extension: str, name: str) -> HttpResponse:
    """A download of ``tables``: every one as a sheet of an XLSX, or the first as a CSV."""
    if extension not in FORMATS:
        raise ValueError(extension)
    content = xlsx(tables) if extension == "xlsx" else csv(tables[0])
    answer = HttpResponse(content, content_type=FORMATS[extension])
    answer["Content-Disposition"] = f'attachment; filename="{name}"'
    answer["Cache-Control"] = "no-store"  # live figures: a new download is a new count
    return answer
