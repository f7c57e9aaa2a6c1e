"""``services.validate_submission``: one server-side check per field type, with messages citizens understand.

Each case changes one field of a valid submission and expects exactly that field's path with the Vietnamese
message (the default language), and the English one under ``translation.override("en")``.
"""

import copy
import unicodedata
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from motcua.forms import services
from motcua.forms.demo import demo_documents
from motcua.forms.models import OnlineForm
from motcua.forms.schema import check_definition

from .conftest import VALID

pytestmark = pytest.mark.django_db


def submit(form, changes=None, **kwargs):
    data = copy.deepcopy(VALID)
    for path, value in (changes or {}).items():
        node, parts = data, path.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        last = int(parts[-1]) if isinstance(node, list) else parts[-1]
        if value is DELETE:
            del node[last]
        else:
            node[last] = value
    return services.validate_submission(form, data, **kwargs)


DELETE = object()


def test_the_valid_example_has_no_errors(form):
    assert submit(form) == {}


CASES = [
    # (change, expected path, Vietnamese, English)
    ({"full_name": DELETE}, "full_name", "Vui lòng điền mục này.", "Fill in this field."),
    ({"full_name": "A"}, "full_name", "Vui lòng nhập ít nhất 2 ký tự.", "Enter at least 2 characters."),
    ({"full_name": "A" * 21}, "full_name", "Vui lòng nhập tối đa 20 ký tự.", "Enter at most 20 characters."),
    ({"full_name": 12}, "full_name", "Vui lòng nhập chữ.", "Enter text."),
    ({"age": "ba mươi"}, "age", "Vui lòng nhập một số nguyên.", "Enter a whole number."),
    ({"age": -1}, "age", "Vui lòng nhập số không nhỏ hơn 0.", "Enter a number of at least 0."),
    ({"age": 121}, "age", "Vui lòng nhập số không lớn hơn 120.", "Enter a number of at most 120."),
    (
        {"birth_date": "12/04/1990"},
        "birth_date",
        "Vui lòng nhập ngày hợp lệ (năm-tháng-ngày), ví dụ 2025-07-01.",
        "Enter a date as day, month and year, e.g. 2025-07-01.",
    ),
    (
        {"gender": "other"},
        "gender",
        "Vui lòng chọn một trong các lựa chọn có sẵn.",
        "Choose one of the options offered.",
    ),
    (
        {"languages": ["vi", "de"]},
        "languages.1",
        "Vui lòng chọn một trong các lựa chọn có sẵn.",
        "Choose one of the options offered.",
    ),
    ({"languages": []}, "languages", "Vui lòng khai ít nhất 1 mục.", "Give at least 1 entry."),
    (
        {"personal_id": "12345"},
        "personal_id",
        "Số định danh cá nhân gồm đúng 12 chữ số.",
        "A personal ID number has exactly 12 digits.",
    ),
    (
        {"tax_code": "0100109107"},
        "tax_code",
        "Mã số thuế gồm 10 chữ số (13 chữ số với chi nhánh) và chữ số kiểm tra phải đúng.",
        "A tax code has 10 digits (13 for a branch) and its check digit must be right.",
    ),
    (
        {"phone": "12345"},
        "phone",
        "Nhập số điện thoại Việt Nam, ví dụ 0912345678 hoặc +84912345678.",
        "Enter a Vietnamese phone number, e.g. 0912345678 or +84912345678.",
    ),
    (
        {"email": "an@"},
        "email",
        "Vui lòng nhập địa chỉ thư điện tử, ví dụ ten@example.com.",
        "Enter an e-mail address such as ten@example.com.",
    ),
    ({"plot": "12a"}, "plot", "Chỉ gồm chữ số.", "Digits only."),
    ({"agree": False}, "agree", "Vui lòng đánh dấu vào ô này để tiếp tục.", "Tick this box to continue."),
    (
        {"address.province": "00"},
        "address.province",
        "Vui lòng chọn tỉnh, thành phố trong danh sách.",
        "Choose a province or city from the list.",
    ),
    (
        {"address.commune": "999.00.30.H99"},
        "address.commune",
        "Vui lòng chọn xã, phường thuộc tỉnh, thành phố đã chọn.",
        "Choose a commune or ward of the chosen province.",
    ),
    ({"address.detail": DELETE}, "address.detail", "Vui lòng điền mục này.", "Fill in this field."),
    ({"unexpected": "x"}, None, None, None),  # no additionalProperties: false here, so it is allowed
]


