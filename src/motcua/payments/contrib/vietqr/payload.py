"""The VietQR payload: an EMVCo merchant-presented QR of ID-length-value fields, as NAPAS specifies it.

``00`` format "01"; ``01`` "12" (dynamic: one payment, one amount); ``38`` the account (``00`` GUID
``A000000727``, ``01`` = {``00`` the bank's 6-digit BIN, ``01`` the account number}, ``02`` service
``QRIBFTTA``, a transfer to an account); ``53`` currency "704" (VND); ``54`` the amount; ``58`` "VN"; ``62``
additional data, whose ``08`` (purpose of transaction) carries our payment reference; ``63`` the
CRC-16/CCITT-FALSE of everything before its value, "6304" included, as 4 upper-case hex digits.

NAPAS' VietQR leaves out EMVCo's merchant name (59) and city (60) for a transfer to an account: banking apps
show the account holder's name from the bank instead, so they are never written (and ignored when read).
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

GUID = "A000000727"  # NAPAS
SERVICE_ACCOUNT = "QRIBFTTA"  # transfer to an account (QRIBFTTC would be to a card)
FORMAT = "01"
DYNAMIC = "12"
STATIC = "11"
CURRENCY_VND = "704"
COUNTRY = "VN"
REFERENCE_MAX = 25
_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_REFERENCE = re.compile(r"[\x20-\x7e]{1,25}")  # printable ASCII: banking apps drop everything else


class PayloadError(ValueError):
    """A VietQR payload that cannot be built or read; the message says why."""


@dataclass(frozen=True)
class VietQR:
    """What a VietQR payload says: pay ``amount`` VND to ``account`` at the bank ``bank_bin``, quoting
    ``reference``."""

    bank_bin: str
    account: str
    amount: int | None
    reference: str = ""
    dynamic: bool = True


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _bit in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def field(tag: str, value: str) -> str:
    if len(value) > 99:
        raise PayloadError(_("A VietQR field is longer than 99 characters."))
    return f"{tag}{len(value):02d}{value}"


def build(*, bank_bin: str, account: str, amount: int, reference: str) -> str:
    """The payload of a dynamic VietQR asking ``amount`` VND for ``account`` at the bank ``bank_bin``
    (6 digits), with ``reference`` (ASCII, at most 25 characters) as the transfer's content; raises
    PayloadError."""
    if not isinstance(bank_bin, str) or not _BIN.fullmatch(bank_bin):
        raise PayloadError(_("The bank's BIN must be 6 digits."))
    if not isinstance(account, str) or not _ACCOUNT.fullmatch(account):
        raise PayloadError(_("The account number must be 1 to 19 letters or digits."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0 or amount >= 10**13:
        raise PayloadError(_("The amount must be a positive whole number of đồng."))
    if not isinstance(reference, str) or not _REFERENCE.fullmatch(reference):
        raise PayloadError(_("The payment reference must be 1 to 25 ASCII characters."))
    account_info = field("00", bank_bin) + field("01", account)
    body = (
        field("00", FORMAT)
        + field("01", DYNAMIC)
        + field("38", field("00", GUID) + field("01", account_info) + field("02", SERVICE_ACCOUNT))
        + field("53", CURRENCY_VND)
        + field("54", str(amount))
        + field("58", COUNTRY)
        + field("62", field("08", reference))
        + "6304"
    )
    return body + f"{crc16(body.encode('ascii')):04X}"


def fields(text: str) -> dict[str, str]:
    """The ID-length-value fields of ``text`` by ID; raises PayloadError when they do not add up."""
    result, position = {}, 0
    while position < len(text):
        head = text[position : position + 4]
        if len(head) < 4 or not head.isdigit():
            raise PayloadError(_("The QR payload is not a sequence of EMVCo fields."))
        length = int(head[2:])
        value = text[position + 4 : position + 4 + length]
        if len(value) != length:
            raise PayloadError(_("The QR payload is cut short."))
        result[head[:2]] = value
        position += 4 + length
    return result


def parse(payload: str) -> VietQR:
    """What a VietQR ``payload`` says, after its CRC is checked; raises PayloadError."""
    payload = (payload or "").strip()
    if len(payload) < 8 or payload[-8:-4] != "6304":
        raise PayloadError(_("The QR payload has no checksum."))
    try:
        expected = crc16(payload[:-4].encode("ascii"))
    except UnicodeEncodeError:
        raise PayloadError(_("The QR payload is not ASCII.")) from None
    if payload[-4:].upper() != f"{expected:04X}":
        raise PayloadError(_("The QR payload's checksum is wrong: it was changed or misread."))
    top = fields(payload[:-8])
    if top.get("00") != FORMAT or top.get("53") != CURRENCY_VND or top.get("58") != COUNTRY:
        raise PayloadError(_("The QR payload is not a VietQR payment in đồng."))
    merchant = fields(top.get("38", ""))
    if merchant.get("00") != GUID or merchant.get("02") != SERVICE_ACCOUNT:
        raise PayloadError(_("The QR payload is not a VietQR transfer to an account."))
    account = fields(merchant.get("01", ""))
    amount_text = top.get("54")
    if amount_text is not None and not amount_text.isdigit():
        raise PayloadError(_("The QR payload's amount is not a whole number of đồng."))
    if not _BIN.fullmatch(account.get("00", "")) or not _ACCOUNT.fullmatch(account.get("01", "")):
        raise PayloadError(_("The QR payload's bank or account number is not valid."))
    return VietQR(
        bank_bin=account["00"],
        account=account["01"],
        amount=int(amount_text) if amount_text is not None else None,
        reference=fields(top.get("62", "")).get("08", ""),
        dynamic=top.get("01") == DYNAMIC,
    )
