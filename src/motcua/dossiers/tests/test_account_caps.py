"""What one account may hold: drafts not yet sent (MOTCUA_MAX_OPEN_DRAFTS) and megabytes of files in its
dossiers in progress (MOTCUA_MAX_ACCOUNT_MB), the same through the API and the portal."""

import pytest
from django.utils import translation

from motcua.dossiers import services
from motcua.dossiers.models import Attachment, Dossier

from .fixtures import PASSWORD, client_for, pdf_bytes, upload


@pytest.fixture
def api(citizen):
    return client_for(citizen)


def new_draft(api, valid_data, key=""):
    headers = {"Accept-Language": "en", **({"Idempotency-Key": key} if key else {})}
    return api.post(
        "/api/v1/dossiers/", {"procedure": "9.100001", "data": valid_data}, format="json", headers=headers
    )


def test_the_api_refuses_a_draft_beyond_the_cap(api, online_form, valid_data, settings):
    settings.MOTCUA_MAX_OPEN_DRAFTS = 3
    for _ in range(3):
        assert new_draft(api, valid_data).status_code == 201
    refused = new_draft(api, valid_data)
    assert refused.status_code == 400
    assert "3 drafts not yet sent" in refused.json()["errors"]["procedure"][0]
    assert Dossier.objects.count() == 3
    # Deleting one makes room; a repeat of an earlier request (same key) still answers its draft.
    first = Dossier.objects.first()
    assert api.delete(f"/api/v1/dossiers/{first.uuid}/").status_code == 204
    assert new_draft(api, valid_data, key="k").status_code == 201
    assert new_draft(api, valid_data, key="k").status_code == 201
    assert Dossier.objects.count() == 3


def test_sent_dossiers_do_not_count_as_drafts(citizen, procedure, online_form, valid_data, settings):
    settings.MOTCUA_MAX_OPEN_DRAFTS = 1
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    services.submit(draft, by=citizen)
    services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)


def test_the_portal_explains_the_draft_cap(client, citizen, online_form, settings):
    settings.MOTCUA_MAX_OPEN_DRAFTS = 1
    assert client.login(username=citizen.username, password=PASSWORD)
    assert client.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "a"}).status_code == 302
    response = client.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "b"})
    assert response.status_code == 400
    with translation.override("vi"):
        assert "bản nháp chưa gửi" in response.content.decode()
    assert Dossier.objects.count() == 1


def test_the_api_refuses_a_file_beyond_the_account_s_bytes(api, citizen, online_form, valid_data, settings):
    settings.MOTCUA_MAX_ACCOUNT_MB = 1
    first, second = (new_draft(api, valid_data).json()["id"] for _ in range(2))
    big = pdf_bytes(padding=700_000)  # two of them exceed 1 MB across two dossiers
    response = api.post(
        f"/api/v1/dossiers/{first}/attachments/", {"component": "1", "file": upload(big)}, format="multipart"
    )
    assert response.status_code == 201
    response = api.post(
        f"/api/v1/dossiers/{second}/attachments/",
        {"component": "1", "file": upload(big)},
        format="multipart",
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 400
    assert "all your dossiers in progress may not exceed 1 MB" in response.json()["errors"]["file"][0]
    assert Attachment.objects.count() == 1
    # A finished dossier's files no longer count.
    Dossier.objects.filter(uuid=first).update(finished_at="2026-12-01T10:00:00+07:00")
    response = api.post(
        f"/api/v1/dossiers/{second}/attachments/", {"component": "1", "file": upload(big)}, format="multipart"
    )
    assert response.status_code == 201


def test_the_portal_refuses_a_file_beyond_the_account_s_bytes(
    client, citizen, procedure, online_form, valid_data, settings
):
    settings.MOTCUA_MAX_ACCOUNT_MB = 1
    other = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(other, component_order=1, upload=upload(pdf_bytes(padding=700_000)), by=citizen)
    assert client.login(username=citizen.username, password=PASSWORD)
    client.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "t"})
    draft = Dossier.objects.exclude(pk=other.pk).get()
    response = client.post(
        f"/ho-so/{draft.uuid}/soan/",
        {
            "_step": "1",
            "_action": "next",
            "reason": "Mới",
            "file.declaration": upload(pdf_bytes(padding=700_000)),
        },
    )
    assert response.status_code == 400
    with translation.override("vi"):
        assert "tất cả hồ sơ đang giải quyết" in response.content.decode()
    assert not draft.attachments.exists()


def test_the_attachments_step_states_the_limits(client, citizen, online_form, settings):
    settings.MOTCUA_MAX_FILE_MB, settings.MOTCUA_MAX_DOSSIER_MB, settings.MOTCUA_MAX_ACCOUNT_MB = 7, 33, 444
    assert client.login(username=citizen.username, password=PASSWORD)
    client.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "t"})
    draft = Dossier.objects.get()
    client.cookies["django_language"] = "en"
    page = client.get(f"/ho-so/{draft.uuid}/soan/?buoc=1").content.decode()
    assert (
        "Up to 7 MB a file and 33 MB for all the files of this dossier; 444 MB for the files of all your "
        "dossiers in progress." in page
    )
