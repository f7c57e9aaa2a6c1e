"""E-mail through a real SMTP server: sent after the commit, retried when refused, given up in the end."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.core import tasks as core_tasks
from motcua.notifications.models import Delivery, DeliveryStatus
from motcua.notifications.rendering import EMAIL_SEPARATOR

from .attachments import RECEIPT
from .conftest import CODE, submit, time_passes

pytestmark = pytest.mark.django_db


def plain_text(message) -> str:
    return message.get_body(preferencelist=["plain"]).get_content().replace("\r\n", "\n")


REFUSAL = "554 5.3.0 Mailbox service unavailable for the test"


def test_a_submission_is_e_mailed_in_both_languages_with_its_receipt(
    settings, citizen, smtp_server, committed
):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.haidong.gov.vn/"
    with committed():
        submit(citizen)

    [message] = smtp_server.messages
    assert message["To"] == "an@example.vn"
    # strip(): Python's parser keeps the space of the folded first line of Django's encoded subject.
    assert message["Subject"].strip() == f"Hồ sơ {CODE}: Mới đăng ký / Dossier {CODE}: Newly submitted"
    assert message["Auto-Submitted"] == "auto-generated"
    vietnamese, english = plain_text(message).split(EMAIL_SEPARATOR)
    assert vietnamese.startswith("Kính gửi ông/bà Nguyễn Văn An,")
    assert f"Hồ sơ {CODE} (“Thủ tục đăng ký khai sinh”, UBND xã Tân Phong): Mới đăng ký." in vietnamese
    assert (
        "Thời gian hẹn trả kết quả: 09:00 05/03/2026 (dự kiến, được xác nhận khi cán bộ tiếp nhận hồ sơ)\n"
    ) in vietnamese
    # The e-mail, not the text shared with the inbox, names the files it carries.
    assert f"Tệp đính kèm thư này: giay-tiep-nhan-{CODE}.pdf." in vietnamese
    assert f"Attached to this e-mail: giay-tiep-nhan-{CODE}.pdf." in english
    assert f"https://dichvucong.haidong.gov.vn/tra-cuu/?ma={CODE}" in vietnamese
    assert vietnamese.strip().endswith(
        "Cổng Dịch vụ công tỉnh Hải Đông\nThư này được gửi tự động. Đề nghị ông/bà không trả lời thư này."
    )
    assert english.strip().startswith("Dear Nguyễn Văn An,")
    assert "Appointment to return the result: 09:00 05/03/2026" in english
    assert english.strip().endswith("This message was sent automatically. Please do not reply to it.")
    [receipt] = message.iter_attachments()
    assert receipt.get_filename() == f"giay-tiep-nhan-{CODE}.pdf"
    assert receipt.get_content_type() == "application/pdf"
    assert receipt.get_content() == RECEIPT + CODE.encode()

    delivery = Delivery.objects.get(channel="email")
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 1, "")
    assert [attempt.success for attempt in delivery.attempt_log.all()] == [True]


def test_a_refused_e_mail_is_logged_and_sent_by_the_retry_once_the_server_takes_it(
    citizen, smtp_server, committed
):
    smtp_server.refuse = REFUSAL
    with committed():
        notification = submit(citizen)  # the submission goes through: nothing is raised

    delivery = notification.deliveries.get(channel="email")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "554" in delivery.last_error and "unavailable for the test" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)  # 1 minute after the failure
    [attempt] = delivery.attempt_log.all()
    assert not attempt.success and attempt.error == delivery.last_error
    assert smtp_server.messages == [] and len(core_tasks.deferred) == 1

    smtp_server.refuse = ""
    time_passes()
    with committed():
        assert core_tasks.run_deferred() == 1

    assert len(smtp_server.messages) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 2, "")
    assert [attempt.success for attempt in delivery.attempt_log.all()] == [False, True]


def test_a_retry_that_runs_early_waits_and_the_sweep_sends_it_when_due(citizen, smtp_server, committed):
    from motcua.notifications.tasks import send_due_deliveries

    smtp_server.refuse = REFUSAL
    with committed():
        submit(citizen)
    smtp_server.refuse = ""
    with committed():
        core_tasks.run_deferred()  # the timer fired before the minute was over (clock skew between workers)
    assert smtp_server.messages == []
    assert Delivery.objects.get(channel="email").attempts == 1

    time_passes()
    with committed():
        assert send_due_deliveries() == 1
    assert len(smtp_server.messages) == 1


def test_after_the_last_attempt_the_delivery_has_failed_and_is_left_alone(
    settings, citizen, smtp_server, committed
):
    from motcua.notifications.tasks import send_due_deliveries

    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 3
    smtp_server.refuse = REFUSAL
    with committed():
        submit(citizen)
    for _ in range(2):
        time_passes(hours=24)
        with committed():
            core_tasks.run_deferred()

    delivery = Delivery.objects.get(channel="email")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 3)
    assert [attempt.success for attempt in delivery.attempt_log.all()] == [False, False, False]
    assert core_tasks.deferred == []  # no further retry is planned
    smtp_server.refuse = ""
    with committed():
        assert send_due_deliveries(grace_seconds=0) == 0
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_is_a_failed_attempt_too(settings, citizen, smtp_server, committed):
    settings.EMAIL_PORT = 9  # nothing listens on the discard port of 127.0.0.1
    with committed():
        submit(citizen)
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == DeliveryStatus.PENDING and "ConnectionRefusedError" in delivery.last_error
