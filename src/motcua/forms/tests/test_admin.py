"""The admin: JSON editing checked on the server, publishing, frozen published versions and the preview."""

import json

import pytest
from django.conf import settings
from django.utils import translation

from motcua.forms import services
from motcua.forms.models import FormStatus, OnlineForm

from .conftest import SCHEMA, UI, VALID

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(user)
    return client


def add(admin_client, procedure, schema, ui):
    return admin_client.post(
        "/admin/forms/onlineform/add/",
        {"procedure": procedure.pk, "version": 2, "schema": json.dumps(schema), "ui": json.dumps(ui)},
    )


def test_a_sound_definition_is_saved_as_a_draft(admin_client, procedure):
    response = add(admin_client, procedure, SCHEMA, UI)
    assert response.status_code == 302
    assert OnlineForm.objects.get(procedure=procedure, version=2).status == FormStatus.DRAFT


@pytest.mark.parametrize(
    ("schema", "ui", "field", "fragment"),
    [
        ({"type": "object", "properties": {"a": {"type": "strin"}}}, {}, "schema", "not a valid JSON Schema"),
        (
            {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["b"]},
            {},
            "schema",
            "b is not defined",
        ),
        ({"type": "object", "properties": {"f": {"x-component": 9}}}, {}, "schema", "x-component"),
        (SCHEMA, {**UI, "fields": {"nothing": {"label": "x"}}}, "ui", "nothing is not a field"),
        (SCHEMA, {**UI, "steps": UI["steps"][:2]}, "ui", "exactly once"),
        (SCHEMA, {"fields": {"gender": {"widget": "slider"}}}, "ui", "unknown widget"),
    ],
)
def test_a_broken_schema_or_ui_is_refused_with_the_reason(
    admin_client, procedure, schema, ui, field, fragment
):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the admin's own language switch
    response = add(admin_client, procedure, schema, ui)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert fragment in " ".join(errors[field]), errors
    assert not OnlineForm.objects.filter(procedure=procedure, version=2).exists()


def test_the_publish_action_retires_the_previous_version(admin_client, form):
    add(admin_client, form.procedure, SCHEMA, UI)
    draft = OnlineForm.objects.get(procedure=form.procedure, version=2)
    admin_client.post(
        "/admin/forms/onlineform/",
        {"action": "publish_selected", "_selected_action": [draft.pk]},
        follow=True,
    )
    draft.refresh_from_db()
    form.refresh_from_db()
    assert (draft.status, form.status) == (FormStatus.PUBLISHED, FormStatus.RETIRED)


def test_a_published_form_is_shown_read_only(admin_client, form):
    page = admin_client.get(f"/admin/forms/onlineform/{form.pk}/change/")
    assert page.status_code == 200
    assert 'name="schema"' not in page.content.decode()
    assert f'href="/admin/forms/onlineform/{form.pk}/preview/"' in page.content.decode()
    admin_client.post(f"/admin/forms/onlineform/{form.pk}/change/", {"version": 7})
    form.refresh_from_db()
    assert form.version == 1


def test_the_list_filters_by_status_and_procedure(admin_client, form):
    assert admin_client.get("/admin/forms/onlineform/", {"status__exact": "published"}).status_code == 200
    page = admin_client.get("/admin/forms/onlineform/", {"procedure__id__exact": form.procedure_id})
    assert "9.100001" in page.content.decode()


def test_the_preview_renders_and_validates_without_saving(admin_client, form, component_ids):
    url = f"/admin/forms/onlineform/{form.pk}/preview/"
    with translation.override("vi"):
        page = admin_client.get(url).content.decode()
    assert "<form" in page and 'value="Nguyễn Văn An"' in page and "<script" not in page.split("<main")[1]
    page = admin_client.post(url, {"_step": "0", "_action": "next", "full_name": "An"}).content.decode()
    assert 'href="#f-gender-0"' in page  # errors of step 1, summarised
    # The last step, everything filled in, the birth certificate counted as attached.
    pairs = [
        *services.post_from_data(form, VALID),
        ("_step", "3"),
        ("_action", "submit"),
        ("_files", str(component_ids[2])),
    ]
    body = {}
    for name, value in pairs:
        body.setdefault(name, []).append(value)
    response = admin_client.post(url, body)
    assert response.context["complete"] is True
    assert OnlineForm.objects.count() == 1


def test_the_preview_needs_a_staff_login(client, form):
    response = client.get(f"/admin/forms/onlineform/{form.pk}/preview/")
    assert response.status_code == 302
