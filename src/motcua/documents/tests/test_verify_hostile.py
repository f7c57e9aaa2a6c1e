"""A hostile PDF uploaded to be verified (/xac-minh/ and the API) passes the same bounded check as the
dossiers' papers: a 400 with that check's message, never a server error."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core.tests.hostile_files import deep_pdf, fan_pdf, looping_pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.documents.tests.urls")]

HOSTILE = {"fan": fan_pdf, "deep": deep_pdf, "loop": looping_pdf}


def upload(content: bytes):
    return SimpleUploadedFile("ket-qua.pdf", content, content_type="application/pdf")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_page_refuses_a_hostile_pdf_with_a_message(client, hostile):
    client.cookies["django_language"] = "en"
    response = client.post("/xac-minh/", {"file": upload(HOSTILE[hostile]())})
    assert response.status_code == 400
    assert "too complex to check" in response.content.decode()


@pytest.mark.parametrize("hostile", HOSTILE)
def test_the_api_refuses_a_hostile_pdf_with_a_400(client, hostile):
    response = client.post(
        "/api/v1/verify/", {"file": upload(HOSTILE[hostile]())}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "too complex to check" in response.json()["errors"]["file"][0]


def test_a_damaged_pdf_is_a_400_too(client):
    response = client.post(
        "/api/v1/verify/", {"file": upload(b"%PDF-1.7\n" + b"x" * 100)}, headers={"Accept-Language": "en"}
    )
    assert response.status_code == 400
    assert "damaged" in response.json()["errors"]["file"][0]
