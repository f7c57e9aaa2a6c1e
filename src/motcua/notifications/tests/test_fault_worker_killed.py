"""Fault: a Celery worker killed (SIGKILL) in the middle of sending an e-mail. The task runs again on
another worker, and the e-mail arrives once.

Real processes: redis-server as the broker, Celery workers started as production starts them, an aiosmtpd
server that holds the first message before answering it, long enough for the test to kill the worker.
"""

import asyncio
import signal
import threading
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from django.db import transaction

from motcua.core.tests import processes
from motcua.notifications import services
from motcua.notifications.models import Delivery, DeliveryStatus

from .conftest import SUBMITTED


class StallingMailbox:
    """Keeps what it receives, except the first message: it holds that one without answering until
    ``release`` (the sender is killed meanwhile, so the message is never accepted)."""

    def __init__(self):
        self.messages = []
        self.stalled = threading.Event()
        self.released = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            while not self.released.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 Held by the test"
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def stalling_smtp():
    mailbox = StallingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=processes.free_port())
    controller.start()
    yield mailbox, controller.port
    mailbox.released.set()
    controller.stop()


@pytest.fixture
def redis(tmp_path):
    server = processes.Redis(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def workers(tmp_path):
    """``workers.start(env)`` starts a Celery worker; every one still running is stopped afterwards."""
    started = []

    class Workers:
        def start(self, env):
            started.append(processes.celery_worker(env, tmp_path / f"worker-{len(started)}.log"))
            return started[-1]

    yield Workers()
    for worker in started:
        processes.stop(worker)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_while_sending_is_replaced_and_the_e_mail_arrives_once(
    tmp_path, redis, stalling_smtp, workers, citizen, agency
):
    mailbox, smtp_port = stalling_smtp
    env = processes.child_settings(
        tmp_path,
        MOTCUA_TASKS="celery",
        CELERY_BROKER_URL=redis.url,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=smtp_port,
        EMAIL_TIMEOUT=20,
        # Production's 10 minutes and 1 hour, shortened so that the test takes seconds.
        MOTCUA_NOTIFY_CLAIM_SECONDS=2,
        CELERY_BROKER_TRANSPORT_OPTIONS={
            "visibility_timeout": 2, "unacked_restore_interval": 1, "unacked_restore_throttle": 1,
        },
    )  # fmt: skip
    first = workers.start(env)
    with processes.broker(redis.url):
        with transaction.atomic():
            services.notify(
                topic="dossier.submitted", template="dossier_submitted", context=SUBMITTED,
                recipient=citizen, subject=agency, channels=["email"],
            )  # fmt: skip
        assert mailbox.stalled.wait(30), "the worker did not start sending"
        first.send_signal(signal.SIGKILL)  # in the middle of the SMTP conversation, before any answer
        first.wait(10)
    assert Delivery.objects.get().claimed_at is not None  # the dead worker's claim is left behind

    workers.start(env)
    processes.wait_until(
        lambda: Delivery.objects.filter(status=DeliveryStatus.SENT).exists(), 30, "the e-mail being sent"
    )

    [message] = mailbox.messages
    assert message["To"] == "an@example.vn"
    delivery = Delivery.objects.get()
    assert (
        message["Message-ID"]
        == f"<motcua.{delivery.pk}.{delivery.notification.created_at:%Y%m%d%H%M%S%f}@motcua.local>"
    )
    # The killed try left no record (it never knew its outcome); the second worker's try is the one.
    assert (delivery.attempts, delivery.claimed_at, delivery.last_error) == (1, None, "")
