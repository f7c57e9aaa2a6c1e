"""Fault: the mail server is down. The outbox keeps the e-mail, tries again later and later, and sends it
once when the server is back (a real aiosmtpd server, stopped and started again on its port)."""

from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from motcua.core import tasks as core_tasks
from motcua.notifications.models import DeliveryStatus
from motcua.notifications.tasks import send_due_deliveries

from .conftest import submit, time_passes

pytestmark = pytest.mark.django_db


def test_while_smtp_is_down_the_outbox_keeps_the_e_mail_backs_off_and_sends_it_once_it_is_back(
    settings, citizen, smtp_server, committed
):
    smtp_server.controller.stop()  # the mail server goes down

    with committed():
        notification = submit(citizen)  # the submission is not held up by the mail server
    delivery = notification.deliveries.get(channel="email")
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert "ConnectionRefusedError" in delivery.last_error
    waits = [delivery.next_attempt_at - timezone.now()]

    time_passes()  # the retry's minute is over: still down
    with committed():
        assert core_tasks.run_deferred() == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 2)
    waits.append(delivery.next_attempt_at - timezone.now())
    # 1 minute after the first failure, 5 after the second: a server that is down is not hammered.
    assert timedelta(seconds=50) < waits[0] <= timedelta(minutes=1) < waits[1] <= timedelta(minutes=5)

    # The mail server is back, on its address.
    smtp_server.controller = Controller(smtp_server, hostname="127.0.0.1", port=settings.EMAIL_PORT)
    smtp_server.controller.start()
    time_passes()
    with committed():
        assert core_tasks.run_deferred() == 1
        # The sweep (beat, cron) that runs meanwhile finds nothing left to send.
        assert send_due_deliveries(grace_seconds=0) == 0

    [message] = smtp_server.messages
    assert message["To"] == "an@example.vn"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == (DeliveryStatus.SENT, 3, "")
    assert [a.success for a in delivery.attempt_log.all()] == [False, False, True]
