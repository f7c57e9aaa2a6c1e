"""Fixtures of the online form tests: a small form with every field type, and the demo forms."""

import pytest

from motcua.catalog.demo import load_demo
from motcua.catalog.tests.factories import make_procedure
from motcua.forms import services
from motcua.forms.demo import load_demo_forms
from motcua.forms.models import OnlineForm

COMPONENTS = [
    {"name": "Tờ khai", "originals": 1, "is_required": True},
    {"name": "Giấy chứng sinh", "originals": 1, "is_required": True},
    {"name": "Văn bản ủy quyền", "certified_copies": 1, "is_required": False},
]


def L(vi, en):
    return {"vi": vi, "en": en}


# Every field type once; ``children`` is a repeating group of 1 to 3 items.
SCHEMA = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "minLength": 2, "maxLength": 20},
        "age": {"type": "integer", "minimum": 0, "maximum": 120},
        "birth_date": {"type": "string", "format": "date"},
        "gender": {"type": "string", "enum": ["male", "female"]},
        "languages": {
            "type": "array",
            "items": {"type": "string", "enum": ["vi", "en", "fr"]},
            "minItems": 1,
        },
        "personal_id": {"type": "string", "format": "personal-id", "x-birth-date": "birth_date"},
        "tax_code": {"type": "string", "format": "tax-code"},
        "phone": {"type": "string", "format": "phone"},
        "email": {"type": "string", "format": "email"},
        "plot": {"type": "string", "pattern": "^\\d+$"},
        "address": {
            "type": "object",
            "x-type": "address",
            "properties": {
                "province": {"type": "string"},
                "commune": {"type": "string"},
                "detail": {"type": "string", "maxLength": 100},
            },
            "required": ["province", "commune", "detail"],
        },
        "children": {
            "type": "array",
            "minItems": 1,
            "maxItems": 3,
            "items": {
                "type": "object",
                "properties": {
                    "full_name": {"type": "string", "maxLength": 50},
                    "birth_date": {"type": "string", "format": "date"},
                    "personal_id": {"type": "string", "format": "personal-id", "x-birth-date": "birth_date"},
                },
                "required": ["full_name", "birth_date"],
            },
        },
        "agree": {"type": "boolean", "const": True},
        "birth_certificate": {"x-component": 2},
        "authorisation": {"x-component": 3},
    },
    "required": [
        "full_name",
        "birth_date",
        "gender",
        "personal_id",
        "address",
        "children",
        "agree",
        "birth_certificate",
    ],
}
UI = {
    "steps": [
        {
            "id": "you",
            "title": L("Bản thân", "You"),
            "fields": ["full_name", "age", "birth_date", "gender", "languages"],
        },
        {
            "id": "ids",
            "title": L("Giấy tờ", "Identity"),
            "fields": ["personal_id", "tax_code", "phone", "email", "plot", "address"],
        },
        {"id": "children", "title": L("Các con", "Children"), "fields": ["children"]},
        {
            "id": "files",
            "title": L("Tệp", "Files"),
            "fields": ["birth_certificate", "authorisation", "agree"],
        },
    ],
    "fields": {
        "full_name": {
            "label": L("Họ và tên", "Full name"),
            "prefill": "full_name",
            "help": L("Như trên CCCD", "As on the ID"),
        },
        "birth_date": {"label": L("Ngày sinh", "Date of birth"), "not_future": True, "prefill": "birth_date"},
        "gender": {
            "label": L("Giới tính", "Sex"),
            "choices": {"male": L("Nam", "Male"), "female": L("Nữ", "Female")},
        },
        "personal_id": {"label": L("Số định danh", "Personal ID"), "prefill": "personal_id"},
        "plot": {"pattern_message": L("Chỉ gồm chữ số.", "Digits only.")},
        "address": {"label": L("Nơi cư trú", "Residence"), "prefill": "address"},
        "children": {"label": L("Các con", "Children"), "item_label": L("Con", "Child")},
        "children.*.full_name": {"label": L("Họ tên con", "Child's name")},
        "birth_certificate": {"label": L("Giấy chứng sinh", "Birth certificate")},
        "agree": {"label": L("Tôi cam đoan", "I declare")},
    },
}

VALID = {
    "full_name": "Nguyễn Văn An",
    "age": 36,
    "birth_date": "1990-04-12",
    "gender": "male",
    "languages": ["vi"],
    "personal_id": "001090012345",
    "tax_code": "0100109106",
    "phone": "0912345678",
    "email": "an@example.com",
    "plot": "125",
    "address": {"province": "99", "commune": "001.00.30.H99", "detail": "Số 12 Trần Phú"},
    "children": [{"full_name": "Nguyễn Minh Khang", "birth_date": "2024-10-02"}],
    "agree": True,
}


@pytest.fixture
def procedure(db):
    return make_procedure(code="9.100001", components=COMPONENTS)


@pytest.fixture
def form(procedure) -> OnlineForm:
    return services.publish(
        services.save_draft(OnlineForm(procedure=procedure, version=1, schema=SCHEMA, ui=UI))
    )


@pytest.fixture
def component_ids(procedure) -> dict[int, int]:
    """Component id by order number."""
    return dict(procedure.components.values_list("order", "id"))


@pytest.fixture
def demo_forms(db):
    load_demo(forms=False)
    return load_demo_forms()
