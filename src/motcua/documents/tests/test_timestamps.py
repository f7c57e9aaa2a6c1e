"""Results time-stamped by an RFC 3161 time-stamping authority (PAdES B-T) when MOTCUA_TSA_URL names one.

The TSA here is a real HTTP server on 127.0.0.1 that answers time-stamp requests as a TSA does (pyHanko's
own RFC 3161 responder behind it), started by the test and stopped after it.
"""

import datetime
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.utils import timezone

from motcua.documents import pki, selectors
from motcua.documents.models import Document
from motcua.documents.verification import Reason
from motcua.dossiers.tests.paper_fixtures import RESULT_NUMBER, blank_pdf, build_leader, issue_result

pytestmark = pytest.mark.django_db


def tsa_certificate(key, *, root, root_key) -> x509.Certificate:
    """A TSA's certificate: RFC 3161 §2.3 wants the time-stamping extended key usage, alone and critical."""
    now = datetime.datetime.now(datetime.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hai Dong Test TSA")]))
        .issuer_name(root.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(root_key, hashes.SHA256())
    )


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class TimeStampingAuthority:
    """An RFC 3161 TSA over HTTP on loopback, with its own root CA (whose PEM file ``root_file`` is)."""

    def __init__(self, folder):
        from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

        root_key = ec.generate_private_key(ec.SECP256R1())
        tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # the responder signs RSA
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Hai Dong Test TSA Root")])
        root = pki.root_certificate(root_key, root_name, days=30)
        tsa = tsa_certificate(tsa_key, root=root, root_key=root_key)
        self.root_file = folder / "tsa-root.pem"
        self.root_file.write_bytes(root.public_bytes(serialization.Encoding.PEM))
        der_key = tsa_key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        stamper = DummyTimeStamper(
            tsa_cert=asn1(tsa), tsa_key=asn1_keys.PrivateKeyInfo.load(der_key), certs_to_embed=[asn1(root)]
        )
        self.requests = 0
        authority = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server's name for the handler of POST
                body = self.rfile.read(int(self.headers["Content-Length"]))
                authority.requests += 1
                if self.headers.get("Content-Type") != "application/timestamp-query":
                    self.send_error(415)
                    return
                answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsa"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        if self.thread.is_alive():
            self.server.shutdown()
            self.server.server_close()
            self.thread.join(5)


@pytest.fixture
def tsa(tmp_path, settings, demo_pki):
    authority = TimeStampingAuthority(tmp_path)
    settings.MOTCUA_TSA_URL = authority.url
    settings.MOTCUA_TSA_TIMEOUT = 5
    settings.MOTCUA_TRUSTED_ROOTS = [str(authority.root_file)]
    yield authority
    authority.stop()


def issue(dossier) -> Document:
    return issue_result(
        dossier,
        number=RESULT_NUMBER,
        signed_by=build_leader(dossier.agency),
        signer_title="Giám đốc",
        decision_text="Đăng ký khai sinh cho công dân theo tờ khai.",
    )


def test_with_a_tsa_the_result_carries_its_timestamp_and_verification_says_when(tsa, birth_dossier):
    before = timezone.now()
    signed = selectors.document_bytes(issue(birth_dossier))
    first = tsa.requests  # pyHanko's sample token to size the signature, then the real one

    answer = selectors.verify_pdf(signed)
    assert answer.genuine and answer.reason == Reason.GENUINE
    assert answer.timestamped_at is not None
    assert before - datetime.timedelta(seconds=5) <= answer.timestamped_at <= timezone.now()
    pki.sign_pdf(blank_pdf(), pki.signer_for(birth_dossier.agency), signer_name="", reason="")
    assert tsa.requests == first + 1  # the sample is kept: one request per later signature


def test_the_timestamp_shows_on_the_api_and_on_the_page(tsa, birth_dossier, client):
    signed = selectors.document_bytes(issue(birth_dossier))

    upload = io.BytesIO(signed)
    upload.name = "ket-qua.pdf"
    body = client.post("/api/v1/verify/", {"file": upload}).json()
    assert body["genuine"] and body["timestamped_at"] is not None
    upload.seek(0)
    page = client.post("/xac-minh/", {"file": upload}).content.decode()
    assert "Thời điểm ký, được tổ chức cấp dấu thời gian xác nhận" in page


def test_a_timestamp_from_an_untrusted_tsa_vouches_for_no_time(tsa, birth_dossier, settings):
    signed = selectors.document_bytes(issue(birth_dossier))
    settings.MOTCUA_TRUSTED_ROOTS = []  # the TSA's root withdrawn: the agency's signature still stands

    answer = selectors.verify_pdf(signed)
    assert answer.genuine and answer.timestamped_at is None


def test_without_a_tsa_results_are_signed_without_timestamp(birth_dossier, settings, demo_pki):
    settings.MOTCUA_TSA_URL = ""
    answer = selectors.verify_pdf(selectors.document_bytes(issue(birth_dossier)))
    assert answer.genuine and answer.timestamped_at is None


@pytest.mark.parametrize("failure", ["down", "not a tsa"])
def test_a_tsa_that_gives_no_timestamp_stops_the_signature_and_leaves_nothing(failure, tsa, birth_dossier):
    if failure == "down":
        tsa.stop()  # the port is closed: connection refused
    else:  # it answers, with an error page instead of a time-stamp reply
        tsa.server.RequestHandlerClass.do_POST = lambda handler: handler.send_error(500)

    with pytest.raises(pki.CertificateProblem, match="gave no timestamp"):
        issue(birth_dossier)
    assert not Document.objects.filter(kind="result").exists()
