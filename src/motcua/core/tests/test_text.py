import unicodedata

import pytest

from motcua.core.text import fold, whole_number, words


@pytest.mark.parametrize(
    "text",
    ["Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH", "dang ky khai sinh", "  Đăng   ký, khai-sinh. "],
)
def test_fold_makes_every_spelling_the_same_key(text):
    assert fold(text) == "dang ky khai sinh"


def test_fold_accepts_decomposed_input_as_phones_may_send_it():
    assert fold(unicodedata.normalize("NFD", "Giấy chứng nhận quyền sử dụng đất")) == (
        "giay chung nhan quyen su dung dat"
    )


def test_fold_keeps_procedure_codes_whole():
    assert fold("Thủ tục 1.001193.") == "thu tuc 1.001193"


def test_words_are_distinct_and_ordered():
    assert words("hộ tịch Hộ Tịch khai sinh") == ["ho", "tich", "khai", "sinh"]


def test_fold_of_nothing_is_empty():
    assert fold("") == ""
    assert fold("!!! ...") == ""


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("42", 42), ("007", 7), ("²", None), ("١٢", None), ("-1", None), (" 1", None), ("", None),
     ("1" * 10, None), (None, None), (4, None)],
)  # fmt: skip
def test_whole_number_reads_ascii_digits_only(text, number):
    assert whole_number(text) == number


def test_whole_number_refuses_more_digits_than_asked():
    assert whole_number("123", digits=2) is None and whole_number("12", digits=2) == 12
