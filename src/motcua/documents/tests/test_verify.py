"""Verifying a result: by its code, or by its PDF, which must be the genuine file unaltered; every way a file
can fail says why, in Vietnamese and in English."""

import datetime
from dataclasses import asdict

import pytest
from django.utils import translation

from motcua.documents import pki, selectors, services
from motcua.documents.models import CertificateSource, DocumentKind, SigningCertificate
from motcua.documents.verification import Reason, VerificationResult, normalize_code, open_signature
from motcua.dossiers.tests.paper_fixtures import (
    blank_pdf,
    flip_signed_byte,
    resaved,
    signer_from_file,
    with_annotation_added,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="session")
def forger_pki_dir(tmp_path_factory):
    """A CA someone made for themselves, even calling it "Motcua Demo CA — …": same name, another key."""
    directory = tmp_path_factory.mktemp("forger-pki")
    pki.ensure_demo_ca(directory)
    return directory


# --- by code -------------------------------------------------------------------------------------------


def test_a_code_finds_its_result_with_the_public_facts_only(issued_result, birth_dossier):
    document = issued_result["document"]
    result = selectors.verify_code(document.verification_code)

    assert result.genuine and result.found and result.reason == Reason.GENUINE
    facts = result.document
    assert (facts.kind, facts.number, facts.title) == (DocumentKind.RESULT, "125/GKS-UBND", "Giấy khai sinh")
    assert facts.agency_name == "Trung tâm Phục vụ hành chính công tỉnh Hải Đông"
    assert facts.issued_at == document.issued_at and facts.signer_name == "Phạm Quang Minh"
    assert facts.procedure_name == "Đăng ký khai sinh" and facts.sha256 == document.sha256
    assert facts.demo_certificate is True
    assert facts.url == f"http://127.0.0.1:8000/xac-minh/{document.verification_code}/"
    # Privacy first: nothing about the applicant or the people on the certificate, not even a name.
    public = str(asdict(facts))
    for personal in ["Nguyễn Văn An", "030090012345", "Lê Lợi", "Nguyễn Minh Khang", "001192023456"]:
        assert personal not in public


@pytest.mark.parametrize("typed", ["lower", "no dashes", "with O for 0", "spaces"])
def test_a_code_may_be_typed_as_people_type_it(issued_result, typed):
    code = issued_result["document"].verification_code
    variants = {
        "lower": code.lower(),
        "no dashes": code.replace("-", ""),
        "with O for 0": code.replace("0", "O"),
        "spaces": " " + code.replace("-", " ") + " ",
    }
    assert normalize_code(variants[typed]) == code
    assert selectors.verify_code(variants[typed]).genuine


@pytest.mark.parametrize("code", ["7K2M-9QXD-4HNB", "not a code", "", "7K2M-9QXD-4HNBX", "../../etc"])
def test_an_unknown_code_is_not_genuine(issued_result, code):
    result = selectors.verify_code(code)
    assert not result.genuine and not result.found and result.reason == Reason.UNKNOWN_CODE


def test_only_results_have_codes(issued_result, birth_dossier):
    receipt = services.store_document(birth_dossier, DocumentKind.RECEIPT, b"%PDF-1.7 receipt")
    assert receipt.verification_code is None
    assert not selectors.verify_code("").found


# --- by file -------------------------------------------------------------------------------------------


def test_the_exact_file_is_genuine(issued_result):
    result = selectors.verify_pdf(issued_result["pdf"])
    assert result.genuine and result.reason == Reason.GENUINE
    assert result.document.verification_code == issued_result["document"].verification_code
    assert result.file_sha256 == issued_result["document"].sha256


def test_a_byte_changed_inside_the_signed_content_is_altered(issued_result):
    result = selectors.verify_pdf(flip_signed_byte(issued_result["pdf"]))
    assert not result.genuine and result.reason == Reason.ALTERED
    # The file still carries the signature of that result: the answer says which document it was.
    assert result.document.number == "125/GKS-UBND"
    assert result.file_sha256 != result.document.sha256


def test_a_file_rewritten_by_another_program_is_altered(issued_result):
    result = selectors.verify_pdf(resaved(issued_result["pdf"]))
    assert not result.genuine and result.reason == Reason.ALTERED


def test_an_annotation_added_after_signing_is_a_modification_after_signing(issued_result):
    result = selectors.verify_pdf(with_annotation_added(issued_result["pdf"]))
    assert not result.genuine and result.reason == Reason.MODIFIED_AFTER_SIGNING
    assert result.document.number == "125/GKS-UBND"


def test_bytes_appended_after_the_signature_are_a_modification_after_signing(issued_result):
    result = selectors.verify_pdf(issued_result["pdf"] + b"\n% added later\n")
    assert result.reason == Reason.MODIFIED_AFTER_SIGNING


