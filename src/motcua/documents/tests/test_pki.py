"""The signing keys of agencies: the demo PKI made offline, production certificates registered, trust."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command

from motcua.catalog.tests.factories import make_agency
from motcua.documents import pki
from motcua.documents.models import CertificateSource, SigningCertificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency(demo_pki):
    return make_agency(code="000.00.40.H99", name="Ủy ban nhân dân xã Tân Phong")


def subject_value(certificate: x509.Certificate, oid) -> str:
    return certificate.subject.get_attributes_for_oid(oid)[0].value


def test_the_demo_ca_says_it_is_not_for_real_documents(demo_pki):
    ca = pki.demo_ca_certificate()
    assert subject_value(ca, NameOID.COMMON_NAME) == "Motcua Demo CA — không dùng cho văn bản thật"
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is True
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.key_cert_sign and not usage.digital_signature
    # EC P-256: made in milliseconds, and pyHanko validates it as it does RSA.
    assert isinstance(ca.public_key(), ec.EllipticCurvePublicKey)


def test_an_agency_certificate_names_the_agency_and_its_code_and_may_sign_documents(agency):
    path, created = pki.ensure_demo_agency_file(agency)
    assert created and path == pki.pki_dir() / "000.00.40.H99.p12"
    _key, certificate, chain = pki.read_pkcs12(path, pki.demo_passphrase())

    assert subject_value(certificate, NameOID.COMMON_NAME) == "Ủy ban nhân dân xã Tân Phong"
    assert subject_value(certificate, NameOID.ORGANIZATION_IDENTIFIER) == "000.00.40.H99"
    assert "không dùng cho văn bản thật" in subject_value(certificate, NameOID.ORGANIZATIONAL_UNIT_NAME)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment  # content commitment = non-repudiation
    assert not usage.key_cert_sign
    # Issued by the demo CA, which travels in the PKCS#12 file so that signatures embed the whole chain.
    assert [c.subject for c in chain] == [pki.demo_ca_certificate().subject]
    certificate.verify_directly_issued_by(pki.demo_ca_certificate())
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_passphrase_protects_the_demo_files(agency, settings):
    path, _created = pki.ensure_demo_agency_file(agency)
    settings.MOTCUA_PKI_PASSPHRASE = "not-the-one"
    with pytest.raises(pki.CertificateProblem, match="Cannot read the PKCS#12 file"):
        pki.read_pkcs12(path, pki.demo_passphrase())


def test_setup_demo_pki_is_idempotent(agency, settings):
    settings.DEBUG = True
    other = make_agency(code="000.00.41.H99", name="Công an xã Tân Phong")
    call_command("setup_demo_pki", stdout=(first := _Output()))
    files = {p.name: p.read_bytes() for p in pki.pki_dir().glob("*.p12")}
    rows = {c.agency_id: c.fingerprint for c in SigningCertificate.objects.all()}
    assert {agency.pk, other.pk} <= set(rows)
    assert "agency certificates created" in first.text

    call_command("setup_demo_pki", stdout=(second := _Output()))
    # Nothing made again: the same files, byte for byte, and the same registered certificates.
    assert {p.name: p.read_bytes() for p in pki.pki_dir().glob("*.p12")} == files
    assert {c.agency_id: c.fingerprint for c in SigningCertificate.objects.all()} == rows
    assert "Demo CA kept" in second.text and "0 agency certificates created" in second.text


def test_setup_demo_pki_is_refused_in_production(agency, settings):
    settings.DEBUG = False
    settings.MOTCUA_DEMO = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("setup_demo_pki")


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


@pytest.mark.parametrize(
    ("debug", "demo"), [(True, False), (False, True)], ids=["development", "the demo site (make run)"]
)
def test_in_a_demo_an_agency_without_certificate_gets_a_demo_one_when_it_first_signs(
    agency, settings, debug, demo
):
    """The demo of ``make run`` runs with DEBUG off (MOTCUA_DEMO=1): before, its leaders could not sign."""
    settings.DEBUG = debug
    settings.MOTCUA_DEMO = demo
    assert pki.active_certificate(agency) is None

    signer = pki.signer_for(agency)

    certificate = pki.active_certificate(agency)
    assert certificate.is_demo and certificate.source == CertificateSource.FILE
    assert signer.signing_cert.sha256.hex() == certificate.fingerprint
    assert pki.signer_for(agency).signing_cert.sha256.hex() == certificate.fingerprint  # made once


def test_in_production_an_agency_without_certificate_cannot_sign(agency, settings):
    settings.DEBUG = False
    settings.MOTCUA_DEMO = False
    with pytest.raises(pki.CertificateProblem, match="no active signing certificate"):
        pki.signer_for(agency)
    assert not SigningCertificate.objects.exists()


def production_pkcs12(tmp_path, agency, passphrase=b"mat-khau-that") -> tuple:
    """A certificate of a 'real' CA (another root than the demo one), as an agency would receive it."""
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    root = pki.ensure_demo_ca(tmp_path / "real-ca")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, agency.name)]))
        .issuer_name(root.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(root.key, hashes.SHA256())
    )
    path = tmp_path / "agency.p12"
    encryption = serialization.BestAvailableEncryption(passphrase)
    bundle = pkcs12.serialize_key_and_certificates(b"x", key, certificate, [root.certificate], encryption)
    path.write_bytes(bundle)
    return path, certificate


def test_a_production_pkcs12_file_is_registered_with_its_passphrase_in_the_environment(
    agency, tmp_path, monkeypatch
):
    demo = pki.ensure_demo_certificate(agency)
    path, certificate = production_pkcs12(tmp_path, agency)
    monkeypatch.setenv("HAIDONG_TANPHONG_P12_PASS", "mat-khau-that")

    registered = pki.register_pkcs12(agency, path, secret_env="HAIDONG_TANPHONG_P12_PASS")

    assert registered.fingerprint == pki.fingerprint(certificate) and registered.is_active
    assert registered.subject == "CN=Ủy ban nhân dân xã Tân Phong" and not registered.is_demo
    assert "mat-khau-that" not in str(vars(registered))  # the passphrase stays in the environment
    demo.refresh_from_db()
    assert not demo.is_active  # replaced, kept: the results it signed name it
    assert pki.signer_for(agency).signing_cert.sha256.hex() == registered.fingerprint
    # The demo setup never takes the agency's own certificate away.
    pki.ensure_demo_certificate(agency)
    assert pki.active_certificate(agency) == registered


def test_a_pkcs12_file_that_cannot_be_read_is_refused_at_registration(agency, tmp_path, monkeypatch):
    path, _certificate = production_pkcs12(tmp_path, agency)
    monkeypatch.setenv("WRONG_PASS", "sai")
    with pytest.raises(pki.CertificateProblem):
        pki.register_pkcs12(agency, path, secret_env="WRONG_PASS")
    with pytest.raises(pki.CertificateProblem):
        pki.register_pkcs12(agency, tmp_path / "missing.p12", secret_env="WRONG_PASS")
    assert not SigningCertificate.objects.exists()


def test_a_file_replaced_after_registration_is_not_used(agency, tmp_path, monkeypatch):
    path, _certificate = production_pkcs12(tmp_path, agency)
    monkeypatch.setenv("P12_PASS", "mat-khau-that")
    registered = pki.register_pkcs12(agency, path, secret_env="P12_PASS")
    production_pkcs12(tmp_path, agency)  # another key written over the same file

    with pytest.raises(pki.CertificateProblem, match="no longer holds the certificate"):
        pki.load_signer(registered)
    monkeypatch.delenv("P12_PASS")
    with pytest.raises(pki.CertificateProblem, match="P12_PASS"):
        pki.load_signer(registered)


def test_a_pkcs11_key_is_registered_by_its_certificate_and_needs_python_pkcs11_to_sign(agency, tmp_path):
    from cryptography.hazmat.primitives import serialization

    _path, certificate = production_pkcs12(tmp_path, agency)
    pem = certificate.public_bytes(serialization.Encoding.PEM).decode()

    registered = pki.register_pkcs11(
        agency,
        module_path="/usr/lib/softhsm/libsofthsm2.so",
        token_label="UBND-TAN-PHONG",
        key_label="ky-so-ket-qua",
        certificate_pem=pem,
        pin_env="TANPHONG_TOKEN_PIN",
    )
    assert registered.source == CertificateSource.PKCS11
    assert registered.fingerprint == pki.fingerprint(certificate)
    assert (registered.token_label, registered.key_label) == ("UBND-TAN-PHONG", "ky-so-ket-qua")
    # No token here: what can be checked is that the PKCS#11 path says what it lacks.
    try:
        import pkcs11  # noqa: F401
    except ImportError:
        with pytest.raises(pki.CertificateProblem, match="python-pkcs11"):
            pki.load_signer(registered)


def test_verification_trusts_the_configured_roots_and_demo_ca_when_told(demo_pki, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    other = pki.ensure_demo_ca(tmp_path / "province-ca").certificate
    pem = tmp_path / "province-ca.pem"
    pem.write_bytes(other.public_bytes(serialization.Encoding.PEM))
    demo = pki.fingerprint(pki.demo_ca_certificate())

    def fingerprints():
        return {root.sha256.hex() for root in pki.trust_roots()}

    assert fingerprints() == {demo}
    settings.MOTCUA_TRUSTED_ROOTS = [str(pem)]
    assert fingerprints() == {demo, pki.fingerprint(other)}
    settings.MOTCUA_TRUST_DEMO_CA = False
    settings.MOTCUA_TRUSTED_ROOTS = f"{pem}, "  # as an environment variable gives it
    assert fingerprints() == {pki.fingerprint(other)}
    settings.MOTCUA_TRUSTED_ROOTS = ""
    assert pki.trust_roots() == []  # never None: pyHanko would fall back to the machine's TLS roots
