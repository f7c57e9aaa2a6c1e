"""What the applicant is told (``dossiers.notices``): one short message per change they have a use for, in
the words of the status, saying what happened and what to do next, with an absolute link to the dossier or
its result; nothing for the agencies' own hand-offs."""

import pytest
from django.utils import translation

from motcua.dossiers import services
from motcua.dossiers.models import DossierStatus
from motcua.notifications.models import Notification

from .test_results import approved, clock, sent, staff, to_approval  # noqa: F401 (fixtures)

S = DossierStatus
SITE = "https://dichvucong.haidong.gov.vn"


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.MOTCUA_PUBLIC_URL = f"{SITE}/"


def told(citizen) -> list[Notification]:
    """The dossier's own messages (the invitation to rate a returned dossier is engagement's)."""
    return list(Notification.objects.filter(recipient=citizen, topic__startswith="dossier.").order_by("id"))


def label(status) -> str:
    with translation.override("vi"):
        return str(S(status).label)


def check(message, dossier, status, *, happened, result=False):
    """Titled by the status's own label; what happened; an absolute link to the dossier (and result)."""
    assert message.title_vi == f"Hồ sơ {dossier.code}: {label(status)}"
    assert f"): {label(status)}." in message.body_vi
    assert happened in message.body_vi
    assert message.body_vi.startswith("Kính gửi ông/bà ")
    assert f"Hồ sơ của ông/bà: {SITE}/ho-so/{dossier.code}/" in message.body_vi
    assert (f"Kết quả: {SITE}/ho-so/{dossier.code}/ket-qua/" in message.body_vi) is result
    assert "đính kèm" not in message.body_vi and "attach" not in message.body_en
    assert len(message.body_vi) < 900, message.body_vi  # a short message, not a form letter


def test_a_granted_dossier_tells_four_things_and_never_says_received_before_it_is(
    sent,  # noqa: F811
    staff,  # noqa: F811
    citizen,
):
    [submitted] = told(citizen)
    check(submitted, sent, S.SUBMITTED, happened="Bộ phận một cửa chưa kiểm tra hồ sơ.")
    assert "tiếp nhận" not in submitted.title_vi and "đã được tiếp nhận" not in submitted.body_vi
    assert "Bộ phận một cửa sẽ kiểm tra giấy tờ" in submitted.body_vi  # what comes next

    dossier = services.receive(sent, by=staff["desk"])
    check(told(citizen)[-1], dossier, S.RECEIVED, happened="đã kiểm tra và tiếp nhận hồ sơ")
    assert "Thời gian hẹn trả kết quả:" in told(citizen)[-1].body_vi  # the date now confirmed

    # The agencies' hand-offs, approval and signature are not the applicant's business: no message.
    dossier = services.assign(dossier, by=staff["leader"], assignee=staff["specialist"].username)
    dossier = services.propose(dossier, by=staff["specialist"])
    dossier = services.approve(dossier, by=staff["leader"], note="Đồng ý")
    assert len(told(citizen)) == 2

    dossier = services.number_result(dossier, by=staff["records"])
    ready = told(citizen)[-1]
    check(ready, dossier, S.RESULT_READY, happened="đã có kết quả", result=True)
    assert "Ông/bà tải kết quả theo đường liên kết" in ready.body_vi

    dossier = services.return_result(dossier, by=staff["desk"], method="online")
    returned = told(citizen)[-1]
    check(returned, dossier, S.RETURNED, happened="Kết quả hồ sơ của ông/bà đã được trả.", result=True)
    assert len(told(citizen)) == 4


def test_a_refusal_says_why_and_what_to_do(sent, staff, citizen):  # noqa: F811
    dossier = services.refuse(sent, by=staff["desk"], note="Thiếu giấy chứng sinh bản chính.")
    message = told(citizen)[-1]
    check(message, dossier, S.REFUSED, happened="không tiếp nhận được hồ sơ")
    assert "Ý kiến của cơ quan: Thiếu giấy chứng sinh bản chính." in message.body_vi
    assert "nộp hồ sơ mới" in message.body_vi


def test_a_supplement_request_says_what_to_do(sent, staff, citizen):  # noqa: F811
    dossier = services.request_supplement(sent, by=staff["desk"], note="Bổ sung bản sao CCCD của mẹ.")
    message = told(citizen)[-1]
    check(message, dossier, S.SUPPLEMENT_REQUESTED, happened="bổ sung hoặc sửa giấy tờ")
    assert "thời hạn giải quyết tạm dừng" in message.body_vi
    assert "Bổ sung bản sao CCCD của mẹ." in message.body_vi


def test_a_payment_request_and_a_stop_say_what_to_do(sent, staff, citizen):  # noqa: F811
    dossier = services.receive(sent, by=staff["desk"])
    dossier = services.assign(dossier, by=staff["leader"], assignee=staff["specialist"].username)
    dossier = services.request_payment(dossier, by=staff["specialist"], note="Lệ phí 8.000 đồng.")
    check(told(citizen)[-1], dossier, S.PAYMENT_REQUESTED, happened="cần nộp phí, lệ phí")
    assert "thanh toán trên trang hồ sơ" in told(citizen)[-1].body_vi
    dossier = services.stop(dossier, by=staff["leader"], note="Người nộp đề nghị dừng.")
    check(told(citizen)[-1], dossier, S.STOPPED, happened="đã bị dừng xử lý")


def test_a_request_not_granted_says_so_and_offers_no_result(sent, staff, citizen):  # noqa: F811
    dossier = services.propose(
        services.assign(
            services.receive(sent, by=staff["desk"]),
            by=staff["leader"],
            assignee=staff["specialist"].username,
        ),
        by=staff["specialist"],
    )
    dossier = services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện.")
    message = told(citizen)[-1]
    check(message, dossier, S.RESULT_READY, happened="quyết định không giải quyết", result=False)
    assert "Không đủ điều kiện." in message.body_vi
