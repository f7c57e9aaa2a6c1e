import socket
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from motcua.accounts.models import User
from motcua.catalog.tests.factories import make_agency
from motcua.core import tasks as core_tasks
from motcua.notifications import services
from motcua.notifications.models import Delivery, DeliveryStatus

from . import attachments

CODE = "000.00.12.H26-260302-0001"
DUE_AT = datetime(2026, 3, 5, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
SUBMITTED = {
    "code": CODE,
    "procedure_name": "Thủ tục đăng ký khai sinh",
    "agency_name": "UBND xã Tân Phong",
    "applicant_name": "Nguyễn Văn An",
    "submitted_at": datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    "due_at": DUE_AT,
    "due_is_provisional": True,
    "tracking_url": f"/tra-cuu/?ma={CODE}",
    # The dossier app passes its status's label, lazily (rendered in each language).
    "status_label": gettext_lazy("Newly submitted"),
}


@pytest.fixture(autouse=True)
def _fresh_state():
    # Each test starts in the default language, with no retry left over from another test.
    core_tasks.deferred.clear()
    attachments.flaky["failures"] = 0
    with translation.override("vi"):
        yield
    core_tasks.deferred.clear()


@pytest.fixture
def citizen(db):
    return User.objects.create_user(
        "030090012345",
        email="an@example.vn",
        phone="0912345678",
        full_name="Nguyễn Văn An",
        email_verified_at=timezone.now(),
    )  # no password: hashing one costs more than the whole test; fmt: skip


@pytest.fixture
def other_citizen(db):
    return User.objects.create_user("030301004567", email="binh@example.vn", full_name="Trần Thị Bình")


@pytest.fixture
def agency(db):
    """Stands in for the dossier a notification is about: any model instance will do."""
    return make_agency(code="000.00.12.H26", slug="ubnd-xa-tan-phong", name="UBND xã Tân Phong")


def submit(recipient=None, *, about=None, receipt="receipt", **changes):
    """What the dossier app does when a dossier is submitted."""
    arguments = {
        "topic": "dossier.submitted",
        "template": "dossier_submitted",
        "context": SUBMITTED,
        "recipient": recipient,
        "subject": about,
        "link": f"/ho-so/{CODE}/",
        "attachments": [(f"test.{receipt}", [CODE])],
    }
    return services.notify(**{**arguments, **changes})


class Mailbox:
    """An aiosmtpd handler that keeps what it receives, or refuses it with ``refuse`` ("554 …")."""

    def __init__(self):
        self.messages = []
        self.refuse = ""

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return self.refuse
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on 127.0.0.1 that the project's SMTP backend sends to."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    mailbox.controller = controller  # a test may stop it (and start another on its port)
    yield mailbox
    if mailbox.controller._thread is not None:
        mailbox.controller.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): …``: the block's transaction commits, so the tasks it queued run (eager mode).

    pytest-django wraps each test in a transaction that never commits; this runs its on-commit callbacks.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


def time_passes(hours: float = 1) -> None:
    """Every pending delivery's next try comes ``hours`` sooner: the tests do not sleep for the backoff."""
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(
        next_attempt_at=F("next_attempt_at") - timedelta(hours=hours)
    )
