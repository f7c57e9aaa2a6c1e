"""PKI (hạ tầng khóa công khai) of signed results: the agencies' signing keys, and what verification trusts.

An agency's key is in one of two places (``SigningCertificate.source``):

* ``file``: a PKCS#12 file (.p12/.pfx) on the server, its passphrase in the environment variable the
  certificate row names (never in the database);
* ``pkcs11``: a key that never leaves a token or HSM (the agency's USB token, a network HSM), used through
  pyHanko's PKCS#11 signer. That needs the ``python-pkcs11`` package (``pip install 'pyhanko[pkcs11]'``)
  and the vendor's PKCS#11 module; the PIN is in the environment variable the row names.

The demo (``manage.py setup_demo_pki``, or the first result an agency signs in development or on the demo
site: ``motcua.core.demo.demo_allowed``) makes a root CA "Motcua Demo CA — không dùng cho văn bản thật" and
one EC P-256 certificate per agency under ``MOTCUA_PKI_DIR``, as PKCS#12 files protected by
``MOTCUA_PKI_PASSPHRASE``. Verification trusts the PEM files listed in ``MOTCUA_TRUSTED_ROOTS``, plus the demo
CA while ``MOTCUA_TRUST_DEMO_CA`` is on (default: in development or on the demo site).

This module owns the certificate rows as well as the files: registering a certificate is one step of both.
"""

import contextlib
import datetime
import functools
import io
import logging
import os
import re
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.catalog.models import Agency
from motcua.core.demo import demo_allowed

from .models import CertificateSource, SigningCertificate

logger = logging.getLogger("motcua.documents")

DEMO_CA_NAME = "Motcua Demo CA — không dùng cho văn bản thật"
DEMO_UNIT = "Chứng thư thử nghiệm — không dùng cho văn bản thật"
# A demo agency certificate is dated this far back, so that whatever day first needs it, it can sign on any
# date of the demo's history (the load seeder backdates dossiers) and of tests that set the clock back; its
# file is kept and reused for the agency's code, so the day it was made must not decide where it is valid.
DEMO_BACKDATE = datetime.timedelta(days=366)
# Documented in the README; only ever protects demo keys.
DEFAULT_DEMO_PASSPHRASE = "motcua-demo"  # noqa: S105
CA_FILE, CA_PEM = "ca.p12", "ca.pem"
CA_YEARS, AGENCY_YEARS = 10, 3
# The signature field every result carries; verification reads the first signature of a file.
SIGNATURE_FIELD = "Motcua"


class CertificateProblem(ImproperlyConfigured):
    """An agency cannot sign: no certificate registered, or its key cannot be loaded or does not match."""


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate row records about its certificate."""

    subject: str
    issuer: str
    serial: str
    not_before: datetime.datetime
    not_after: datetime.datetime
    fingerprint: str
    certificate_pem: str


# --- settings ---------------------------------------------------------------------------------------------


def pki_dir() -> Path:
    """MOTCUA_PKI_DIR: where the demo CA and the demo agency certificates live (default ``<var>/pki``)."""
    return Path(getattr(settings, "MOTCUA_PKI_DIR", None) or Path(settings.VAR_DIR) / "pki")


def demo_passphrase() -> bytes:
    """MOTCUA_PKI_PASSPHRASE: the passphrase of the demo PKCS#12 files."""
    return str(getattr(settings, "MOTCUA_PKI_PASSPHRASE", "") or DEFAULT_DEMO_PASSPHRASE).encode()


def trusts_demo_ca() -> bool:
    """MOTCUA_TRUST_DEMO_CA: does verification accept the demo CA (default: in development or the demo)?"""
    return bool(getattr(settings, "MOTCUA_TRUST_DEMO_CA", demo_allowed()))


def trusted_root_paths() -> list[Path]:
    """MOTCUA_TRUSTED_ROOTS: PEM files of the root CAs verification trusts (a list, or comma-separated)."""
    value = getattr(settings, "MOTCUA_TRUSTED_ROOTS", None) or []
    if isinstance(value, str):
        value = value.split(",")
    return [Path(str(item).strip()) for item in value if str(item).strip()]


# --- helpers ----------------------------------------------------------------------------------------------


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate as pyHanko's asn1crypto object."""
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


def fingerprint(certificate: x509.Certificate) -> str:
    return certificate.fingerprint(hashes.SHA256()).hex()


