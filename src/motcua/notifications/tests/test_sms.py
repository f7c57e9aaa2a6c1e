"""SMS behind the adapter: the logging backend by default, any gateway by ``MOTCUA_SMS_BACKEND``."""

import logging

import pytest

from motcua.notifications.models import Channel, DeliveryStatus
from motcua.notifications.sms import SmsBackend, SmsError

from .conftest import CODE, submit

pytestmark = pytest.mark.django_db


class BusyGateway(SmsBackend):
    """A gateway that refuses every message."""

    def send(self, phone, text):
        raise SmsError("gateway busy (code 503)")


@pytest.fixture(autouse=True)
def _sms_on(settings):
    settings.MOTCUA_SMS_ENABLED = True
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.haidong.gov.vn"


def test_the_logging_backend_writes_a_short_vietnamese_message_to_the_log(citizen, committed, caplog):
    with caplog.at_level(logging.INFO, logger="motcua.sms"), committed():
        notification = submit(citizen, channels=["sms"])

    text = (
        f"Hồ sơ {CODE}: Mới đăng ký, dự kiến trả 05/03/2026. "
        f"Tra cứu: https://dichvucong.haidong.gov.vn/tra-cuu/?ma={CODE}"
    )
    assert notification.sms_text == text and len(text) <= 160
    [record] = [r for r in caplog.records if r.name == "motcua.sms"]
    assert record.getMessage() == f"SMS to 0912345678: {text}"
    assert notification.deliveries.get().status == DeliveryStatus.SENT


def test_a_gateway_that_refuses_is_a_failed_attempt_retried_later(settings, citizen, committed):
    settings.MOTCUA_SMS_BACKEND = f"{__name__}.BusyGateway"
    with committed():
        notification = submit(citizen)  # nothing raised into the submission

    delivery = notification.deliveries.get(channel=Channel.SMS)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "SmsError: gateway busy (code 503)"
    # The other channels do not wait for the SMS.
    assert notification.deliveries.get(channel=Channel.EMAIL).status == DeliveryStatus.SENT
