"""The VietQR payload: EMVCo fields as NAPAS lays them out, a CRC any bank app recomputes, and refusals."""

import binascii

import pytest

from motcua.payments.contrib.vietqr.payload import PayloadError, VietQR, build, crc16, fields, parse
from motcua.payments.contrib.vietqr.qr import qr_png_data_uri, qr_svg

# 150 000 VND to account 0011004123456 at Vietcombank (BIN 970436), content MC2612070012, written field by
# field from the NAPAS layout; its CRC below comes from binascii, not from the code under test.
BODY = (
    "000201"  # payload format "01"
    "010212"  # dynamic
    "3857" "0010A000000727" "0127" "0006970436" "01130011004123456" "0208QRIBFTTA"
    "5303704"  # VND
    "5406150000"
    "5802VN"
    "6216" "0812MC2612070012"
    "6304"
)  # fmt: skip
KNOWN_GOOD = BODY + f"{binascii.crc_hqx(BODY.encode(), 0xFFFF):04X}"


def test_the_crc_is_crc16_ccitt_false():
    assert crc16(b"123456789") == 0x29B1  # the catalogued check value of CRC-16/CCITT-FALSE
    assert crc16(b"") == 0xFFFF


def test_build_writes_the_known_good_payload():
    assert KNOWN_GOOD.endswith("6F3A")
    assert build(bank_bin="970436", account="0011004123456", amount=150_000, reference="MC2612070012") == (
        KNOWN_GOOD
    )


def test_parse_reads_it_back():
    assert parse(KNOWN_GOOD) == VietQR(
        bank_bin="970436", account="0011004123456", amount=150_000, reference="MC2612070012", dynamic=True
    )
    assert parse(KNOWN_GOOD[:-4] + KNOWN_GOOD[-4:].lower()).amount == 150_000  # hex in either case


@pytest.mark.parametrize(
    "bank_bin, account, amount, reference",
    [
        ("970415", "113366668888", 79_000, "Ung Ho Quy Vac Xin"),
        ("970422", "A1", 1, "X"),
        ("970405", "1" * 19, 9_999_999_999_999, "R" * 25),
    ],
)
def test_parse_of_build_round_trips(bank_bin, account, amount, reference):
    made = build(bank_bin=bank_bin, account=account, amount=amount, reference=reference)
    assert parse(made) == VietQR(bank_bin, account, amount, reference, True)
    assert set(fields(made)) == {"00", "01", "38", "53", "54", "58", "62", "63"}


def test_a_tampered_payload_fails_its_crc():
    tampered = KNOWN_GOOD.replace("5406150000", "5406950000")
    with pytest.raises(PayloadError, match="checksum"):
        parse(tampered)
    with pytest.raises(PayloadError):
        parse(KNOWN_GOOD[:-8])  # no CRC field at all


def test_a_payload_of_another_scheme_is_refused():
    body = BODY.replace("A000000727", "A000000775")  # VNPay-QR's GUID
    with pytest.raises(PayloadError, match="VietQR"):
        parse(body + f"{crc16(body.encode()):04X}")


@pytest.mark.parametrize(
    "change",
    [
        {"bank_bin": "97043"},
        {"bank_bin": "97043X"},
        {"account": ""},
        {"account": "1" * 20},
        {"account": "0011-004"},
        {"amount": 0},
        {"amount": -5},
        {"amount": 1500.5},
        {"amount": True},
        {"reference": ""},
        {"reference": "R" * 26},
        {"reference": "Lệ phí"},
    ],
)
def test_build_validates_its_inputs(change):
    values = {"bank_bin": "970436", "account": "0011004123456", "amount": 150_000, "reference": "MC1"}
    with pytest.raises(PayloadError):
        build(**{**values, **change})


def test_the_qr_images_carry_no_inline_style():
    svg = qr_svg(KNOWN_GOOD)
    assert svg.startswith("<svg") and "vietqr" in svg and "style" not in svg
    assert qr_png_data_uri(KNOWN_GOOD).startswith("data:image/png;base64,")