@pytest.mark.parametrize(("changes", "path", "vietnamese", "english"), CASES)
def test_each_field_type_refuses_a_bad_value_with_a_message_in_both_languages(
    form, changes, path, vietnamese, english
):
    with translation.override("vi"):
        errors = submit(form, changes)
    if path is None:
        assert errors == {}
        return
    assert errors == {path: [vietnamese]}
    with translation.override("en"):
        assert submit(form, changes) == {path: [english]}


def test_a_date_of_birth_cannot_be_in_the_future(form):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    with translation.override("vi"):
        errors = submit(form, {"birth_date": tomorrow, "personal_id": "001090012345"})
    assert errors["birth_date"] == ["Ngày này không được sau ngày hôm nay."]


def test_the_personal_id_must_match_the_linked_date_of_birth(form):
    with translation.override("vi"):
        errors = submit(form, {"birth_date": "1991-04-12"})
    assert errors == {
        "personal_id": [
            "Số định danh cá nhân này không khớp với ngày sinh (theo số định danh, năm sinh là 1990)."
        ]
    }
    with translation.override("en"):
        errors = submit(form, {"birth_date": "1991-04-12"})
    assert errors == {
        "personal_id": ["This personal ID does not match the date of birth (it says born in 1990)."]
    }


def test_the_personal_id_of_a_woman_born_in_the_2000s_has_3_as_fourth_digit(form):
    assert submit(form, {"birth_date": "2001-03-14", "personal_id": "031301004567"}) == {}
    assert "personal_id" in submit(form, {"birth_date": "2001-03-14", "personal_id": "031101004567"})


def test_repeating_group_items_report_their_own_paths(form):
    children = [
        {"full_name": "Con một", "birth_date": "2020-01-01"},
        {"birth_date": "2030-01-01"},
        {"full_name": "Con ba", "birth_date": "2019-05-05", "personal_id": "001219000001"},
    ]
    with translation.override("vi"):
        errors = submit(form, {"children": children})
    # Item 2's ID says born in 2019 like its own date of birth, so only item 1's missing name is wrong.
    assert errors == {"children.1.full_name": ["Vui lòng điền mục này."]}


def test_a_childs_personal_id_is_checked_against_the_childs_own_date_of_birth(form):
    children = [{"full_name": "Con", "birth_date": "2018-05-05", "personal_id": "001219000001"}]
    with translation.override("en"):
        errors = submit(form, {"children": children})
    assert errors == {
        "children.0.personal_id": [
            "This personal ID does not match the date of birth (it says born in 2019)."
        ]
    }


def test_repeating_group_minimum_and_maximum(form):
    child = {"full_name": "Con", "birth_date": "2020-01-01"}
    with translation.override("vi"):
        assert submit(form, {"children": []}) == {"children": ["Vui lòng khai ít nhất 1 mục."]}
        assert submit(form, {"children": [child] * 4}) == {"children": ["Chỉ được khai tối đa 3 mục."]}
    with translation.override("en"):
        assert submit(form, {"children": [child] * 4}) == {"children": ["Give at most 3 entries."]}


def test_a_missing_required_file_is_reported_only_when_files_are_checked(form, component_ids):
    assert submit(form) == {}  # files_present=None: a client checking the data before uploading
    with translation.override("vi"):
        assert submit(form, files_present=set()) == {"birth_certificate": ["Vui lòng đính kèm giấy tờ này."]}
    with translation.override("en"):
        assert submit(form, files_present={component_ids[3]}) == {"birth_certificate": ["Attach this paper."]}
    assert submit(form, files_present={component_ids[2]}) == {}


