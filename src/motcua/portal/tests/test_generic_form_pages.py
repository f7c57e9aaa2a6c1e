"""A procedure without a form written for it is sent on the web with its generic form, without JavaScript:
the declarant prefilled from the account, the request, one upload per paper with its template, review."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext

from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, pdf_bytes, upload
from motcua.forms.models import FormKind

DECLARANT = {
    "declarant.full_name": "Lê Thị Hoa",
    "declarant.personal_id": "030190054321",
    "declarant.birth_date": "1990-06-01",
    "declarant.address.province": "99",
    "declarant.address.commune": "001.00.30.H99",
    "declarant.address.detail": "Thôn Đông",
    "declarant.phone": "0912345678",
}
REQUEST = "Đề nghị cấp giấy xác nhận để bổ sung hồ sơ vay vốn."


@pytest.fixture
def signed_in(client, citizen):
    assert client.login(username=citizen.username, password=PASSWORD)
    return client


@pytest.fixture
def with_template(procedure):
    default_storage.save("catalog/forms/9.100001/01.docx", ContentFile(b"docx"))
    procedure.components.filter(order=1).update(
        form_template="catalog/forms/9.100001/01.docx", form_name="Mẫu 01"
    )
    return procedure


def test_a_generic_form_on_the_web_from_start_to_sent(signed_in, with_template, citizen):
    assert 'href="/thu-tuc/9.100001/nop-ho-so/"' in signed_in.get("/thu-tuc/9.100001/").content.decode()
    assert signed_in.post("/thu-tuc/9.100001/nop-ho-so/", {"token": "g1"}).status_code == 302
    draft = Dossier.objects.get()
    assert draft.form.kind == FormKind.GENERIC
    edit = f"/ho-so/{draft.uuid}/soan/"

    page = signed_in.get(edit).content.decode()
    assert 'value="Lê Thị Hoa"' in page and 'value="030190054321"' in page  # from the account
    assert "readonly" in page  # the identity is the account's

    response = signed_in.post(edit, {"_step": "0", "_action": "next", **DECLARANT})
    assert response.status_code == 200 and 'name="request"' in response.content.decode()
    # The request is required.
    response = signed_in.post(edit, {"_step": "1", "_action": "next", **DECLARANT})
    assert response.status_code == 400 and 'aria-invalid="true"' in response.content.decode()
    response = signed_in.post(edit, {"_step": "1", "_action": "next", "request": REQUEST, **DECLARANT})
    papers = response.content.decode()
    assert 'name="file.paper_1"' in papers and 'name="file.paper_2"' in papers
    assert 'href="/media/catalog/forms/9.100001/01.docx" download' in papers
    assert gettext("Download the form template, fill it in and upload it") in papers
    assert 'enctype="multipart/form-data"' in papers

    # The required paper (1) is missing, then attached; the optional one (2) may stay empty.
    response = signed_in.post(edit, {"_step": "2", "_action": "submit", "request": REQUEST, **DECLARANT})
    assert response.status_code == 400 and gettext("Attach this paper.") in response.content.decode()
    response = signed_in.post(
        edit,
        {
            "_step": "2",
            "_action": "submit",
            "request": REQUEST,
            **DECLARANT,
            "file.paper_1": upload(pdf_bytes(), "to-khai.pdf"),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("/xem-lai/#top")
    review = signed_in.get(response["Location"]).content.decode()
    assert REQUEST in review and "to-khai.pdf" in review and "Thôn Đông" in review

    response = signed_in.post(response["Location"])
    dossier = Dossier.objects.get()
    assert dossier.status == DossierStatus.SUBMITTED and dossier.form.kind == FormKind.GENERIC
    assert dossier.data["request"] == REQUEST
    assert response["Location"] == f"/ho-so/{dossier.code}/#top"


def test_the_api_serves_the_generic_form_like_a_written_one(client, procedure):
    body = client.get("/api/v1/procedures/9.100001/form/").json()
    assert body["kind"] == "generic" and body["version"] == 1
    assert body["schema"]["properties"]["paper_1"] == {"x-component": 1, "x-accept": ["pdf", "jpeg", "png"]}
    assert [(c["order"], c["field"], c["required"]) for c in body["components"]] == [
        (1, "paper_1", True),
        (2, "paper_2", False),
    ]
    assert client.get("/api/v1/procedures/9.100001/").json()["online_submission"] is True
    response = client.post(
        "/api/v1/procedures/9.100001/form/validate/",
        {"data": {"request": REQUEST}},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()["errors"]) == ["declarant"]
