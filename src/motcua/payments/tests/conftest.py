"""Builders for the payments tests: a dossier in processing at the test agency, its staff (a finance officer
included), a VNPay merchant account, and the gateway's side of a callback, signed as VNPay signs it."""

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import OfficerRole
from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload
from motcua.dossiers.tests.test_workflow import Clock
from motcua.payments import services
from motcua.payments.contrib.vnpay import protocol
from motcua.payments.models import GatewayAccount

VN = ZoneInfo("Asia/Ho_Chi_Minh")
SECRET = "TEST-MERCHANT-SECRET-0123456789"
MERCHANT = "THU00001"
RETURN_URL = "http://testserver/thanh-toan/vnpay/tra-ve/"


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def staff(agency):
    roles = (OfficerRole.DESK, OfficerRole.SPECIALIST, OfficerRole.LEADER, OfficerRole.FINANCE)
    return {role: make_officer(f"{role}.thu", agency, role=role) for role in roles}


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data, clock):
    draft = dossier_services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    dossier_services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return dossier_services.submit(draft, by=citizen)


@pytest.fixture
def processing(sent, staff):
    """A dossier received and in the specialist's hands (status 4)."""
    dossier_services.receive(sent, by=staff["desk"])
    return dossier_services.assign(sent, by=staff["leader"], assignee=staff["specialist"].username)


@pytest.fixture
def account(agency, monkeypatch):
    monkeypatch.setenv("MOTCUA_TEST_VNPAY_SECRET", SECRET)
    return GatewayAccount.objects.create(
        agency=agency, gateway="vnpay", merchant_code=MERCHANT, secret_env="MOTCUA_TEST_VNPAY_SECRET",
        config={"payment_url": "https://pay.example.test/vpcpay.html", "api_url": "http://127.0.0.1:9/api"},
    )  # fmt: skip


@pytest.fixture
def owed(processing, staff):
    """The specialist asks for 150,000 đồng: the dossier waits for the payment (status 6)."""
    services.request_charge(processing, by=staff["specialist"], amount=150_000, reason="Lệ phí cấp giấy")
    return processing


@pytest.fixture
def pending(owed, citizen, account):
    payment, _ = services.open_checkout(owed, by=citizen, gateway="vnpay", client_ip="203.0.113.5",
                                        return_url=RETURN_URL)  # fmt: skip
    return payment


def gateway_says(
    payment, *, secret=SECRET, merchant=MERCHANT, response="00", status=None, **overrides
) -> dict:
    """The parameters VNPay sends (IPN and return alike) about ``payment``, signed with ``secret``."""
    params = {
        "vnp_TmnCode": merchant,
        "vnp_Amount": protocol.to_vnp_amount(payment.amount),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": "VNP14226112",
        "vnp_CardType": "ATM",
        "vnp_PayDate": "20260302091500",
        "vnp_OrderInfo": "Thanh toan",
        "vnp_TransactionNo": "14226112",
        "vnp_ResponseCode": response,
        "vnp_TransactionStatus": response if status is None else status,
        "vnp_TxnRef": payment.reference,
        **overrides,
    }
    params["vnp_SecureHashType"] = "HmacSHA512"
    params["vnp_SecureHash"] = protocol.sign(params, secret)
    return params


def query(params: dict) -> str:
    return urlencode(params)


def ipn(payment, kind="ipn", **say):
    params = gateway_says(payment, **say)
    return services.handle_callback("vnpay", params, kind=kind, raw=query(params), client_ip="113.160.92.202")


BANK_BIN, BANK_ACCOUNT, ACCOUNT_NAME = "970436", "0011004455667", "UBND XA THU"


@pytest.fixture
def vietqr_account(agency):
    """The agency's collecting account at Vietcombank, paid into by VietQR transfers."""
    return GatewayAccount.objects.create(
        agency=agency, gateway="vietqr",
        config={"bank_bin": BANK_BIN, "account_number": BANK_ACCOUNT, "account_name": ACCOUNT_NAME},
    )  # fmt: skip


@pytest.fixture
def transfer(owed, citizen, vietqr_account):
    """A pending VietQR payment of the 150,000 đồng the dossier owes."""
    payment, _ = services.open_checkout(owed, by=citizen, gateway="vietqr", return_url=RETURN_URL)
    return payment


def bank_statement(*credits) -> bytes:
    """A bank's CSV statement (title lines above the header, as banks export it) of ``credits``:
    ``(dd/mm/yyyy, amount, description)`` triples."""
    lines = ["SAO KE TAI KHOAN", f"So tai khoan: {BANK_ACCOUNT}", "",
             "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Nội dung"]  # fmt: skip
    for number, (day, amount, description) in enumerate(credits, start=1):
        lines.append(f'{number},{day},FT26{number:06d},,"{amount:,}","{description}"')
    return "\n".join(lines).encode("utf-8-sig")
