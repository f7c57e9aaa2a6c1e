"""Bank statements read into credit rows (CSV in the banks' dialects, XLSX), malformed files refused with the
row at fault, and our references found in the free text banks pass on."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from motcua.payments.contrib.vietqr.statements import (
    StatementError,
    StatementRow,
    find_reference,
    read_statement,
)

VIETNAMESE_CSV = """\
SAO KÊ TÀI KHOẢN;;;;
Số tài khoản: 0011004123456;;;;
Ngày giao dịch;Số tham chiếu;Số tiền ghi nợ;Số tiền ghi có;Nội dung
07/12/2026 09:15:02;FT26341001;;150.000;MBVCB.1234.MC2612070012.NGUYEN VAN A chuyen tien
07/12/2026;FT26341002;20.000;;Phi dich vu
08/12/2026;FT26341003;;1.234.000,00;IBFT MC-2612-080003 TRAN THI B
"""


def test_a_vietnamese_csv_with_bom_and_semicolons():
    rows = read_statement(("\ufeff" + VIETNAMESE_CSV).encode("utf-8"), filename="saoke.csv")
    assert rows == [
        StatementRow(
            date(2026, 12, 7), 150_000, "MBVCB.1234.MC2612070012.NGUYEN VAN A chuyen tien", "FT26341001", 4
        ),
        StatementRow(date(2026, 12, 8), 1_234_000, "IBFT MC-2612-080003 TRAN THI B", "FT26341003", 6),
    ]


def test_an_english_csv_with_commas_and_no_bom():
    text = (
        "Transaction Date,Reference No,Debit,Credit Amount,Description\n"
        '2026-12-07,TX1,,"1,500,000",MC2612070012 payment\n'
    )
    [row] = read_statement(text.encode("utf-8"))
    assert (row.date, row.amount, row.reference, row.row) == (date(2026, 12, 7), 1_500_000, "TX1", 2)


def test_diễn_giải_names_the_description_too():
    text = "Ngày GD,Ghi có,Diễn giải\n07/12/2026,50000,MC1\n"
    assert read_statement(text.encode())[0].description == "MC1"


def test_an_xlsx_statement():
    book = Workbook()
    sheet = book.active
    sheet.append(["Sao kê tài khoản"])
    sheet.append(["Ngày giao dịch", "Số tham chiếu", "Số tiền ghi có", "Nội dung"])
    sheet.append([datetime(2026, 12, 7, 10, 0), "FT1", 150000, "MC2612070012"])
    sheet.append(["07/12/2026", "FT2", None, "a debit"])
    sheet.append([])
    out = io.BytesIO()
    book.save(out)
    assert read_statement(out.getvalue(), filename="statement.xlsx") == [
        StatementRow(date(2026, 12, 7), 150_000, "MC2612070012", "FT1", 3)
    ]


@pytest.mark.parametrize(
    "content, message",
    [
        ("Ngày giao dịch;Số tiền ghi có;Nội dung\n07/12/2026;150.500,50;MC1\n", "Row 2"),
        ("Ngày giao dịch;Số tiền ghi có;Nội dung\n07/12/2026;1000;MC1\n32/12/2026;1000;MC2\n", "Row 3"),
        ("Ngày giao dịch;Số tiền ghi có;Nội dung\n07/12/2026;mười nghìn;MC1\n", "Row 2"),
        ("Date;Amount;Text\n07/12/2026;1000;MC1\n", "header"),
    ],
)
def test_a_malformed_csv_is_refused_naming_the_row(content, message):
    with pytest.raises(StatementError, match=message):
        read_statement(content.encode("utf-8"))


def test_a_file_in_another_encoding_or_a_broken_xlsx_is_refused():
    with pytest.raises(StatementError, match="UTF-8"):
        read_statement("Ngày giao dịch;Số tiền ghi có;Nội dung\n".encode("utf-16"))
    with pytest.raises(StatementError, match="XLSX"):
        read_statement(b"PK\x03\x04 not really a workbook", filename="x.xlsx")


def test_an_xlsx_amount_with_decimals_is_refused():
    book = Workbook()
    book.active.append(["Ngày giao dịch", "Số tiền ghi có", "Nội dung"])
    book.active.append(["07/12/2026", 1500.5, "MC1"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(StatementError, match="Row 2"):
        read_statement(out.getvalue())


@pytest.mark.parametrize(
    "description, expected",
    [
        ("MBVCB.1234.MC2612070012.NGUYEN VAN A chuyen tien", "MC2612070012"),
        ("IBFT MC-2612-070012 TRAN THI B", "MC2612070012"),
        ("chuyen khoan mc 2612 0700 12", "MC2612070012"),
        ("TKThe :0123, tai VCB. MC2612070012 GD 123", "MC2612070012"),
        ("Thanh toan le phi", None),
        ("", None),
    ],
)
def test_find_reference_sees_through_the_banks_mangling(description, expected):
    candidates = ["MC2612070012", "MC2612070013", "MC2612080001"]
    assert find_reference(description, candidates) == expected


def test_find_reference_refuses_to_guess_between_two():
    assert find_reference("MC2612070012 va MC2612080001", ["MC2612070012", "MC2612080001"]) is None
    # A reference inside a longer one that is also quoted is not a second match.
    assert find_reference("MC26120700123", ["MC2612070012", "MC26120700123"]) == "MC26120700123"
