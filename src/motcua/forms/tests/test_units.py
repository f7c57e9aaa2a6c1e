"""Administrative units named as people write them: "Xã Tân Phong" typed, pasted, decomposed or unmarked."""

import copy
import unicodedata

import pytest

from motcua.forms import services, units

from .conftest import VALID

pytestmark = pytest.mark.django_db

TAN_PHONG = "004.00.30.H99"


@pytest.mark.parametrize(
    "typed",
    [
        "Xã Tân Phong",
        unicodedata.normalize("NFD", "Xã Tân Phong"),  # macOS and some phone keyboards send this
        "  xã   TÂN phong ",
        "Tân Phong",
        "Xa Tan Phong",
        TAN_PHONG,
    ],
)
def test_a_commune_is_found_by_its_code_or_its_name_in_any_writing(typed):
    assert units.find_commune("99", typed) == TAN_PHONG


def test_an_unknown_or_ambiguous_name_finds_nothing():
    assert units.find_commune("99", "Phường Cửa Nam") is None
    assert units.find_commune("99", "") is None
    assert units.find_commune("01", "Xã Tân Phong") is None  # not a commune of that province
    assert units.find_province("Tỉnh Hải Đông") == "99"
    assert units.find_province(unicodedata.normalize("NFD", "Hà Nội")) == "01"


@pytest.mark.parametrize("typed", ["Xã Tân Phong", unicodedata.normalize("NFD", "Xã Tân Phong")])
def test_the_exact_name_of_a_listed_commune_is_accepted_and_kept_as_its_code(form, typed):
    data = copy.deepcopy(VALID)
    data["address"] = {"province": "99", "commune": typed, "detail": "Thôn Đông"}
    assert services.validate_submission(form, data) == {}
    kept = services.normalise_data(form, data)
    assert kept["address"]["commune"] == TAN_PHONG


def test_every_text_is_kept_composed(form):
    data = copy.deepcopy(VALID)
    data["full_name"] = unicodedata.normalize("NFD", "Lê Thị Hà")
    kept = services.normalise_data(form, data)
    assert kept["full_name"] == unicodedata.normalize("NFC", "Lê Thị Hà")
    assert len(kept["full_name"]) == len("Lê Thị Hà")
