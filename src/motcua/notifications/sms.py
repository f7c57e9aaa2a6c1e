"""SMS (tin nhắn) behind an adapter, so that a province can plug in its telecom's gateway.

A backend is a class with ``send(phone, text)`` that returns on success and raises ``SmsError`` (or any
exception) on failure; the outbox logs the error and retries. ``MOTCUA_SMS_BACKEND`` names the class; the
default only writes each message to the ``motcua.sms`` log, for development and demonstrations.

A gateway that takes a client reference (most do, to drop a repeated request) overrides ``send_once``: the
outbox passes each delivery's own key, the same at every try, so that a try repeated after an unknown
outcome (a worker killed before it recorded the gateway's answer) does not send a second SMS.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

DEFAULT_BACKEND = "motcua.notifications.sms.LoggingSmsBackend"


class SmsError(Exception):
    """The gateway did not accept the message; the text is kept as the attempt's error."""


class SmsBackend:
    """Base class of SMS gateways."""

    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError

    def send_once(self, phone: str, text: str, *, key: str) -> None:
        """Send, with ``key`` as the gateway's idempotency key where it has one; by default plain ``send``."""
        self.send(phone, text)


class LoggingSmsBackend(SmsBackend):
    """Writes the message to the ``motcua.sms`` log and sends nothing."""

    logger = logging.getLogger("motcua.sms")

    def send(self, phone: str, text: str) -> None:
        self.logger.info("SMS to %s: %s", phone, text)


def get_backend() -> SmsBackend:
    return import_string(getattr(settings, "MOTCUA_SMS_BACKEND", "") or DEFAULT_BACKEND)()
