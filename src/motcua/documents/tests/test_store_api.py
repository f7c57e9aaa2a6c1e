"""The document store API (kho dữ liệu): the owner lists, renames, dates, removes and downloads their
entries; to anybody else an entry does not exist (404), and nobody can attach someone else's paper."""

import pytest

from motcua.catalog.models import PaperKind
from motcua.documents import selectors
from motcua.dossiers import services
from motcua.dossiers.tests.fixtures import client_for, pdf_bytes, upload

pytestmark = pytest.mark.django_db

ID_CARD = 2


@pytest.fixture
def stored(procedure, online_form, citizen, valid_data, django_capture_on_commit_callbacks):
    """The citizen's ID card, kept from a dossier they sent."""
    procedure.components.filter(order=ID_CARD).update(paper_kind=PaperKind.ID_CARD)
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes(1)), by=citizen)
    services.add_attachment(
        draft, component_order=ID_CARD, upload=upload(pdf_bytes(2), "cccd.pdf"), by=citizen
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, by=citizen)
    return selectors.store_of(citizen).get(paper_kind=PaperKind.ID_CARD)


def test_the_owner_lists_their_papers_with_kind_issuer_and_validity(stored, citizen):
    answer = client_for(citizen).get("/api/v1/document-store/", {"kind": "id_card"})

    assert answer.status_code == 200
    [entry] = answer.json()
    assert entry["id"] == stored.pk and entry["paper_kind"] == "id_card" and entry["source"] == "uploaded"
    assert entry["valid_until"] is None and entry["valid_today"] is True and entry["document"] is None
    assert entry["file_url"] == f"/api/v1/document-store/{stored.pk}/file/"


def test_the_owner_renames_names_the_issuer_and_dates_a_paper(stored, citizen):
    api = client_for(citizen)
    answer = api.patch(
        f"/api/v1/document-store/{stored.pk}/",
        {"title": "CCCD của tôi", "issuer": "Cục Cảnh sát QLHC về TTXH", "valid_until": "2031-06-01"},
        format="json",
    )

    assert answer.status_code == 200, answer.json()
    assert (answer.json()["title"], answer.json()["valid_until"]) == ("CCCD của tôi", "2031-06-01")
    assert answer.json()["issuer"] == "Cục Cảnh sát QLHC về TTXH"
    refused = api.patch(f"/api/v1/document-store/{stored.pk}/", {"title": "  "}, format="json")
    assert refused.status_code == 400 and "title" in refused.json()["errors"]


def test_the_owner_downloads_the_paper_and_removes_it(stored, citizen):
    api = client_for(citizen)
    download = api.get(f"/api/v1/document-store/{stored.pk}/file/")
    assert download.status_code == 200 and download.content == pdf_bytes(2)
    assert "attachment" in download["Content-Disposition"]

    assert api.delete(f"/api/v1/document-store/{stored.pk}/").status_code == 204
    assert api.get(f"/api/v1/document-store/{stored.pk}/").status_code == 404
    assert api.get("/api/v1/document-store/").json() != [] and all(
        e["id"] != stored.pk for e in api.get("/api/v1/document-store/").json()
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/"), ("get", "/file/"), ("patch", "/"), ("delete", "/")],
)
def test_another_citizen_cannot_see_download_change_or_remove_it(stored, other_citizen, method, path):
    api = client_for(other_citizen)
    answer = getattr(api, method)(f"/api/v1/document-store/{stored.pk}{path}", {"title": "x"}, format="json")

    assert answer.status_code == 404
    assert api.get("/api/v1/document-store/").json() == []
    stored.refresh_from_db()
    assert stored.title != "x" and stored.removed_at is None


def test_anonymous_callers_are_refused(stored, client):
    assert client.get("/api/v1/document-store/").status_code in (401, 403)


def test_a_draft_takes_a_stored_paper_through_the_attachment_endpoint(
    stored, procedure, citizen, other_citizen, valid_data
):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    answer = client_for(citizen).post(
        f"/api/v1/dossiers/{draft.uuid}/attachments/", {"component": ID_CARD, "stored_document": stored.pk}
    )
    assert answer.status_code == 201, answer.json()
    assert answer.json()["reused_from"] == stored.pk and answer.json()["sha256"] == stored.sha256

    # Someone else's paper, for their own draft: as if it did not exist.
    theirs = services.create_draft(procedure=procedure, applicant=other_citizen, data={})
    refused = client_for(other_citizen).post(
        f"/api/v1/dossiers/{theirs.uuid}/attachments/", {"component": ID_CARD, "stored_document": stored.pk}
    )
    assert refused.status_code == 400 and "stored_document" in refused.json()["errors"]
    assert not theirs.attachments.exists()


def test_a_file_or_a_stored_paper_not_both(stored, procedure, citizen, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    answer = client_for(citizen).post(
        f"/api/v1/dossiers/{draft.uuid}/attachments/",
        {"component": ID_CARD, "stored_document": stored.pk, "file": upload(pdf_bytes(1))},
    )
    assert answer.status_code == 400
