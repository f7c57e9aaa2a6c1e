"""Amounts in figures and in Vietnamese words, as a receipt prints them ("Bằng chữ: …")."""

import pytest

from motcua.core.money import amount_in_words, format_vnd


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "Không đồng"),
        (5, "Năm đồng"),
        (10, "Mười đồng"),
        (15, "Mười lăm đồng"),
        (21, "Hai mươi mốt đồng"),
        (24, "Hai mươi tư đồng"),
        (105, "Một trăm linh năm đồng"),
        (110, "Một trăm mười đồng"),
        (200_000, "Hai trăm nghìn đồng"),
        (1_005_000, "Một triệu không trăm linh năm nghìn đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (2_020_202, "Hai triệu không trăm hai mươi nghìn hai trăm linh hai đồng"),
        (12_345_678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"),
        (1_000_000_000, "Một tỷ đồng"),
        (1_500_000_000, "Một tỷ năm trăm triệu đồng"),
        (1_000_000_000_000, "Một nghìn tỷ đồng"),
    ],
)
def test_amounts_read_as_vietnamese_receipts_write_them(amount, words):
    assert amount_in_words(amount) == words


def test_a_negative_amount_has_no_words():
    with pytest.raises(ValueError):
        amount_in_words(-1)


def test_figures_have_dots_between_thousands():
    assert format_vnd(1_250_000) == "1.250.000 đ"
    assert format_vnd(0) == "0 đ"
