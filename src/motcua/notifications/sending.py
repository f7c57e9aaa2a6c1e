"""One try of one delivery, by its channel. A failure raises; ``tasks.send_delivery`` logs it and retries."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from . import attachments, sms
from .models import Channel, Delivery
from .rendering import email_subject, email_text

# Django's SMTP backend waits forever by default; a hung server must end as a failed attempt instead.
DEFAULT_EMAIL_TIMEOUT = 30


def send(delivery: Delivery) -> None:
    SENDERS[delivery.channel](delivery)


def send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    files = make_attachments(delivery.attachments)
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_EMAIL_TIMEOUT)
    message = EmailMultiAlternatives(
        subject=email_subject(notification),
        body=email_text(notification, attached=[name for name, _content, _type in files]),
        to=[notification.email],
        connection=connection,
        # RFC 3834: out-of-office robots must not answer a machine. The Message-ID is the delivery's own,
        # the same at every try: a try repeated after an unknown outcome (a worker killed between the
        # server's "250" and the record of it) is the same message to the mail system, which drops it.
        headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id(delivery)},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    for filename, content, mimetype in files:
        message.attach(filename, content, mimetype)
    message.send()


def message_id(delivery: Delivery) -> str:
    """``<motcua.<delivery>.<when the notification was made>@<the sender's domain>>``: stable, unique."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "motcua.local"
    made = delivery.notification.created_at
    return f"<motcua.{delivery.pk}.{made:%Y%m%d%H%M%S%f}@{domain}>"


def send_sms(delivery: Delivery) -> None:
    notification = delivery.notification
    backend = sms.get_backend()
    text = notification.sms_text or notification.title_vi
    if hasattr(backend, "send_once"):
        backend.send_once(notification.phone, text, key=message_id(delivery).strip("<>"))
    else:  # a gateway class written before idempotency keys
        backend.send(notification.phone, text)


def send_in_app(delivery: Delivery) -> None:
    """Nothing to carry: the notification row is the message the inbox shows."""


SENDERS = {Channel.EMAIL: send_email, Channel.SMS: send_sms, Channel.IN_APP: send_in_app}


def make_attachments(specs) -> list[tuple[str, bytes, str]]:
    """Make each ``[name, args]`` with its registered maker (``attachments``); None makes no file."""
    files = []
    for name, args in specs:
        made = attachments.make(name, args)
        if made is not None:
            filename, content, mimetype = made
            files.append((filename, content, mimetype))
    return files
