"""Reports as tables and files (``stats.tables``, ``stats.exports``): what every page and download shares."""

import csv
import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from motcua.stats import exports, selectors, tables
from motcua.stats.indicators import INDICATORS
from motcua.stats.periods import Period

DECEMBER = Period.of("month", 2026, 12)


@pytest.fixture
def report(world):
    with translation.override("en"):
        yield selectors.report(DECEMBER, now=world.clock.now)


def test_an_indicator_without_data_is_an_empty_cell_with_a_note_never_zero(report):
    with translation.override("en"):
        table = tables.indicator_table(report)
    assert len(table) == len(INDICATORS)
    petitions = next(row for row in table.rows if row.key == "petitions_on_time")
    assert petitions.cells[2:7] == [0, 0, None, None, 6.0]  # none handled: nothing to divide
    assert petitions.cells[-1] == "No data"


def test_the_periodic_report_lists_every_indicator_for_the_whole_and_each_unit(world, report):
    units = selectors.grouped(DECEMBER, None, "agency", world.clock.now)
    with translation.override("en"):
        detail, summary = tables.periodic_report(report, units)
    assert len(detail) == len(INDICATORS) * (1 + len(units))
    assert [row.cells[0] for row in summary.rows] == ["The whole province", *(u.label for u in units)]
    assert summary.header()[1:6] == [
        "Publicity and transparency",
        "Progress and results of processing",
        "Digitisation of dossiers",
        "Online service provision",
        "Satisfaction",
    ]


def test_a_workbook_has_a_sheet_per_table_with_names_excel_accepts(report):
    long = tables.Table(
        "x", "Chỉ số: nhóm [1] / 2026 * rất dài, dài hơn ba mươi mốt ký tự", [tables.Column("A")]
    )
    twin = tables.Table("y", long.title, [tables.Column("A")], [tables.Row(["=1+2"])])
    book = load_workbook(io.BytesIO(exports.xlsx([long, twin])))
    first, second = book.sheetnames
    assert len(first) <= 31 and not set("[]:*?/\\") & set(first)
    assert second != first and len(second) <= 31
    cell = book[second]["A2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")


def test_a_csv_is_utf8_with_a_mark_excel_reads_and_no_formula(report):
    table = tables.Table("x", "t", [tables.Column("Tên"), tables.Column("Số", tables.COUNT)])
    table.rows = [tables.Row(["=HYPERLINK(1)", 5]), tables.Row(["Xã Tân Phong", None])]
    data = exports.csv(table)
    assert data.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")))) == [
        ["Tên", "Số"],
        ["'=HYPERLINK(1)", "5"],
        ["Xã Tân Phong", ""],
    ]


@pytest.mark.parametrize(
    "period, name",
    [
        (Period.of("year", 2026), "thong-ke-chi-so-nam-2026.xlsx"),
        (Period.of("quarter", 2026, 2), "thong-ke-chi-so-quy-2-2026.xlsx"),
        (Period.of("month", 2026, 3), "thong-ke-chi-so-thang-03-2026.xlsx"),
        (Period.of("half", 2026), "thong-ke-chi-so-6-thang-2026.xlsx"),
        (Period.of("nine_months", 2026), "thong-ke-chi-so-9-thang-2026.xlsx"),
        (Period(date(2026, 1, 5), date(2026, 2, 10)), "thong-ke-chi-so-2026-01-05-2026-02-10.xlsx"),
    ],
)
def test_file_names_say_what_and_when(period, name):
    assert exports.filename("chi-so", period, "xlsx") == name


def test_a_file_name_spells_a_vietnamese_subject_in_plain_letters():
    assert exports.filename("xep-hang", Period.of("year", 2026), "csv", "Đồng Sơn") == (
        "thong-ke-xep-hang-dong-son-nam-2026.csv"
    )
