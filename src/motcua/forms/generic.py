"""The generic online form (tờ khai điện tử chung) of a procedure that offers online submission but has no
form written for it: built from the procedure's record, so every such procedure can be sent online.

It asks for the declarant (the account holder, prefilled and locked as on every form: ``DECLARANT``), a
short description of the request, and one upload per dossier component (``x-component`` = the component's
order, required when the component is; a component with a form template (mẫu tờ khai, DOCX) also takes the
filled-in Word file). The receiving agency is chosen outside the form, as for any form.

``build`` is a pure function of the record; ``fingerprint`` digests what it built, and is kept on the
published generic version (``OnlineForm.fingerprint``): when the components change, the digest differs and
``services.form_for`` publishes a new version, never altering the one dossiers were received under.
"""

import copy
import hashlib
import json

from motcua.core.filetypes import DEFAULT_ACCEPT


def L(vi: str, en: str) -> dict:
    return {"vi": vi, "en": en}


# The declarant group: the same fields, profile keys (``prefill``) and locking (identity keys) as the
# declarants of the written forms. A piece to reuse: ``declarant()`` gives fresh copies.
DECLARANT_SCHEMA = {
    "type": "object",
    "properties": {
        "full_name": {"type": "string", "maxLength": 100},
        "personal_id": {"type": "string", "format": "personal-id"},
        "birth_date": {"type": "string", "format": "date"},
        "address": {
            "type": "object",
            "x-type": "address",
            "properties": {
                "province": {"type": "string"},
                "commune": {"type": "string", "maxLength": 120},
                "detail": {"type": "string", "maxLength": 255},
            },
            "required": ["province", "commune", "detail"],
        },
        "phone": {"type": "string", "format": "phone"},
        "email": {"type": "string", "format": "email"},
    },
    "required": ["full_name", "personal_id", "address", "phone"],
    "additionalProperties": False,
}
DECLARANT_UI = {
    "": {
        "label": L("Người nộp hồ sơ", "Applicant"),
        "order": ["full_name", "personal_id", "birth_date", "address", "phone", "email"],
    },
    "full_name": {
        "label": L("Họ, chữ đệm và tên", "Full name"),
        "prefill": "full_name",
        "autocomplete": "name",
    },
    "personal_id": {
        "label": L("Số định danh cá nhân", "Personal ID number"),
        "help": L("12 chữ số trên thẻ căn cước.", "The 12 digits on the identity card."),
        "prefill": "personal_id",
        "autocomplete": "off",
    },
    "birth_date": {
        "label": L("Ngày, tháng, năm sinh", "Date of birth"),
        "prefill": "birth_date",
        "not_future": True,
    },
    "address": {"label": L("Nơi cư trú", "Place of residence"), "prefill": "address"},
    "phone": {"label": L("Số điện thoại", "Phone number"), "prefill": "phone", "autocomplete": "tel"},
    "email": {"label": L("Thư điện tử", "E-mail"), "prefill": "email", "autocomplete": "email"},
}

REQUEST_MAX_LENGTH = 2000
# Word is taken where the component has a form to fill in (the DOCX template of level 2).
TEMPLATE_ACCEPT = [*DEFAULT_ACCEPT, "docx"]


def declarant(name: str = "declarant") -> tuple[dict, dict]:
    """The declarant group's schema and its UI hints keyed by field path under ``name``."""
    hints = {(f"{name}.{key}" if key else name): copy.deepcopy(value) for key, value in DECLARANT_UI.items()}
    return copy.deepcopy(DECLARANT_SCHEMA), hints


def paper_field(order: int) -> str:
    return f"paper_{order}"


def build(procedure) -> tuple[dict, dict]:
    """The generic form's JSON Schema and UI hints for ``procedure`` (reads its dossier components)."""
    declarant_schema, fields = declarant()
    properties = {
        "declarant": declarant_schema,
        "request": {"type": "string", "minLength": 1, "maxLength": REQUEST_MAX_LENGTH},
    }
    required = ["declarant", "request"]
    fields["request"] = {
        "label": L("Nội dung yêu cầu", "What you request"),
        "help": L(
            f"Nêu ngắn gọn việc đề nghị cơ quan giải quyết (tối đa {REQUEST_MAX_LENGTH} ký tự).",
            f"Say briefly what you ask the agency to do (at most {REQUEST_MAX_LENGTH} characters).",
        ),
        "widget": "textarea",
    }
    papers = []
    for component in procedure.components.order_by("order"):
        name = paper_field(component.order)
        with_template = bool(component.form_template or component.form_name)
        properties[name] = {
            "x-component": component.order,
            "x-accept": TEMPLATE_ACCEPT if with_template else list(DEFAULT_ACCEPT),
        }
        fields[name] = {"label": {"vi": component.name}}
        if component.note:
            fields[name]["help"] = {"vi": component.note}
        if component.is_required:
            required.append(name)
        papers.append(name)
    steps = [
        {"id": "declarant", "title": L("Người nộp hồ sơ", "Applicant"), "fields": ["declarant"]},
        {"id": "request", "title": L("Nội dung yêu cầu", "Your request"), "fields": ["request"]},
    ]
    if papers:
        steps.append({"id": "papers", "title": L("Giấy tờ kèm theo", "Papers"), "fields": papers})
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }
    return schema, {"steps": steps, "fields": fields}


def fingerprint(schema: dict, ui: dict) -> str:
    """A digest of a generic definition: equal exactly when the same definition would be built again."""
    text = json.dumps({"schema": schema, "ui": ui}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
