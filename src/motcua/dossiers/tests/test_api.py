"""The dossier API as a client uses it: token, draft, papers, send, read; and what it refuses."""

import json

import pytest
from django.utils import timezone

from motcua.dossiers.models import Dossier

from .fixtures import client_for, jpeg_with_exif, make_officer, pdf_bytes, upload


@pytest.fixture
def api(citizen):
    return client_for(citizen)


@pytest.fixture
def draft_id(api, online_form, valid_data):
    response = api.post("/api/v1/dossiers/", {"procedure": "9.100001", "data": valid_data}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def test_the_whole_journey(api, draft_id, django_capture_on_commit_callbacks, mailoutbox):
    created = api.get(f"/api/v1/dossiers/{draft_id}/").json()
    assert created["code"] is None and created["status"] == {"code": 0, "label": "Bản nháp"}

    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes(), "to-khai.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["component"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(f"/api/v1/dossiers/{draft_id}/submit/", headers={"Idempotency-Key": "send-1"})
    assert response.status_code == 200, response.json()
    sent = response.json()
    assert set(sent) == {"code", "status", "received_at", "due_at", "receipt_url"}
    assert sent["status"]["code"] == 1
    assert sent["received_at"].endswith("+07:00")
    code = sent["code"]

    detail = api.get(f"/api/v1/dossiers/{code}/").json()
    assert detail["agency"] == {"code": "000.00.31.H26", "slug": "ubnd-xa-thu", "name": "UBND xã Thử"}
    assert detail["status"]["code"] == 1
    assert [a["component"] for a in detail["attachments"]] == [1]
    assert [h["action"] for h in detail["history"]] == ["submit"]

    receipt = api.get(sent["receipt_url"])
    assert receipt.status_code == 200
    assert receipt["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert len(mailoutbox) == 1

    listing = api.get("/api/v1/dossiers/").json()
    assert [d["code"] for d in listing["results"]] == [code]


def test_sending_twice_answers_the_same(api, draft_id):
    api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes())},
        format="multipart",
    )
    first = api.post(f"/api/v1/dossiers/{draft_id}/submit/").json()
    second = api.post(f"/api/v1/dossiers/{draft_id}/submit/").json()
    assert first["code"] == second["code"]
    assert Dossier.objects.exclude(code=None).count() == 1


def test_the_same_idempotency_key_creates_one_draft(api, online_form):
    body = {"procedure": "9.100001", "data": {}}
    a = api.post("/api/v1/dossiers/", body, format="json", headers={"Idempotency-Key": "abc"}).json()
    b = api.post("/api/v1/dossiers/", body, format="json", headers={"Idempotency-Key": "abc"}).json()
    assert a["id"] == b["id"]
    assert Dossier.objects.count() == 1


def test_validation_errors_are_400_by_field_path(api, draft_id):
    response = api.post(f"/api/v1/dossiers/{draft_id}/submit/", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json()["errors"]["declaration"] == ["Attach this paper."]


def test_a_forged_file_is_a_400_with_a_message(api, draft_id):
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(b"<?php system($_GET['c']); ?>", "anh.jpg", "image/jpeg")},
        format="multipart",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "not one of the accepted kinds" in response.json()["errors"]["file"][0]
    assert not Dossier.objects.get().attachments.exists()


def test_an_oversized_file_is_a_400(api, draft_id, settings):
    settings.MOTCUA_MAX_FILE_MB = 1
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes(padding=1_100_000))},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_an_image_comes_back_without_exif(api, draft_id):
    response = api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(jpeg_with_exif(), "scan.jpg", "image/jpeg")},
        format="multipart",
    )
    content = b"".join(api.get(response.json()["url"]).streaming_content)
    assert b"PhoneMaker" not in content


def test_another_applicant_gets_404_never_403(api, draft_id, other_citizen):
    api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes())},
        format="multipart",
    )
    code = api.post(f"/api/v1/dossiers/{draft_id}/submit/").json()["code"]
    intruder = client_for(other_citizen)
    for method, url in [
        ("get", f"/api/v1/dossiers/{code}/"),
        ("get", f"/api/v1/dossiers/{draft_id}/"),
        ("get", f"/api/v1/dossiers/{code}/receipt/"),
        ("post", f"/api/v1/dossiers/{draft_id}/submit/"),
        ("patch", f"/api/v1/dossiers/{draft_id}/"),
        ("delete", f"/api/v1/dossiers/{draft_id}/"),
        ("post", f"/api/v1/dossiers/{draft_id}/attachments/"),
    ]:
        assert getattr(intruder, method)(url).status_code == 404, url
    attachment = api.get(f"/api/v1/dossiers/{code}/").json()["attachments"][0]
    assert intruder.get(attachment["url"]).status_code == 404
    assert intruder.get("/api/v1/dossiers/").json()["results"] == []


