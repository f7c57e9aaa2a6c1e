"""An agency whose key lives in a PKCS#11 token signs its results there: the key never leaves the token.

The token is SoftHSM (Debian's ``softhsm2``; CI installs it), set up in a temporary folder: the same
PKCS#11 interface as an agency's USB token or a network HSM, through python-pkcs11 and pyHanko.
"""

import datetime
import hashlib
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from motcua.documents import pki, selectors
from motcua.documents.models import CertificateSource, SigningCertificate
from motcua.documents.verification import Reason
from motcua.dossiers.papers import receipt as receipt_paper
from motcua.dossiers.tests.paper_fixtures import RESULT_NUMBER, build_leader, issue_result

pytestmark = pytest.mark.django_db

SOFTHSM_UTIL = shutil.which("softhsm2-util")
MODULES = ["/usr/lib/softhsm/libsofthsm2.so", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"]
MODULE = next((path for path in MODULES if Path(path).exists()), None)
TOKEN, PIN, PIN_ENV = "UBND-TAN-PHONG", "246810", "TANPHONG_TOKEN_PIN"
# The USB tokens of Vietnamese CAs mostly hold RSA 2048 keys; newer ones and HSMs also EC P-256.
KEYS = {
    "rsa": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
    "ec": lambda: ec.generate_private_key(ec.SECP256R1()),
}


def make_root():
    """A root CA of another name and key than the demo CA's, as a licensed Vietnamese CA's would be."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hai Dong Test Root CA")])
    return key, pki.root_certificate(key, name, days=365)


def issue_certificate(root, public_key) -> x509.Certificate:
    """What the CA issues for a key it was shown (the key itself stays in the token)."""
    root_key, root_certificate = root
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Trung tâm Phục vụ HCC")]))
        .issuer_name(root_certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(pki.key_usage(sign_documents=True), critical=True)
        .sign(root_key, hashes.SHA256())
    )


@pytest.fixture(scope="module")
def token(tmp_path_factory):
    """A SoftHSM token holding an RSA and an EC key, with the certificates a CA issued for them."""
    if SOFTHSM_UTIL is None or MODULE is None:
        message = "SoftHSM not found: `apt-get install softhsm2` runs the PKCS#11 signing test"
        if os.environ.get("MOTCUA_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    config = folder / "softhsm2.conf"
    config.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    # SoftHSM reads it when this process first loads the module: every test here shares this token.
    os.environ["SOFTHSM2_CONF"] = str(config)

    def util(*words):
        subprocess.run([SOFTHSM_UTIL, *words], check=True, capture_output=True)  # noqa: S603

    util("--init-token", "--free", "--label", TOKEN, "--pin", PIN, "--so-pin", "13579246")
    root = make_root()
    root_pem = root[1].public_bytes(serialization.Encoding.PEM)
    (folder / "real-root.pem").write_bytes(root_pem)
    keys = {}
    for number, (kind, generate) in enumerate(KEYS.items(), start=1):
        key = generate()
        key_file = folder / f"{kind}.pem"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        label = f"ky-so-{kind}"
        key_id = f"{number:02x}"
        util("--import", str(key_file), "--token", TOKEN, "--label", label, "--id", key_id, "--pin", PIN)
        key_file.unlink()  # from here on the key exists only inside the token
        certificate = issue_certificate(root, key.public_key())
        pem = (certificate.public_bytes(serialization.Encoding.PEM) + root_pem).decode()
        keys[kind] = {"label": label, "certificate": certificate, "pem": pem}
    yield {"keys": keys, "root_file": folder / "real-root.pem"}
    pki.close_pkcs11_sessions()


def register(token, agency, kind: str) -> SigningCertificate:
    return pki.register_pkcs11(
        agency,
        module_path=MODULE,
        token_label=TOKEN,
        key_label=token["keys"][kind]["label"],
        certificate_pem=token["keys"][kind]["pem"],
        pin_env=PIN_ENV,
    )


@pytest.fixture
def pin(monkeypatch):
    monkeypatch.setenv(PIN_ENV, PIN)


@pytest.fixture
def trusted(token, demo_pki, settings):
    """Verification trusts the CA of the token's certificates (after the demo set-up, which trusts none)."""
    settings.MOTCUA_TRUSTED_ROOTS = str(token["root_file"])


@pytest.mark.parametrize("kind", ["rsa", "ec"])
def test_a_result_is_signed_in_the_token_and_verifies_as_genuine(kind, token, pin, trusted, birth_dossier):
    from pyhanko.pdf_utils.reader import PdfFileReader

    registered = register(token, birth_dossier.agency, kind)
    assert registered.source == CertificateSource.PKCS11 and registered.is_active

    document = issue_result(
        birth_dossier,
        number=RESULT_NUMBER,
        signed_by=build_leader(birth_dossier.agency),
        signer_title="Giám đốc",
        decision_text="Đăng ký khai sinh cho công dân theo tờ khai.",
    )

    assert document.certificate == registered
    signed = selectors.document_bytes(document)
    answer = selectors.verify_pdf(signed)
    assert answer.genuine and answer.reason == Reason.GENUINE, answer
    assert answer.document.verification_code == document.verification_code
    # Signed by the token's key: the certificate in the signature is the one the CA issued for it.
    (signature,) = PdfFileReader(io.BytesIO(signed)).embedded_signatures
    assert signature.signer_cert.sha256.hex() == pki.fingerprint(token["keys"][kind]["certificate"])


def test_a_wrong_pin_is_a_certificate_problem_that_gives_nothing_away(token, birth_dossier, monkeypatch):
    registered = register(token, birth_dossier.agency, "ec")
    pki.close_pkcs11_sessions()  # a session open from another test would not ask for the PIN again
    monkeypatch.setenv(PIN_ENV, "000000")

    with pytest.raises(pki.CertificateProblem, match="could not be opened") as refused:
        pki.load_signer(registered)

    assert "000000" not in str(refused.value)
    assert SigningCertificate.objects.get(pk=registered.pk).is_active  # a PIN typo withdraws nothing
    monkeypatch.setenv(PIN_ENV, PIN)
    assert pki.load_signer(registered) is not None  # the PIN corrected, the next signature works


def test_a_key_missing_from_the_token_fails_the_signature_with_a_reason(token, pin, birth_dossier):
    registered = register(token, birth_dossier.agency, "ec")
    registered.key_label = "khoa-khong-co"  # e.g. the token was swapped for another agency's
    signer = pki.load_signer(registered)

    with pytest.raises(pki.CertificateProblem, match="token refused to sign"):
        pki.sign_pdf(
            selectors.document_bytes(receipt_paper.receipt(birth_dossier)), signer, signer_name="", reason=""
        )
    assert pki._pkcs11_sessions == {}  # the next signature opens a fresh session


def test_threads_of_one_process_sign_with_the_token_one_at_a_time(token, pin, birth_dossier, monkeypatch):
    """PKCS#11 wants one operation at a time on a session; gunicorn's gthread workers share it."""
    import threading
    import time

    from pyhanko.sign.pkcs11 import PKCS11Signer

    from motcua.core.testing import run_threads

    registered = register(token, birth_dossier.agency, "ec")
    signer = pki.load_signer(registered)
    blank = selectors.document_bytes(receipt_paper.receipt(birth_dossier))
    busy, most, guard = [0], [0], threading.Lock()
    real_sign = PKCS11Signer.async_sign_raw

    async def watched(self, *args, **kwargs):
        with guard:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.05)  # a slow USB token: long enough for the other threads to come in
        try:
            return await real_sign(self, *args, **kwargs)
        finally:
            with guard:
                busy[0] -= 1

    monkeypatch.setattr(PKCS11Signer, "async_sign_raw", watched)
    signed = run_threads(4, lambda i: pki.sign_pdf(blank, signer, signer_name="", reason=f"lần {i}"))

    assert most[0] == 1  # never two signatures on the session at once
    assert len({hashlib.sha256(pdf).hexdigest() for pdf in signed}) == 4  # four whole, distinct signatures