def facts_of(certificate: x509.Certificate, chain: list[x509.Certificate] = ()) -> CertificateFacts:
    pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in [certificate, *chain])
    return CertificateFacts(
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        fingerprint=fingerprint(certificate),
        certificate_pem=pem,
    )


def _write_new(path: Path, content: bytes) -> bool:
    """Write ``content`` to ``path`` unless it exists; False when it did (the existing file is kept).

    The file appears whole or not at all (written aside, then linked in place), so two processes setting
    up at once never read half a key, and the loser keeps the winner's file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o600)  # private keys: readable by the service account only
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)


def _name(*attributes: tuple) -> x509.Name:
    # A common name is at most 64 characters (RFC 5280); the full name stays in the organisation.
    return x509.Name(
        [
            x509.NameAttribute(oid, value[:64] if oid == NameOID.COMMON_NAME else value)
            for oid, value in attributes
            if value
        ]
    )


def key_usage(*, sign_documents: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign_documents,
        content_commitment=sign_documents,  # non-repudiation: the agency stands by what it signed
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=not sign_documents,
        crl_sign=not sign_documents,
        encipher_only=False,
        decipher_only=False,
    )


def agency_file_name(agency: Agency) -> str:
    # Agency codes are dotted identifiers (000.00.20.H99); anything else is kept out of the file name.
    return re.sub(r"[^A-Za-z0-9._-]+", "-", agency.code).strip(".-") + ".p12"


# --- the demo PKI -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCA:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    created: bool


def root_certificate(key, name: x509.Name, *, days: int) -> x509.Certificate:
    """A self-signed root CA certificate for ``key``, valid from yesterday for ``days`` days, that may
    certify agencies' certificates directly (path length 0)."""
    now = timezone.now()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(key_usage(sign_documents=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )


def ensure_demo_ca(directory: Path | None = None) -> DemoCA:
    """The demo root CA under ``directory`` (default MOTCUA_PKI_DIR), made the first time and kept after."""
    directory = directory or pki_dir()
    created = False
    if not (directory / CA_FILE).exists():
        # EC P-256: a key in milliseconds, small signatures, and validated by pyHanko as any RSA key is.
        key = ec.generate_private_key(ec.SECP256R1())
        name = _name(
            (NameOID.COUNTRY_NAME, "VN"),
            (NameOID.ORGANIZATION_NAME, "Motcua"),
            (NameOID.COMMON_NAME, DEMO_CA_NAME),
        )
        certificate = root_certificate(key, name, days=365 * CA_YEARS)
        encryption = serialization.BestAvailableEncryption(demo_passphrase())
        bundle = pkcs12.serialize_key_and_certificates(b"Motcua Demo CA", key, certificate, None, encryption)
        created = _write_new(directory / CA_FILE, bundle)
    key, certificate, _chain = pkcs12.load_key_and_certificates(
        (directory / CA_FILE).read_bytes(), demo_passphrase()
    )
    # The CA certificate alone, for verification and for anyone who wants to add the demo CA to a viewer.
    _write_new(directory / CA_PEM, certificate.public_bytes(serialization.Encoding.PEM))
    return DemoCA(key=key, certificate=certificate, created=created)


def demo_ca_certificate(directory: Path | None = None) -> x509.Certificate | None:
    path = (directory or pki_dir()) / CA_PEM
    return x509.load_pem_x509_certificate(path.read_bytes()) if path.exists() else None


def ensure_demo_agency_file(agency: Agency, directory: Path | None = None) -> tuple[Path, bool]:
    """The demo PKCS#12 file of ``agency`` (signed by the demo CA), made the first time; (path, created)."""
    directory = directory or pki_dir()
    path = directory / agency_file_name(agency)
    if path.exists():
        return path, False
    ca = ensure_demo_ca(directory)
    key = ec.generate_private_key(ec.SECP256R1())
    parent = agency.parent.name if agency.parent_id else agency.name
    subject = _name(
        (NameOID.COUNTRY_NAME, "VN"),
        (NameOID.ORGANIZATION_NAME, parent),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, DEMO_UNIT),
        # The agency's electronic identifier code (Decision 20/2020/QĐ-TTg) names it without ambiguity.
        (NameOID.ORGANIZATION_IDENTIFIER, agency.code),
        (NameOID.COMMON_NAME, agency.name),
    )
    now = timezone.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(ca.certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - DEMO_BACKDATE)
        .not_valid_after(now + datetime.timedelta(days=365 * AGENCY_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(key_usage(sign_documents=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.certificate.public_key()), critical=False
        )
        .sign(ca.key, hashes.SHA256())
    )
    encryption = serialization.BestAvailableEncryption(demo_passphrase())
    bundle = pkcs12.serialize_key_and_certificates(
        agency.code.encode(), key, certificate, [ca.certificate], encryption
    )
    return path, _write_new(path, bundle)


# --- certificate rows -------------------------------------------------------------------------------------


def _secret(certificate: SigningCertificate) -> bytes | None:
    if not certificate.secret_env:
        return demo_passphrase() if certificate.is_demo else None
    value = os.environ.get(certificate.secret_env)
    if value is None:
        raise CertificateProblem(
            f"The environment variable {certificate.secret_env} (passphrase or PIN of the signing "
            f"certificate of {certificate.agency}) is not set."
        )
    return value.encode()


def read_pkcs12(path: Path | str, passphrase: bytes | None):
    """(key, certificate, chain) of a PKCS#12 file; CertificateProblem when it cannot be read."""
    try:
        key, certificate, chain = pkcs12.load_key_and_certificates(Path(path).read_bytes(), passphrase)
    except (OSError, ValueError) as exc:
        raise CertificateProblem(f"Cannot read the PKCS#12 file {path}: {exc}") from exc
    if key is None or certificate is None:
        raise CertificateProblem(f"The PKCS#12 file {path} holds no key and certificate.")
    return key, certificate, list(chain)


def save_certificate(certificate: SigningCertificate) -> SigningCertificate:
    """Save a certificate row; an active one replaces the agency's active one (which is kept, inactive)."""
    with transaction.atomic():
        if certificate.is_active:
            others = SigningCertificate.objects.filter(agency=certificate.agency, is_active=True)
            others.exclude(pk=certificate.pk).update(is_active=False)
        certificate.save()
    return certificate


def _register(agency: Agency, facts: CertificateFacts, *, activate=True, **fields) -> SigningCertificate:
    return save_certificate(SigningCertificate(agency=agency, is_active=activate, **asdict(facts), **fields))


def pkcs12_facts(path: Path | str, secret_env: str) -> CertificateFacts:
    """The facts of the certificate in a PKCS#12 file whose passphrase is in the variable ``secret_env``."""
    passphrase = os.environ.get(secret_env, "").encode() if secret_env else None
    _key, certificate, chain = read_pkcs12(path, passphrase)
    return facts_of(certificate, chain)


def pem_facts(certificate_pem: str) -> CertificateFacts:
    """The facts of a PEM certificate (the signing certificate first, then its intermediates)."""
    try:
        certificates = x509.load_pem_x509_certificates(certificate_pem.encode())
    except ValueError as exc:
        raise CertificateProblem(f"Not a PEM certificate: {exc}") from exc
    return facts_of(certificates[0], certificates[1:])


def register_pkcs12(agency: Agency, path: Path | str, *, secret_env: str) -> SigningCertificate:
    """Register a production PKCS#12 file as the signing certificate of ``agency``.

    ``secret_env`` names the environment variable with the file's passphrase; the file is read now, so a
    wrong path or passphrase is refused at registration rather than at the first signature.
    """
    facts = pkcs12_facts(path, secret_env)
    return _register(agency, facts, source=CertificateSource.FILE, path=str(path), secret_env=secret_env)


def register_pkcs11(
    agency: Agency,
    *,
    module_path: str,
    token_label: str,
    key_label: str,
    certificate_pem: str,
    pin_env: str = "",
) -> SigningCertificate:
    """Register a key held in a PKCS#11 token or HSM as the signing certificate of ``agency``.

    ``certificate_pem`` is the signing certificate (then its intermediates), as the token's CA delivered
    it: the token is not opened here, so an HSM need not be reachable from where an administrator works.
    """
    return _register(
        agency,
        pem_facts(certificate_pem),
        source=CertificateSource.PKCS11,
        path=module_path,
        token_label=token_label,
        key_label=key_label,
        secret_env=pin_env,
    )


def ensure_demo_certificate(agency: Agency, directory: Path | None = None) -> SigningCertificate:
    """The demo certificate of ``agency``, its file and its row made when missing (idempotent).

    Never replaces a production certificate: with one registered, that one stays the active one.
    """
    path, _created = ensure_demo_agency_file(agency, directory)
    _key, certificate, chain = read_pkcs12(path, demo_passphrase())
    facts = facts_of(certificate, chain)
    existing = SigningCertificate.objects.filter(fingerprint=facts.fingerprint).first()
    if existing is not None:
        if not existing.is_active and active_certificate(agency) is None:
            existing.is_active = True  # the agency's own certificate was withdrawn: the demo one serves again
            save_certificate(existing)
        return existing
    try:
        with transaction.atomic():  # a savepoint: a concurrent first signature may register it too
            return _register(
                agency,
                facts,
                activate=active_certificate(agency) is None,
                source=CertificateSource.FILE,
                path=str(path),
                is_demo=True,
            )
    except IntegrityError:
        winner = SigningCertificate.objects.filter(fingerprint=facts.fingerprint).first()
        if winner is None:
            raise
        return winner


def active_certificate(agency: Agency) -> SigningCertificate | None:
    return SigningCertificate.objects.filter(agency=agency, is_active=True).first()


def certificate_for(agency: Agency) -> SigningCertificate:
    """The certificate ``agency`` signs with: its active one; in development or the demo (``demo_allowed``)
    and none, a demo one made now."""
    certificate = active_certificate(agency)
    if certificate is None and demo_allowed():
        certificate = ensure_demo_certificate(agency)
    if certificate is None:
        raise CertificateProblem(f"{agency} has no active signing certificate: register one in the admin.")
    return certificate


# --- signing ----------------------------------------------------------------------------------------------

_pkcs11_sessions: dict[tuple, object] = {}
_pkcs11_lock = threading.Lock()
_pkcs11_signing = threading.Lock()


def _pkcs11_signer(certificate: SigningCertificate):
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as hanko_pkcs11
    except ImportError as exc:  # python-pkcs11 is an optional dependency of pyHanko
        raise CertificateProblem(
            "Signing with a PKCS#11 token needs python-pkcs11: pip install 'pyhanko[pkcs11]'."
        ) from exc
    pin = _secret(certificate)
    key = (certificate.path, certificate.token_label)
    # Opening a session (and logging in) costs far more than a signature: one per token and process.
    with _pkcs11_lock:
        session = _pkcs11_sessions.get(key)
        if session is None:
            try:
                session = hanko_pkcs11.open_pkcs11_session(
                    certificate.path,
                    token_criteria=TokenCriteria(label=certificate.token_label or None),
                    user_pin=pin.decode() if pin is not None else None,
                )
            except Exception as exc:  # no module, no such token, a wrong PIN, a locked token: all say so
                raise CertificateProblem(
                    f"The PKCS#11 token {certificate.token_label!r} of {certificate.agency} could not be "
                    f"opened with the module {certificate.path}: {type(exc).__name__} {exc}".strip()
                ) from exc
            _pkcs11_sessions[key] = session
    chain = [_asn1(c) for c in x509.load_pem_x509_certificates(certificate.certificate_pem.encode())]
    return hanko_pkcs11.PKCS11Signer(
        session,
        key_label=certificate.key_label,
        signing_cert=chain[0],
        ca_chain=chain[1:],
        # An EC key signs the digest pyHanko computes (CKM_ECDSA): every EC token has that mechanism,
        # while hash-and-sign ones (CKM_ECDSA_SHA256) are missing from many, SoftHSM among them.
        use_raw_mechanism=chain[0].public_key.algorithm == "ec",
    )


def close_pkcs11_sessions() -> None:
    """Log out of and close every token session of this process; the next signature opens a new one.

    Called when a token failed to sign (removed, reset, its session timed out), so that one bad moment
    of the device does not break every later signature of the process.
    """
    with _pkcs11_lock:
        sessions = list(_pkcs11_sessions.values())
        _pkcs11_sessions.clear()
    for session in sessions:
        try:
            session.close()
        except Exception:  # already gone with the device: nothing left to close
            logger.info("A PKCS#11 session was already closed", exc_info=True)


def _caused_by_timestamp(exc: BaseException) -> bool:
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    while exc is not None:
        if isinstance(exc, TimestampRequestError):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _is_token_signer(signer) -> bool:
    try:
        from pyhanko.sign.pkcs11 import PKCS11Signer
    except ImportError:
        return False
    return isinstance(signer, PKCS11Signer)


def load_signer(certificate: SigningCertificate):
    """A pyHanko signer for ``certificate``; CertificateProblem when it cannot sign (now)."""
    now = timezone.now()
    if not certificate.not_before <= now <= certificate.not_after:
        raise CertificateProblem(f"The signing certificate of {certificate.agency} is not valid today.")
    if certificate.source == CertificateSource.PKCS11:
        return _pkcs11_signer(certificate)
    key, loaded, chain = read_pkcs12(certificate.path, _secret(certificate))
    # The file on disk must still be the certificate that was registered (and that documents name).
    if fingerprint(loaded) != certificate.fingerprint:
        raise CertificateProblem(
            f"The file {certificate.path} no longer holds the certificate registered for "
            f"{certificate.agency}."
        )
    from asn1crypto import keys as asn1_keys
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    private_der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return signers.SimpleSigner(
        signing_cert=_asn1(loaded),
        signing_key=asn1_keys.PrivateKeyInfo.load(private_der),
        cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in chain]),
    )