def test_officers_list_their_agency_s_dossiers(api, draft_id, agency, other_agency):
    api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes())},
        format="multipart",
    )
    code = api.post(f"/api/v1/dossiers/{draft_id}/submit/").json()["code"]
    mine = client_for(make_officer("motcua.a", agency))
    other = client_for(make_officer("motcua.b", other_agency))
    assert [d["code"] for d in mine.get("/api/v1/dossiers/?status=1").json()["results"]] == [code]
    assert other.get("/api/v1/dossiers/").json()["results"] == []
    assert other.get(f"/api/v1/dossiers/{code}/").status_code == 404


def test_a_sent_dossier_cannot_be_changed_409(api, draft_id):
    api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes())},
        format="multipart",
    )
    api.post(f"/api/v1/dossiers/{draft_id}/submit/")
    response = api.patch(f"/api/v1/dossiers/{draft_id}/", {"data": {}}, format="json")
    assert response.status_code == 409


def test_bad_status_filter_and_anonymous(api, client):
    assert api.get("/api/v1/dossiers/?status=x").status_code == 400
    assert api.get("/api/v1/dossiers/?status=11").status_code == 400
    assert client.get("/api/v1/dossiers/").status_code in (401, 403)


def test_unknown_procedure_is_400(api, db):
    response = api.post("/api/v1/dossiers/", {"procedure": "1.999999"}, format="json")
    assert response.status_code == 400
    assert "procedure" in response.json()["errors"]


class TestTracking:
    def sent_code(self, api, draft_id):
        api.post(
            f"/api/v1/dossiers/{draft_id}/attachments/",
            {"component": "1", "file": upload(pdf_bytes())},
            format="multipart",
        )
        return api.post(f"/api/v1/dossiers/{draft_id}/submit/").json()["code"]

    def test_anyone_with_the_code_sees_status_without_personal_data(self, api, draft_id, client):
        code = self.sent_code(api, draft_id)
        response = client.get(f"/api/v1/tracking/{code}/")
        assert response.status_code == 200
        body = response.json()
        assert set(body) == {"code", "status", "procedure", "agency", "received_at", "due_at", "steps"}
        assert body["status"] == {"code": 1, "label": "Mới đăng ký"}
        text = response.content.decode()
        for personal in ("Lê Thị Hoa", "030190054321", "0912345678", "hoa@example.com", "vay vốn"):
            assert personal not in text

    def test_a_draft_or_unknown_code_is_404(self, client, draft_id):
        assert client.get("/api/v1/tracking/000.00.31.H26-260101-0001/").status_code == 404
        assert client.get(f"/api/v1/tracking/{draft_id}/").status_code == 404

    def test_guessing_codes_is_rate_limited(self, client, settings, db):
        settings.MOTCUA_TRACKING_RATE = 5
        answers = [client.get(f"/api/v1/tracking/X-260101-{n:04d}/").status_code for n in range(8)]
        assert answers[:5] == [404] * 5
        assert answers[5:] == [429] * 3


def test_status_labels_follow_the_language(api, draft_id):
    response = api.get(f"/api/v1/dossiers/{draft_id}/", headers={"Accept-Language": "en"})
    assert response.json()["status"]["label"] == "Draft"


def test_a_receipt_altered_in_storage_is_not_served(api, draft_id):
    api.post(
        f"/api/v1/dossiers/{draft_id}/attachments/",
        {"component": "1", "file": upload(pdf_bytes())},
        format="multipart",
    )
    code = api.post(f"/api/v1/dossiers/{draft_id}/submit/").json()["code"]
    assert api.get(f"/api/v1/dossiers/{code}/receipt/").status_code == 200
    from motcua.documents.models import Document

    document = Document.objects.get()
    with document.file.storage.open(document.file.name, "wb") as fh:
        fh.write(b"%PDF-1.7 forged")
    from motcua.documents.selectors import TamperedDocument

    with pytest.raises(TamperedDocument):
        api.get(f"/api/v1/dossiers/{code}/receipt/")


def sent_rows(procedure, agency, count, *, status=10, held_by=None, start=0):
    """Dossiers as the officer's list reads them, written directly (their history does not matter here)."""
    return Dossier.objects.bulk_create(
        Dossier(
            procedure=procedure, agency=agency, current_agency=held_by or agency, status=status,
            code=f"{agency.code}-LIST-{start + i:04d}", applicant_name=f"Người nộp {i}",
            submitted_at=timezone.now(),
        )
        for i in range(count)
    )  # fmt: skip


