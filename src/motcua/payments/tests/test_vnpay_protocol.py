"""The VNPay signature, checked against a value computed by hand from the protocol's definition."""

import hashlib
import hmac
from datetime import UTC, datetime

from motcua.payments.contrib.vnpay import protocol


def test_signed_text_sorts_encodes_and_leaves_out_the_signature():
    params = {
        "vnp_TxnRef": "TT-1",
        "vnp_Amount": "1000000",
        "vnp_OrderInfo": "Lệ phí hồ sơ 000.00.12.H26-261207-0001",
        "vnp_SecureHash": "abc",
        "vnp_SecureHashType": "HmacSHA512",
        "other": "ignored",
    }
    assert protocol.signed_text(params) == (
        "vnp_Amount=1000000"
        "&vnp_OrderInfo=L%E1%BB%87+ph%C3%AD+h%E1%BB%93+s%C6%A1+000.00.12.H26-261207-0001"
        "&vnp_TxnRef=TT-1"
    )


def test_sign_is_hmac_sha512_of_the_signed_text_and_verify_accepts_only_it():
    params = {"vnp_TxnRef": "TT-1", "vnp_Amount": "1000000"}
    expected = hmac.new(b"SECRET", b"vnp_Amount=1000000&vnp_TxnRef=TT-1", hashlib.sha512).hexdigest()
    assert protocol.sign(params, "SECRET") == expected
    signed = {**params, "vnp_SecureHash": expected.upper()}
    assert protocol.verify(signed, "SECRET")
    assert not protocol.verify(signed, "OTHER")
    assert not protocol.verify({**signed, "vnp_Amount": "2000000"}, "SECRET")
    assert not protocol.verify(params, "SECRET")


def test_amounts_are_vnd_times_100_and_dates_gmt7():
    assert protocol.to_vnp_amount(25_000) == "2500000"
    assert protocol.from_vnp_amount("2500000") == 25_000
    assert protocol.from_vnp_amount("2500050") is None
    assert protocol.from_vnp_amount("x") is None
    moment = datetime(2026, 12, 7, 2, 30, tzinfo=UTC)
    assert protocol.format_date(moment) == "20261207093000"
    assert protocol.parse_date("20261207093000") == moment


def test_ipn_answers_have_the_documented_codes():
    assert protocol.IpnAnswer.body("02") == {"RspCode": "02", "Message": "Order already confirmed"}


def test_merchant_api_messages_are_signed_over_their_fields_joined_by_pipes():
    values = {name: str(i) for i, name in enumerate(protocol.REFUND_REQUEST_FIELDS)}
    text = "|".join(str(i) for i in range(len(protocol.REFUND_REQUEST_FIELDS)))
    expected = hmac.new(b"S", text.encode(), hashlib.sha512).hexdigest()
    assert protocol.sign_fields(values, protocol.REFUND_REQUEST_FIELDS, "S") == expected
    assert protocol.verify_fields({**values, "vnp_SecureHash": expected}, protocol.REFUND_REQUEST_FIELDS, "S")
    assert not protocol.verify_fields(
        {**values, "vnp_Amount": "9", "vnp_SecureHash": expected}, protocol.REFUND_REQUEST_FIELDS, "S"
    )
