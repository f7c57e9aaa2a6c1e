"""The sandbox postal service's protocol (dịch vụ bưu chính thử nghiệm), both sides of it.

Every message is a JSON body (UTF-8) sent by ``POST`` with the header
``X-Postal-Signature: sha256=<hex>``, the HMAC-SHA256 of the exact body bytes keyed with the shared secret
(``MOTCUA_POSTAL_SANDBOX_SECRET``; the demo's is ``motcua-demo-postal-secret``). A receiver computes the same
HMAC over the bytes it received and compares in constant time; anything else is refused with 403.

Booking a parcel: ``POST <sandbox>/buu-chinh/sandbox/api/orders/`` with
``{"reference": "<our parcel id>", "sender": "<agency>", "recipient": {"name", "phone", "address"},
"callback_url": "<our webhook>"}``. The answer is ``201 {"tracking_number": "SB…", "reference"}``; the same
reference booked again answers the same tracking number (``200``), so a retried booking makes no second
parcel. A bad signature answers ``403 {"error": "bad signature"}``; a malformed body ``400``.

Status notices: the sandbox calls ``callback_url`` (``/buu-chinh/sandbox/webhook/`` here) with
``{"tracking_number", "event_id", "status", "occurred_at", "note"}``, signed the same way. ``status`` is one
of ``in_transit``, ``delivered``, ``failed``, ``returned``; ``occurred_at`` an ISO 8601 time with its offset;
``event_id`` is unique per notice, so a notice sent again is recognised. The webhook answers
``200 {"ok": true}`` (a repeat too), ``403`` for a bad signature, ``404`` for an unknown tracking number.
"""

import hashlib
import hmac
import json

HEADER = "X-Postal-Signature"
META_HEADER = "HTTP_X_POSTAL_SIGNATURE"
STATUSES = ("in_transit", "delivered", "failed", "returned")


def sign(body: bytes, secret: str) -> str:
    """The header's value for ``body``."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, signature: str, secret: str) -> bool:
    return bool(secret) and hmac.compare_digest(sign(body, secret), (signature or "").strip())


def encode(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signed_headers(body: bytes, secret: str) -> dict:
    return {"Content-Type": "application/json", HEADER: sign(body, secret)}