class TestTheOfficersList:
    """``GET /api/v1/dossiers/`` for an officer: received by or held at their agencies, newest first,
    counted up to a cap (``count_capped``), the same on SQLite (an OR) and PostgreSQL (a UNION)."""

    def test_received_and_held_dossiers_once_each_newest_first(self, procedure, agency, other_agency):
        received = sent_rows(procedure, agency, 3)
        held_here = sent_rows(procedure, other_agency, 2, held_by=agency, start=10)  # liên thông, with us now
        sent_rows(procedure, other_agency, 4, start=20)  # another agency's own
        mine = client_for(make_officer("motcua.a", agency))
        answer = mine.get("/api/v1/dossiers/").json()
        expected = sorted(received + held_here, key=lambda d: -d.pk)
        assert [d["code"] for d in answer["results"]] == [d.code for d in expected]
        assert (answer["count"], answer["count_capped"], answer["next"]) == (5, False, None)

    def test_pages_status_and_the_cap(self, procedure, agency, monkeypatch):
        from motcua.dossiers import selectors

        monkeypatch.setattr(selectors, "OFFICER_LIST_COUNT_CAP", 4)
        rows = sent_rows(procedure, agency, 7)
        sent_rows(procedure, agency, 2, status=5, start=50)
        mine = client_for(make_officer("motcua.a", agency))
        first = mine.get("/api/v1/dossiers/?status=10&page_size=3").json()
        assert (first["count"], first["count_capped"]) == (4, True)  # 7 finished, counted up to 4
        assert [d["code"] for d in first["results"]] == [d.code for d in rows[::-1][:3]]
        assert first["previous"] is None and "page=2" in first["next"]
        third = mine.get("/api/v1/dossiers/?status=10&page_size=3&page=3").json()
        assert [d["code"] for d in third["results"]] == [rows[0].code]  # past the cap, still there
        assert third["next"] is None and "page=2" in third["previous"]
        assert mine.get("/api/v1/dossiers/?status=10&page_size=3&page=4").status_code == 400
        assert mine.get("/api/v1/dossiers/?status=5").json()["count"] == 2
        assert mine.get("/api/v1/dossiers/?page=x").status_code == 400


@pytest.mark.parametrize(
    "data",
    [
        {"name": "\ud800"},  # a lone surrogate: before, a server error when the size was measured
        {"name": "Nguyễn\x00"},  # before, stored on SQLite and refused by PostgreSQL's jsonb
        {"a": [[[[[[[[[[[[[[[[[[[[["deep"]]]]]]]]]]]]]]]]]]]]]},  # before, 900 levels were stored
    ],
)
def test_form_data_no_database_keeps_is_a_400_on_create_and_change(api, draft_id, online_form, data):
    # As a client sends it: JSON text, where a lone surrogate is written \ud800.
    body = json.dumps({"procedure": "9.100001", "data": data})
    created = api.post("/api/v1/dossiers/", body, content_type="application/json")
    assert created.status_code == 400 and "data" in created.json()["errors"]
    changed = api.patch(
        f"/api/v1/dossiers/{draft_id}/", json.dumps({"data": data}), content_type="application/json"
    )
    assert changed.status_code == 400 and "data" in changed.json()["errors"]


def test_a_body_nested_beyond_the_parser_is_a_400_not_a_server_error(api, online_form):
    body = '{"procedure": "9.100001", "data": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api.post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_a_body_too_large_is_answered_in_json(api, online_form, settings):
    """Before, Django's HTML error page answered a client that speaks JSON."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    body = json.dumps({"procedure": "9.100001", "data": {"reason": "x" * 2_000_000}})
    response = api.post("/api/v1/dossiers/", body, content_type="application/json")
    assert response.status_code == 413 and response["Content-Type"] == "application/json"
    assert "1 MB" in response.json()["detail"]


@pytest.mark.parametrize(
    "identity",
    [{"full_name": "Phan Văn Tú"}, {"personal_id": "030085011111"}],
    ids=["another-name", "another-id"],
)
def test_another_persons_identity_as_the_declarant_is_refused(api, online_form, valid_data, identity):
    """Issue 9: the declarant is the account holder; the API cannot send in another person's name."""
    data = {**valid_data, **identity}
    draft = api.post("/api/v1/dossiers/", {"procedure": "9.100001", "data": data}, format="json").json()["id"]
    api.post(f"/api/v1/dossiers/{draft}/attachments/", {"component": "1", "file": upload(pdf_bytes())})
    response = api.post(f"/api/v1/dossiers/{draft}/submit/", headers={"Accept-Language": "en"})
    assert response.status_code == 400, response.json()
    (field,) = identity
    assert response.json()["errors"] == {
        field: ["This comes from your verified identity and cannot be changed here."]
    }
    assert Dossier.objects.get().code is None
