"""The generic form: built from a procedure's dossier components, published as a real version on first use,
a new version when the components change, and set aside by a form written for the procedure."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils.translation import gettext

from motcua.catalog.models import DossierComponent
from motcua.catalog.tests.factories import make_procedure
from motcua.forms import generic, rendering, services
from motcua.forms.models import FormKind, FormLocked, FormStatus, OnlineForm
from motcua.forms.schema import check_definition

from .conftest import SCHEMA, UI

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Nguyễn Văn An",
    "personal_id": "001090012345",
    "birth_date": "1990-04-12",
    "phone": "0912345678",
    "email": "an@example.com",
    "address": {"province": "99", "commune": "001.00.30.H99", "detail": "Số 12 Trần Phú"},
}


def valid_data():
    return {"declarant": dict(PROFILE), "request": "Cấp lại giấy xác nhận bị mất."}


def test_the_generic_form_asks_the_declarant_the_request_and_one_paper_per_component(procedure):
    schema, ui = generic.build(procedure)
    assert check_definition(schema, ui, services.component_orders(procedure)) == {"schema": [], "ui": []}
    assert list(schema["properties"]) == ["declarant", "request", "paper_1", "paper_2", "paper_3"]
    # Required as the components are: the authorisation paper (3) is not.
    assert schema["required"] == ["declarant", "request", "paper_1", "paper_2"]
    assert schema["properties"]["paper_2"]["x-component"] == 2
    assert schema["properties"]["request"]["maxLength"] == generic.REQUEST_MAX_LENGTH
    assert ui["fields"]["paper_2"]["label"] == {"vi": "Giấy chứng sinh"}
    assert [s["id"] for s in ui["steps"]] == ["declarant", "request", "papers"]
    # The declarant is prefilled from the account, as on every form; identity keys lock their fields.
    assert services.initial_data(OnlineForm(procedure=procedure, schema=schema, ui=ui), PROFILE) == {
        "declarant": PROFILE
    }


def test_first_use_publishes_one_generic_version_and_later_uses_take_it(procedure):
    form = services.form_for(procedure)
    assert (form.kind, form.status, form.version) == (FormKind.GENERIC, FormStatus.PUBLISHED, 1)
    assert form.fingerprint == generic.fingerprint(form.schema, form.ui)
    assert services.form_for(procedure) == form
    assert OnlineForm.objects.filter(procedure=procedure).count() == 1


def test_a_change_of_the_components_gets_a_new_version_and_leaves_the_old_one_as_it_was(procedure):
    first = services.form_for(procedure)
    received_under = first.schema
    DossierComponent.objects.create(procedure=procedure, order=4, name="Sổ hộ khẩu", is_required=True)

    second = services.form_for(procedure)
    assert (second.version, second.kind, second.status) == (2, FormKind.GENERIC, FormStatus.PUBLISHED)
    assert "paper_4" in second.schema["required"]
    first.refresh_from_db()
    assert first.status == FormStatus.RETIRED and first.schema == received_under
    first.schema = second.schema
    with pytest.raises(FormLocked):
        first.save()


def test_a_form_written_for_the_procedure_takes_precedence_once_published(procedure):
    assert services.form_for(procedure).kind == FormKind.GENERIC
    bespoke = services.save_draft(OnlineForm(procedure=procedure, version=5, schema=SCHEMA, ui=UI))
    assert services.form_for(procedure).kind == FormKind.GENERIC  # a draft is not filled in
    services.publish(bespoke)
    assert services.form_for(procedure) == bespoke
    DossierComponent.objects.create(procedure=procedure, order=4, name="Sổ hộ khẩu")
    assert services.form_for(procedure) == bespoke  # components never replace a written form


def test_a_procedure_that_does_not_offer_online_submission_gets_no_form(db):
    at_the_desk = make_procedure(
        methods=[{"channel": "in_person", "processing_time": "3", "time_unit": "working_day"}]
    )
    retired = make_procedure(is_active=False)
    for procedure in (at_the_desk, retired):
        assert not procedure.accepts_online_submission
        with pytest.raises(OnlineForm.DoesNotExist):
            services.form_for(procedure)
    assert not OnlineForm.objects.exists()


def test_the_generic_form_is_checked_like_any_form(procedure):
    form = services.form_for(procedure)
    ids = dict(procedure.components.values_list("order", "id"))
    files = {ids[1], ids[2]}
    assert services.validate_submission(form, valid_data(), files_present=files, applicant=PROFILE) == {}

    someone_else = valid_data()
    someone_else["declarant"]["personal_id"] = "001190099999"
    long_request = {**valid_data(), "request": "x" * (generic.REQUEST_MAX_LENGTH + 1)}
    errors = services.validate_submission(form, someone_else, files_present={ids[1]}, applicant=PROFILE)
    assert set(errors) == {"declarant.personal_id", "paper_2"}
    assert errors["paper_2"] == [gettext("Attach this paper.")]
    errors = services.validate_submission(form, long_request, files_present=files)
    assert list(errors) == ["request"]
    errors = services.validate_submission(form, {"declarant": dict(PROFILE)}, files_present=files)
    assert errors == {"request": [gettext("Fill in this field.")]}


def test_a_component_with_a_form_template_offers_it_and_takes_the_filled_in_word_file(procedure):
    default_storage.save("catalog/forms/9.100001/01.docx", ContentFile(b"docx"))
    procedure.components.filter(order=1).update(
        form_template="catalog/forms/9.100001/01.docx", form_name="Mẫu 01"
    )
    form = services.form_for(procedure)
    assert form.schema["properties"]["paper_1"]["x-accept"] == ["pdf", "jpeg", "png", "docx"]
    assert "x-accept" in form.schema["properties"]["paper_2"]
    assert "docx" not in form.schema["properties"]["paper_2"]["x-accept"]
    html = rendering.render_form(form, data=valid_data(), step=2)
    assert 'href="/media/catalog/forms/9.100001/01.docx" download' in html
    assert gettext("Download the form template, fill it in and upload it") + " (Mẫu 01)" in html
    assert html.count("download-link") == 1
    assert 'name="file.paper_2"' in html and 'name="file.paper_3"' in html


def test_the_command_publishes_the_generic_forms_after_an_import_and_is_safe_to_rerun(procedure):
    other = make_procedure(components=[{"name": "Đơn đề nghị", "originals": 1}])
    out = io.StringIO()
    call_command("publish_generic_forms", stdout=out)
    assert f"{procedure.code} v1" in out.getvalue() and f"{other.code} v1" in out.getvalue()
    call_command("publish_generic_forms", other.code, stdout=io.StringIO())
    assert OnlineForm.objects.filter(kind=FormKind.GENERIC, status=FormStatus.PUBLISHED).count() == 2
    assert OnlineForm.objects.count() == 2
