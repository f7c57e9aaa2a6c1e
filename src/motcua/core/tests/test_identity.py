from datetime import date

import pytest
from django.core.exceptions import ValidationError

from motcua.core.identity import personal_id_gender, validate_personal_id, validate_phone, validate_tax_code


def test_a_personal_id_of_a_man_born_in_1990_in_hanoi():
    assert validate_personal_id("001090123456", date(1990, 5, 1)) == "001090123456"
    assert personal_id_gender("001090123456") == "male"


def test_a_personal_id_of_a_woman_born_in_2003_in_quang_ninh_with_spaces():
    assert validate_personal_id("022 303 012345", date(2003, 1, 31)) == "022303012345"
    assert personal_id_gender("022303012345") == "female"


@pytest.mark.parametrize(
    ("number", "born", "code"),
    [
        ("00109012345", None, "format"),  # 11 digits
        ("00109012345a", None, "format"),
        ("003090123456", None, "province"),  # 003 is no province code
        ("001090123456", date(1991, 1, 1), "birth_year"),  # says 1990
        ("001290123456", date(1990, 1, 1), "birth_year"),  # digit 2 means born in the 2000s
    ],
)
def test_a_personal_id_that_cannot_be_right_is_refused_with_its_reason(number, born, code):
    with pytest.raises(ValidationError) as caught:
        validate_personal_id(number, born)
    assert caught.value.code == code


def test_tax_codes_are_checked_by_their_check_digit():
    assert validate_tax_code("0100109106") == "0100109106"
    assert validate_tax_code("0100109106-001") == "0100109106001"
    with pytest.raises(ValidationError):
        validate_tax_code("0100109107")
    with pytest.raises(ValidationError):
        validate_tax_code("12345")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [("0912345678", "0912345678"), ("+84 912 345 678", "0912345678"), ("0203.3812345", "02033812345")],
)
def test_vietnamese_phone_numbers(raw, normalised):
    assert validate_phone(raw) == normalised


@pytest.mark.parametrize("raw", ["012345678", "0112345678", "+1 202 555 0100", "abc"])
def test_numbers_that_are_not_vietnamese_phones_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_phone(raw)