def test_a_submission_that_is_not_an_object_is_a_non_field_error(form):
    with translation.override("en"):
        assert services.validate_submission(form, ["a"]) == {
            "non_field_errors": ["This value does not have the expected form."]
        }


def test_a_locked_prefilled_value_must_stay_the_applicants(form):
    form.ui["fields"]["personal_id"]["locked"] = True  # in memory only: published forms never change
    applicant = {"personal_id": "001090012345"}
    assert services.validate_submission(form, VALID, applicant=applicant) == {}
    changed = {**VALID, "personal_id": "001090099999"}
    with translation.override("en"):
        errors = services.validate_submission(form, changed, applicant=applicant)
    assert errors == {"personal_id": ["This comes from your verified identity and cannot be changed here."]}


def test_check_submission_raises_with_the_same_paths(form):
    with pytest.raises(ValidationError) as caught:
        services.check_submission(form, {**VALID, "gender": "x"})
    assert set(caught.value.message_dict) == {"gender"}


def test_jsonschema_english_never_leaks_into_messages(form):
    data = {"full_name": 1, "age": "x", "languages": "vi", "children": "none", "agree": "yes"}
    with translation.override("vi"):
        errors = services.validate_submission(form, data)
    text = " ".join(m for messages in errors.values() for m in messages)
    assert "is not of type" not in text and "is a required property" not in text
    assert "Vui lòng" in text


def test_the_account_holders_identity_is_locked_without_any_hint(form):
    """Issue 9: a field prefilled from the full name, personal ID or birth date is the account's."""
    applicant = {"full_name": "Lê Thị Hà", "personal_id": "001090012345", "birth_date": date(1990, 4, 12)}
    assert "locked" not in form.ui["fields"]["full_name"]
    same = {**VALID, "full_name": unicodedata.normalize("NFD", " Lê  Thị Hà")}
    assert services.validate_submission(form, same, applicant=applicant) == {}
    with translation.override("en"):
        errors = services.validate_submission(
            form, {**VALID, "full_name": "Trần Văn Bảy", "birth_date": "1991-01-01"}, applicant=applicant
        )
    message = ["This comes from your verified identity and cannot be changed here."]
    assert errors["full_name"] == message and errors["birth_date"] == message


def test_filing_as_an_authorised_person_requires_the_authorisation_paper(demo_forms):
    form = OnlineForm.objects.get(procedure__code="1.001193")
    example = next(d for d in demo_documents() if d["procedure"] == "1.001193")["example"]
    orders = dict(form.procedure.components.values_list("order", "id"))
    data = copy.deepcopy(example["data"])
    data["requester"]["relationship"] = "authorised"
    with translation.override("en"):
        errors = services.validate_submission(form, data, files_present={orders[2]})
    assert errors == {
        "authorisation": ["Attach the authorisation paper: you are filing as an authorised person."]
    }
    assert services.validate_submission(form, data, files_present={orders[2], orders[4]}) == {}
    data["requester"]["relationship"] = "father"
    assert services.validate_submission(form, data, files_present={orders[2]}) == {}


@pytest.mark.parametrize(
    "hint",
    [
        {"field": "full_name", "value": "x", "paper": "birth_certificate"},
        {"field": "gender", "value": "other", "paper": "birth_certificate"},
        {"field": "gender", "value": "male", "paper": "full_name"},
        "authorised",
    ],
)
def test_a_representation_hint_must_name_a_choice_value_and_a_paper(form, hint):
    problems = check_definition(form.schema, {**form.ui, "representation": hint})
    assert len(problems["ui"]) == 1 and "representation" in problems["ui"][0]
    good = {"field": "gender", "value": "male", "paper": "birth_certificate"}
    assert check_definition(form.schema, {**form.ui, "representation": good})["ui"] == []
