"""The sandbox gateway's test merchant: signs payment requests with ``protocol``, as a merchant's site does,
and a tiny IPN server on 127.0.0.1 that checks the signature and answers as a merchant would."""

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from motcua.payments.contrib.vnpay import protocol

MERCHANT = "MOTCUA01"
SECRET = "MOTCUA-SANDBOX-DEMO-SECRET"
RETURN_URL = "https://merchant.example/thanh-toan/sandbox/tra-ve/"


@pytest.fixture(autouse=True)
def _sandbox_on(settings):
    settings.MOTCUA_PAYMENT_SANDBOX = True
    settings.MOTCUA_PAYMENT_SANDBOX_MERCHANT = MERCHANT
    settings.MOTCUA_PAYMENT_SANDBOX_SECRET = SECRET


def pay_params(txn_ref="HS-0001", amount=150_000, *, expire_in=timedelta(minutes=15), **extra) -> dict:
    """A merchant's payment request for ``amount`` VND, signed with the demo secret."""
    now = timezone.now()
    params = {
        "vnp_Version": "2.1.0",
        "vnp_Command": "pay",
        "vnp_TmnCode": MERCHANT,
        "vnp_Amount": protocol.to_vnp_amount(amount),
        "vnp_CurrCode": "VND",
        "vnp_TxnRef": txn_ref,
        "vnp_OrderInfo": f"Le phi ho so {txn_ref}",
        "vnp_OrderType": "other",
        "vnp_Locale": "vn",
        "vnp_ReturnUrl": RETURN_URL,
        "vnp_IpAddr": "127.0.0.1",
        "vnp_CreateDate": protocol.format_date(now),
        "vnp_ExpireDate": protocol.format_date(now + expire_in),
    }
    params.update(extra)
    params = {name: value for name, value in params.items() if value is not None}
    params["vnp_SecureHash"] = protocol.sign(params, SECRET)
    return params


def pay_url(params: dict) -> str:
    return (
        "/thanh-toan/sandbox/cong/?"
        + protocol.signed_text(params)
        + "&vnp_SecureHash="
        + params["vnp_SecureHash"]
    )


def query_of(location: str) -> dict:
    return dict(parse_qsl(urlsplit(location).query))


class IpnMerchant:
    """What the tiny IPN server received, and what it answers next (``answers``, then 00 or 02)."""

    def __init__(self):
        self.received: list[dict] = []
        self.answers: list[str] = []
        self.url = ""


@pytest.fixture
def ipn_merchant(settings):
    merchant = IpnMerchant()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            params = dict(parse_qsl(urlsplit(self.path).query))
            merchant.received.append(params)
            if not protocol.verify(params, SECRET):
                code = protocol.IpnAnswer.INVALID_SIGNATURE
            elif merchant.answers:
                code = merchant.answers.pop(0)
            else:
                code = protocol.IpnAnswer.CONFIRMED if len(merchant.received) == 1 else "02"
            body = json.dumps(protocol.IpnAnswer.body(code)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    merchant.url = f"http://127.0.0.1:{server.server_address[1]}/thanh-toan/sandbox/ipn/"
    settings.MOTCUA_PAYMENT_SANDBOX_IPN_URL = merchant.url
    yield merchant
    server.shutdown()
    server.server_close()
