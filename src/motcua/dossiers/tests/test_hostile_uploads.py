"""Hostile papers through the API, the portal and the back office: PDFs that attack the parser are a 400
with a message, a file's name follows what it is, and PDFs that run scripts are flagged and never inline."""

import pytest
from django.utils import translation

from motcua.accounts.models import OfficerRole
from motcua.core.tests.hostile_files import active_pdf, deep_pdf, fan_pdf, looping_pdf, pdf_html_polyglot
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Dossier

from .fixtures import PASSWORD, client_for, make_officer, pdf_bytes, upload

HOSTILE = {"fan": fan_pdf, "deep": deep_pdf, "loop": looping_pdf}


@pytest.fixture
def api(citizen):
    return client_for(citizen)


@pytest.fixture
def draft_id(api, online_form, valid_data):
    response = api.post("/api/v1/dossiers/", {"procedure": "9.100001", "data": valid_data}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_api_answers_a_hostile_pdf_with_a_400(api, draft_id, hostile):
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(HOSTILE[hostile](), "to-khai.pdf")},
        format="multipart",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "too complex to check" in response.json()["errors"]["file"][0]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_portal_answers_a_hostile_pdf_with_the_form_s_error(client, citizen, online_form, hostile):
    assert client.login(username=citizen.username, password=PASSWORD)
    client.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "t1"})
    draft = Dossier.objects.get()
    response = client.post(
        f"/ho-so/{draft.uuid}/soan/",
        {"_step": "1", "_action": "next", "reason": "Mới", "file.declaration": upload(HOSTILE[hostile]())},
    )
    assert response.status_code == 400
    with translation.override("vi"):
        assert "quá phức tạp" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_polyglot_named_html_is_stored_and_served_as_the_pdf_it_is(api, draft_id, citizen, client):
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_html_polyglot(pdf_bytes()), "ho-so.html", "text/html")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    row = Attachment.objects.get()
    assert row.file.name.endswith(".pdf") and row.content_type == "application/pdf"
    assert response.json()["name"] == "ho-so.pdf"
    download = api.get(response.json()["url"])
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="ho-so.pdf"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")
    # A row stored before names followed the content is served under the right extension all the same.
    Attachment.objects.update(original_name="cu.html")
    assert 'filename="cu.pdf"' in api.get(response.json()["url"])["Content-Disposition"]
    assert client.login(username=citizen.username, password=PASSWORD)
    draft = Dossier.objects.get()
    page = client.get(f"/ho-so/{draft.uuid}/tep/{row.uuid}/?xem=1")
    assert 'filename="cu.pdf"' in page["Content-Disposition"]


@pytest.mark.parametrize(
    ("kind", "names"),
    [
        ("open_action", ["JS", "JavaScript", "OpenAction"]),
        ("page_aa", ["AA", "JS", "JavaScript"]),
        ("launch", ["Launch", "OpenAction"]),
    ],
)
def test_a_pdf_with_scripts_is_flagged_in_the_api_and_never_served_inline(
    api, draft_id, citizen, client, kind, names
):
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(active_pdf(kind), "don.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["active_content"] == names
    assert api.get(f"/api/v1/dossiers/{draft_id}/").json()["attachments"][0]["active_content"] == names
    row = Attachment.objects.get()
    assert client.login(username=citizen.username, password=PASSWORD)
    shown = client.get(f"/ho-so/{Dossier.objects.get().uuid}/tep/{row.uuid}/?xem=1")
    assert shown["Content-Disposition"].startswith("attachment")


def test_an_ordinary_pdf_is_not_flagged_and_still_shown_inline(api, draft_id, citizen, client):
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes(), "don.pdf")},
        format="multipart",
    )
    assert response.json()["active_content"] == []
    row = Attachment.objects.get()
    assert client.login(username=citizen.username, password=PASSWORD)
    shown = client.get(f"/ho-so/{Dossier.objects.get().uuid}/tep/{row.uuid}/?xem=1")
    assert shown["Content-Disposition"].startswith("inline")


def test_the_back_office_flags_the_file_and_does_not_preview_it(
    client, agency, citizen, procedure, online_form, valid_data
):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(
        draft, component_order=1, upload=upload(active_pdf("open_action"), "a.pdf"), by=citizen
    )
    services.add_attachment(draft, component_order=2, upload=upload(pdf_bytes(), "b.pdf"), by=citizen)
    sent = services.submit(draft, by=citizen)
    client.force_login(make_officer("motcua.trang", agency, role=OfficerRole.DESK))
    client.cookies["django_language"] = "en"
    page = client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    flagged, plain = (sent.attachments.get(component_order=order) for order in (1, 2))
    assert "Contains scripts or actions (JS, JavaScript, OpenAction)" in page
    assert f"/tep/{flagged.uuid}/?xem=1" not in page
    assert f"/tep/{plain.uuid}/?xem=1" in page
    # The applicant's own page offers no "view" of it either.
    client.force_login(citizen)
    page = client.get(f"/ho-so/{sent.code}/").content.decode()
    assert f"/tep/{flagged.uuid}/?xem=1" not in page
    assert f"/tep/{plain.uuid}/?xem=1" in page
