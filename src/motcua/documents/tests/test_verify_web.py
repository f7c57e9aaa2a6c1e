"""The public verification page (/xac-minh/) and API (/api/v1/verify/): anyone, no login, rate-limited."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from motcua.documents import pki
from motcua.dossiers.tests.paper_fixtures import (
    blank_pdf,
    flip_signed_byte,
    signer_from_file,
    with_annotation_added,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.documents.tests.urls")]

PAGE = "/xac-minh/"
API = "/api/v1/verify/"


@pytest.fixture
def cases(issued_result, birth_dossier, tmp_path):
    """Each kind of file someone may upload, with the reason the portal gives."""
    other_ca = tmp_path / "other-ca"
    forged_path, _created = pki.ensure_demo_agency_file(birth_dossier.agency, other_ca)
    genuine = issued_result["pdf"]
    return {
        "genuine": genuine,
        "altered": flip_signed_byte(genuine),
        "modified_after_signing": with_annotation_added(genuine),
        "no_signature": blank_pdf(),
        "not_pdf": b"\x89PNG\r\n\x1a\n not a pdf",
        "unknown_certificate": forged(forged_path),
    }


def in_english(client):
    """Pages speak Vietnamese until the visitor picks English with the language switch (a cookie)."""
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def forged(path):
    return pki.sign_pdf(blank_pdf(), signer_from_file(path), signer_name="", reason="")


def upload(content: bytes, name="ket-qua.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


# --- the page ------------------------------------------------------------------------------------------


def test_the_qr_code_address_shows_the_result_as_genuine(client, issued_result):
    code = issued_result["document"].verification_code
    response = client.get(f"{PAGE}{code}/")
    html = response.content.decode()

    assert response.status_code == 200
    assert "Xác thực" in html and "125/GKS-UBND" in html
    assert "Trung tâm Phục vụ hành chính công tỉnh Hải Đông" in html and "Phạm Quang Minh" in html
    assert issued_result["document"].sha256 in html
    assert "chứng thư thử nghiệm" in html  # the demo says it is one
    # Privacy first: the applicant is not named, and neither are the people the certificate is about.
    for personal in ["Nguyễn Văn An", "030090012345", "Nguyễn Minh Khang", "Trần Thị Bình"]:
        assert personal not in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_an_unknown_code_is_a_404_that_says_so(client, demo_pki):
    response = in_english(client).get(f"{PAGE}7K2M-9QXD-4HNB/")
    assert response.status_code == 404
    assert "No document issued by this portal has this verification code." in response.content.decode()


def test_a_typed_code_leads_to_its_page(client, issued_result):
    code = issued_result["document"].verification_code
    response = client.get(PAGE, {"ma": code.lower().replace("-", "")})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}{code}/"

    response = in_english(client).get(PAGE, {"ma": "abc"})
    assert response.status_code == 400
    assert "A verification code has 12 letters and digits" in response.content.decode()


@pytest.mark.parametrize(
    ("case", "english"),
    [
        ("genuine", "Genuine: this file is a result issued and signed by this portal"),
        ("altered", "Altered: the signed content does not match the signature"),
        ("modified_after_signing", "The signature does not cover the whole file"),
        ("no_signature", "This PDF has no digital signature"),
        ("not_pdf", "This file is not a PDF document"),
        ("unknown_certificate", "Signed by an unknown certificate"),
    ],
)
def test_an_uploaded_file_is_checked_and_the_reason_given(cases, case, english):
    client = in_english(Client(enforce_csrf_checks=True))
    form = client.get(PAGE)
    assert 'enctype="multipart/form-data"' in form.content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)

    response = client.post(PAGE, {"file": upload(cases[case]), "csrfmiddlewaretoken": token})
    html = response.content.decode()
    assert response.status_code == 200
    assert english in html
    assert f'data-reason="{case}"' in html
    assert ("Not genuine" in html) is (case != "genuine")


def test_an_upload_without_the_csrf_token_is_refused(cases):
    response = Client(enforce_csrf_checks=True).post(PAGE, {"file": upload(cases["genuine"])})
    assert response.status_code == 403


def test_an_upload_too_large_or_missing_is_a_400(client, cases, settings):
    settings.MOTCUA_VERIFY_MAX_MB = 0  # every file is too large
    response = in_english(client).post(PAGE, {"file": upload(cases["genuine"])})
    assert response.status_code == 400 and "larger than 0 MB" in response.content.decode()
    response = client.post(PAGE, {})
    assert response.status_code == 400 and "Choose the PDF file to check." in response.content.decode()


def test_a_client_looking_up_too_much_is_slowed_down(client, issued_result, settings):
    settings.MOTCUA_VERIFY_RATE = 2
    code = issued_result["document"].verification_code
    assert client.get(f"{PAGE}{code}/").status_code == 200
    assert client.get(f"{API}{code}/").status_code == 200  # page and API share one count
    page = client.get(f"{PAGE}{code}/")
    assert page.status_code == 429 and int(page["Retry-After"]) > 0
    assert client.post(PAGE, {"file": upload(b"%PDF-")}).status_code == 429
    assert client.get(f"{API}{code}/").status_code == 429
    assert client.post(API, {"file": upload(b"%PDF-")}).status_code == 429


# --- the API -------------------------------------------------------------------------------------------


def test_the_api_answers_a_code_with_the_public_facts(client, issued_result):
    document = issued_result["document"]
    response = client.get(f"{API}{document.verification_code}/", headers={"accept-language": "en"})

    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is True and body["reason"] == "genuine" and body["file_sha256"] == ""
    assert body["document"] == {
        "kind": "result",
        "title": "Giấy khai sinh",
        "number": "125/GKS-UBND",
        "verification_code": document.verification_code,
        "issued_at": body["document"]["issued_at"],
        "issuer": {"code": "000.00.20.H99", "name": "Trung tâm Phục vụ hành chính công tỉnh Hải Đông"},
        "procedure": {"code": "1.001193", "name": "Đăng ký khai sinh"},
        "signer_name": "Phạm Quang Minh",
        "signer_title": "Giám đốc",
        "sha256": document.sha256,
        "demo_certificate": True,
        "url": f"http://127.0.0.1:8000/xac-minh/{document.verification_code}/",
        "revoked_at": None,
    }
    assert body["document"]["issued_at"].endswith("+07:00")


def test_the_api_answers_an_unknown_code_with_a_404(client, demo_pki):
    response = client.get(f"{API}7K2M-9QXD-4HNB/", headers={"accept-language": "en"})
    assert response.status_code == 404
    assert response.json()["detail"] == "No document issued by this portal has this verification code."


@pytest.mark.parametrize(
    "case", ["genuine", "altered", "modified_after_signing", "no_signature", "not_pdf", "unknown_certificate"]
)
def test_the_api_checks_an_uploaded_file(client, cases, case, issued_result):
    response = client.post(API, {"file": upload(cases[case])}, headers={"accept-language": "vi"})

    assert response.status_code == 200
    body = response.json()
    assert body["genuine"] is (case == "genuine") and body["reason"] == case and body["message"]
    # The file still carries the signature of the result: the answer names it (and says what became of it).
    named = case in ("genuine", "altered", "modified_after_signing")
    assert (body["document"] or {}).get("number") == ("125/GKS-UBND" if named else None)


def test_the_api_refuses_an_upload_without_a_file_or_too_large(client, cases, settings):
    response = client.post(API, {}, headers={"accept-language": "en"})
    assert response.status_code == 400 and "file" in response.json()["errors"]
    settings.MOTCUA_VERIFY_MAX_MB = 0
    response = client.post(API, {"file": upload(cases["genuine"])}, headers={"accept-language": "en"})
    assert response.status_code == 400
    (message,) = response.json()["errors"]["file"]
    assert message == "The file is larger than 0 MB: it cannot be a result of this portal."


def test_the_api_needs_no_login_and_ignores_a_session(issued_result, leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)  # a session would bring CSRF checks with it; the API reads none
    response = client.post(API, {"file": upload(issued_result["pdf"])})
    assert response.status_code == 200 and response.json()["genuine"] is True


def test_the_openapi_schema_with_verification_validates_without_warnings(tmp_path, settings):
    settings.ROOT_URLCONF = "motcua.documents.tests.urls"
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text(encoding="utf-8")
    assert "/api/v1/verify/{verification_code}/:" in text and "/api/v1/verify/:" in text
    assert "multipart/form-data" in text and "format: binary" in text