def test_an_unsigned_pdf_has_no_signature(demo_pki):
    result = selectors.verify_pdf(blank_pdf())
    assert not result.genuine and result.reason == Reason.NO_SIGNATURE and not result.found


@pytest.mark.parametrize(
    "content",
    [b"", b"GIF89a not a pdf", b"PK\x03\x04 a zip", b"%PDF-1.7\n% a header and nothing else\n"],
    ids=["empty", "image", "zip", "truncated"],
)
def test_what_is_not_a_pdf_is_said_so(demo_pki, content):
    result = selectors.verify_pdf(content)
    assert not result.genuine and result.reason == Reason.NOT_PDF


def test_a_pdf_signed_by_a_self_made_ca_is_an_unknown_certificate(birth_dossier, forger_pki_dir):
    forged_path, _created = pki.ensure_demo_agency_file(birth_dossier.agency, forger_pki_dir)
    forged = pki.sign_pdf(blank_pdf(), signer_from_file(forged_path), signer_name="P. Q. Minh", reason="")

    result = selectors.verify_pdf(forged)
    assert not result.genuine and result.reason == Reason.UNKNOWN_CERTIFICATE and result.document is None


def test_a_pdf_signed_with_an_agency_key_outside_the_portal_is_not_issued_here(birth_dossier):
    # The agency's own (trusted) key, but not through issue_result: the portal has no record of it.
    path, _created = pki.ensure_demo_agency_file(birth_dossier.agency)
    signed = pki.sign_pdf(blank_pdf(), signer_from_file(path), signer_name="", reason="")

    result = selectors.verify_pdf(signed)
    assert not result.genuine and result.reason == Reason.NOT_ISSUED_HERE and result.document is None


def test_a_portal_that_stops_trusting_the_demo_ca_no_longer_accepts_its_results(issued_result, settings):
    settings.MOTCUA_TRUST_DEMO_CA = False  # production: only MOTCUA_TRUSTED_ROOTS
    assert selectors.verify_pdf(issued_result["pdf"]).reason == Reason.UNKNOWN_CERTIFICATE


def test_a_result_stays_genuine_after_its_certificate_expired(birth_dossier, leader, tmp_path):
    """The chain is checked as of the moment the portal recorded signing it, not as of today."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from django.utils import timezone

    ca = pki.ensure_demo_ca()
    key = ec.generate_private_key(ec.SECP256R1())
    now = timezone.now()
    expired = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(x509.NameOID.COMMON_NAME, birth_dossier.agency.name)]))
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=2))
        .not_valid_after(now - datetime.timedelta(hours=1))
        .add_extension(pki.key_usage(sign_documents=True), critical=True)
        .sign(ca.key, hashes.SHA256())
    )
    path = tmp_path / "expired.p12"
    encryption = serialization.BestAvailableEncryption(pki.demo_passphrase())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"x", key, expired, [ca.certificate], encryption))
    signed = pki.sign_pdf(blank_pdf(), signer_from_file(path), signer_name="", reason="")
    certificate = pki.save_certificate(
        SigningCertificate(
            agency=birth_dossier.agency,
            source=CertificateSource.FILE,
            path=str(path),
            is_demo=True,
            **asdict(pki.facts_of(expired, [ca.certificate])),
        )
    )
    services.store_document(
        birth_dossier,
        DocumentKind.RESULT,
        signed,
        verification_code="7K2M-9QXD-4HNB",
        issued_at=now - datetime.timedelta(hours=2),
        signed_by=leader,
        certificate=certificate,
        certificate_fingerprint=certificate.fingerprint,
        signed_digest=open_signature(signed).claimed_digest,
    )

    assert selectors.verify_pdf(signed).genuine
    # A file the portal has no record of is checked as of now: that certificate has expired.
    unknown = pki.sign_pdf(blank_pdf(), signer_from_file(path), signer_name="x", reason="")
    assert selectors.verify_pdf(unknown).reason == Reason.UNKNOWN_CERTIFICATE


# --- the reasons, for people ------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [r for r in Reason if r != Reason.GENUINE])
def test_every_reason_is_explained_in_vietnamese_and_in_english(reason):
    result = VerificationResult(genuine=False, reason=reason, by_file=True)
    with translation.override("en"):
        english = result.message
    with translation.override("vi"):
        vietnamese = result.message
    assert english and vietnamese and english != vietnamese


def test_the_messages_say_what_happened(issued_result):
    cases = {
        flip_signed_byte(issued_result["pdf"]): ("Altered", "Đã bị sửa đổi"),
        issued_result["pdf"] + b"%": ("does not cover the whole file", "không bao trùm toàn bộ tệp"),
        blank_pdf(): ("no digital signature", "không có chữ ký số"),
        b"hello": ("not a PDF", "không phải là tài liệu PDF"),
    }
    for content, (english, vietnamese) in cases.items():
        result = selectors.verify_pdf(content)
        with translation.override("en"):
            assert english in result.message
        with translation.override("vi"):
            assert vietnamese in result.message
