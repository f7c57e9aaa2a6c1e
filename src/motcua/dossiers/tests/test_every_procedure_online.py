"""Every demo procedure whose record offers online submission can be sent online: with the form written for
it (its fixture's example) or, for all the others, with its generic form. No receipt is rendered: the
test's transaction never commits, and the receipt is made after the commit."""

import json
from pathlib import Path

import pytest

from motcua.accounts import selectors as account_selectors
from motcua.accounts import services as account_services
from motcua.accounts.models import AccountKind
from motcua.catalog.demo import load_demo
from motcua.catalog.models import Procedure
from motcua.dossiers import selectors, services
from motcua.dossiers.models import DossierStatus
from motcua.forms import services as form_services
from motcua.forms.demo import demo_documents, load_demo_forms
from motcua.forms.models import FormKind
from motcua.forms.schema import build_fields, walk

from .fixtures import PASSWORD, pdf_bytes, upload

pytestmark = pytest.mark.django_db

PROCEDURES = Path(__file__).resolve().parents[2] / "fixtures" / "procedures.json"
ADDRESS = {"province": "99", "commune": "001.00.30.H99", "detail": "Số 12 Trần Phú"}


def offered_online() -> list[dict]:
    records = json.loads(PROCEDURES.read_text(encoding="utf-8"))
    return [r for r in records if any(m["channel"] == "online" for m in r["methods"])]


@pytest.fixture
def business(db):
    return account_services.register_business(
        tax_code="0100109106",
        business_name="Công ty TNHH Hải Đông Xanh",
        representative_name="Trần Minh Đức",
        phone="0987000111",
        email="haidongxanh@example.com",
        password=PASSWORD,
    )


def applicant_for(procedure, citizen, business):
    types = set(procedure.applicant_types or [])
    return citizen if not types or types & {"citizen", "foreigner"} else business


def as_account(form, data: dict, profile: dict) -> dict:
    """The example's data with the account holder's identity in the locked fields (as the portal shows)."""
    for field in walk(build_fields(form.schema, form.ui)):
        value = profile.get(field.ui.get("prefill"))
        if field.locked and value not in (None, ""):
            node = data
            *parents, name = field.ui_path.split(".")
            for part in parents:
                node = node.setdefault(part, {})
            node[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def test_every_demo_procedure_offering_online_submission_is_sent_online(citizen, business):
    load_demo(forms=False)
    load_demo_forms()
    examples = {doc["procedure"]: doc["example"] for doc in demo_documents()}
    records = offered_online()
    assert len(records) >= 40
    kinds = set()
    for record in records:
        procedure = Procedure.objects.get(code=record["code"])
        assert procedure.accepts_online_submission, procedure.code
        applicant = applicant_for(procedure, citizen, business)
        agency = selectors.receiving_agencies(procedure)[0]
        profile = account_selectors.applicant_profile(applicant)
        draft = services.create_draft(procedure=procedure, applicant=applicant, agency=agency)
        form = draft.form
        kinds.add(form.kind)
        if procedure.code in examples:
            assert form.kind == FormKind.BESPOKE
            data = as_account(form, json.loads(json.dumps(examples[procedure.code]["data"])), profile)
            orders = examples[procedure.code]["files"]
        else:
            assert form.kind == FormKind.GENERIC, procedure.code
            # Prefilled from the account; the business's representative types their own ID.
            declarant = form_services.initial_data(form, profile)["declarant"] | {"address": ADDRESS}
            if applicant.kind == AccountKind.BUSINESS:
                declarant["personal_id"] = "001090012345"
            data = {"declarant": declarant, "request": "Đề nghị giải quyết thủ tục theo hồ sơ kèm theo."}
            orders = list(procedure.components.filter(is_required=True).values_list("order", flat=True))
        services.update_draft(draft, by=applicant, data=data)
        for order in orders:
            services.add_attachment(draft, component_order=order, upload=upload(pdf_bytes()), by=applicant)
        sent = services.submit(draft, by=applicant)
        assert (sent.status, sent.form_id) == (DossierStatus.SUBMITTED, form.pk), procedure.code
        assert sent.code
    assert kinds == {FormKind.BESPOKE, FormKind.GENERIC}