def signer_for(agency: Agency):
    """The pyHanko signer of ``agency``'s active certificate (in development or the demo, a demo one when
    none is)."""
    return load_signer(certificate_for(agency))


def timestamper():
    """The client of the time-stamping authority MOTCUA_TSA_URL, or None when none is configured."""
    url = getattr(settings, "MOTCUA_TSA_URL", "")
    if not url:
        return None
    username = getattr(settings, "MOTCUA_TSA_USERNAME", "")
    password = getattr(settings, "MOTCUA_TSA_PASSWORD", "")
    return _timestamper(url, username, password, float(getattr(settings, "MOTCUA_TSA_TIMEOUT", 10)))


@functools.lru_cache(maxsize=4)
def _timestamper(url: str, username: str, password: str, timeout: float):
    # One client per process: pyHanko asks the TSA once for a sample token to size the signature, and
    # keeps it; a new client per signature would double the requests to the TSA.
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url, timeout=timeout, auth=(username, password) if username else None)


def sign_pdf(content: bytes, signer, *, signer_name: str, reason: str, location: str = "") -> bytes:
    """``content`` signed by ``signer`` as PAdES, certifying that no change is allowed.

    Baseline B-T when MOTCUA_TSA_URL names a time-stamping authority (RFC 3161): the signature carries the
    TSA's token of the time it was made. Otherwise B-B. The certification (DocMDP "no changes") makes PDF
    viewers flag anything added to the file later. Raises CertificateProblem when the token or the TSA
    fails; nothing is returned half-signed.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=signer_name or None,
        reason=reason or None,
        location=location or None,
        certify=True,
        docmdp_permissions=fields.MDPPerm.NO_CHANGES,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    clock = timestamper()
    on_token = _is_token_signer(signer)
    # A token's session serves one operation at a time (PKCS#11): the threads of a gthread worker take turns.
    turn = _pkcs11_signing if on_token else contextlib.nullcontext()
    try:
        with turn:
            return signers.sign_pdf(writer, metadata, signer=signer, timestamper=clock).getvalue()
    except Exception as exc:
        if clock is not None and _caused_by_timestamp(exc):
            raise CertificateProblem(
                f"The time-stamping server {settings.MOTCUA_TSA_URL} gave no timestamp: {exc}"
            ) from exc
        if not on_token:
            raise
        close_pkcs11_sessions()
        raise CertificateProblem(
            f"The PKCS#11 token refused to sign: {type(exc).__name__} {exc}".strip()
        ) from exc


# --- trust ------------------------------------------------------------------------------------------------


def trust_roots() -> list[asn1_x509.Certificate]:
    """The root certificates verification accepts: MOTCUA_TRUSTED_ROOTS, and the demo CA when trusted.

    Always a list, possibly empty: pyHanko falls back to the machine's TLS trust list when given none,
    and a web server's list says nothing about who may sign administrative documents.
    """
    from pyhanko.keys import load_certs_from_pemder

    roots = []
    for path in trusted_root_paths():
        try:
            roots.extend(load_certs_from_pemder([str(path)]))
        except (OSError, ValueError):
            logger.exception("Cannot read the trusted root certificates in %s", path)
    if trusts_demo_ca():
        demo = demo_ca_certificate()
        if demo is not None:
            roots.append(_asn1(demo))
    return roots
