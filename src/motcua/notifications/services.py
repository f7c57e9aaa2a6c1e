"""Writes of notifications: ``notify`` puts a message in the outbox within the caller's transaction; the
inbox marks messages read; the admin retries deliveries. Sending itself is ``tasks.send_delivery``."""

import json
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from motcua.core.tasks import enqueue

from . import attachments, rendering, selectors, tasks
from .models import Channel, Delivery, DeliveryAttempt, DeliveryStatus, Notification

logger = logging.getLogger(__name__)


def sms_enabled() -> bool:
    # Off unless the operator turns it on: every SMS costs money, and e-mail and the inbox say the same.
    return bool(getattr(settings, "MOTCUA_SMS_ENABLED", False))


def notify(
    *,
    topic: str,
    template: str,
    context: dict,
    recipient=None,
    email: str = "",
    phone: str = "",
    subject=None,
    link: str = "",
    attachments: Iterable = (),
    channels: Iterable[str] | None = None,
) -> Notification | None:
    """Tell one person something (gửi thông báo), by every channel they can be reached on.

    Renders ``notifications/<template>/`` in Vietnamese and in English now, and writes the notification and
    one delivery per channel in the caller's transaction: if the caller's change rolls back, nothing is
    left and nothing is sent. Each delivery is sent by a task after the commit and retried on failure, so a
    mail server that is down never fails the caller. Returns the notification, or None when the person
    cannot be reached at all (no account, no e-mail, no phone).

    - ``topic``: what happened, as ``"<app>.<event>"``, e.g. ``"dossier.submitted"``.
    - ``recipient``: the user whose inbox gets it (None for an applicant without an account).
    - ``email``, ``phone``: where to write; default: the recipient's. Copied now, so a later change of
      contact details does not redirect it. An invalid e-mail address is left out (and logged).
    - ``subject``: the model instance it is about (e.g. the dossier): kept as label and key, no foreign key.
    - ``link``: a path on the portal (``"/ho-so/ABC/"``); the templates get it as ``link`` and as
      ``link_url``, the absolute URL (``MOTCUA_PUBLIC_URL``), for e-mails.
    - ``attachments``: ``[("dossier.receipt", [json, args]), …]``: files made when the e-mail is sent
      (rendering a PDF must not slow the request) by the maker registered under that name (see
      ``attachments``). A maker that raises is a failed attempt, retried like an SMTP error. E-mail only,
      and only to an address the recipient has verified (or to a person without an account): otherwise
      left out.
    - ``channels``: limit to some of ``"in_app"``, ``"email"``, ``"sms"``. By default: in-app when there is
      a recipient, e-mail when there is an address, SMS when there is a phone and ``MOTCUA_SMS_ENABLED``.

    Every template gets ``site_name``, ``site_url``, ``link`` and ``link_url`` besides ``context``. Give
    labels that must follow the language as lazy strings (e.g. ``Dossier.Status(d.status).label``), since
    ``get_status_display()`` is already in one language.
    Mistakes of the caller (an unknown template or channel, an off-site link, attachment arguments that
    are not JSON) raise before anything is written. The templates provided here and their context:

    ``dossier_submitted``: ``code``, ``procedure_name``, ``agency_name``, ``status_label`` (the status it
    was sent in), ``due_at`` (aware datetime, the appointment), ``tracking_url`` (a path or URL of the
    tracking page); optional ``applicant_name``, ``due_is_provisional`` (an online dossier's date until an
    officer accepts it), ``lookup_key`` (the key printed on the receipt), ``happened`` and ``next_step``
    (what happened and what to do next, lazy strings).

    ``dossier_status_changed``: ``code``, ``procedure_name``, ``status_label``, ``happened``, ``next_step``;
    optional ``note`` (the officer's words), ``applicant_name``, ``due_at`` (the appointment, shown once
    confirmed), ``result_url`` (the absolute address of the result to download). The link to the dossier
    comes from ``link``. Texts are short: what happened, what to do next, the links.
    """
    if not topic:
        raise ValueError("A notification needs a topic.")
    if link and (not link.startswith("/") or link.startswith("//")):
        # The inbox puts it in an href: only the portal's own pages, never another site or a script.
        raise ValueError(f"A notification link is a path on the portal, not {link!r}.")
    email = _usable_email(email or getattr(recipient, "email", ""))
    phone = (phone or getattr(recipient, "phone", "") or "").strip()
    chosen = _channels(recipient=recipient, email=email, phone=phone, only=channels)
    if not chosen:
        logger.info("Notification %s not made: the person has no account, e-mail or phone", topic)
        return None
    files = _checked_attachments(attachments) if Channel.EMAIL in chosen else []
    if files and not _may_carry_files(recipient, email):
        # The files hold personal data (a receipt names the applicant, their ID and address): a typo in an
        # address never checked would hand them to a stranger. The e-mail still goes, pointing to the portal.
        logger.info("Notification %s: attachments left out, the address is not verified", topic)
        files = []
    # One text for the inbox and the e-mail: it never mentions files (the inbox has none); the e-mail
    # names those it carries below the text (``rendering.email_text``).
    text = rendering.render(template, context, link=link, sms=Channel.SMS in chosen)
    now = timezone.now()
    with transaction.atomic():
        notification = Notification.objects.create(
            recipient=recipient,
            email=email,
            phone=phone,
            topic=topic,
            subject_type=subject._meta.label_lower if subject is not None else "",
            subject_id=str(subject.pk) if subject is not None else "",
            title_vi=text.title_vi,
            title_en=text.title_en,
            body_vi=text.body_vi,
            body_en=text.body_en,
            body_html=text.body_html,
            sms_text=text.sms_text,
            link=link,
            created_at=now,
        )
        for channel in chosen:
            if channel == Channel.IN_APP:
                # The row just written is the message: delivered as the transaction commits.
                delivery = Delivery.objects.create(
                    notification=notification, channel=channel, status=DeliveryStatus.SENT, attempts=1,
                    sent_at=now, next_attempt_at=now,
                )  # fmt: skip
                DeliveryAttempt.objects.create(delivery=delivery, at=now, success=True)
                continue
            delivery = Delivery.objects.create(
                notification=notification,
                channel=channel,
                next_attempt_at=now,
                attachments=files if channel == Channel.EMAIL else [],
            )
            enqueue(tasks.send_delivery, delivery.pk)
    return notification


def mark_read(user, notification_id: int) -> Notification:
    """Mark one message of ``user``'s inbox read; raises Notification.DoesNotExist for anyone else's."""
    notification = selectors.inbox(user).get(pk=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(user) -> int:
    """Mark every unread message of ``user``'s inbox read; returns how many were unread."""
    unread = selectors.inbox(user).filter(read_at__isnull=True).values("pk")
    return Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())


def retry_now(delivery_ids: Iterable[int]) -> int:
    """Try these deliveries again at once (the admin's "retry now"); returns how many were queued.

    A delivery that gave up gets one more try (it gives up again if that fails); sent ones are left alone.
    """
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(pk__in=list(delivery_ids))
            .exclude(status=DeliveryStatus.SENT)
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=ids).update(status=DeliveryStatus.PENDING, next_attempt_at=now)
        for delivery_id in ids:
            enqueue(tasks.send_delivery, delivery_id)
    return len(ids)


def _usable_email(email: str) -> str:
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        logger.warning("Notification e-mail left out: the address is not valid")
        return ""
    return email


def _may_carry_files(recipient, email: str) -> bool:
    """Whether an e-mail to ``email`` may carry files: an account's address once verified, or an address
    given for a person without an account (written down by the officer at the desk, who saw them)."""
    if recipient is None:
        return True
    own = (getattr(recipient, "email", "") or "").strip().lower()
    return bool(getattr(recipient, "email_verified", False)) and own == email.strip().lower()


def _channels(*, recipient, email: str, phone: str, only) -> list[str]:
    reachable = []
    if recipient is not None:
        reachable.append(Channel.IN_APP)
    if email:
        reachable.append(Channel.EMAIL)
    if phone and sms_enabled():
        reachable.append(Channel.SMS)
    if only is None:
        return reachable
    only = set(only)
    unknown = only - set(Channel.values)
    if unknown:
        raise ValueError(f"Unknown notification channels: {sorted(unknown)}")
    return [channel for channel in reachable if channel in only]


def _checked_attachments(specs) -> list[list]:
    """``[[name, [args]], …]`` as stored; a wrong shape or an unknown maker is the caller's bug, raised
    before any write."""
    checked = []
    for item in specs:
        name, args = item
        if not isinstance(name, str) or not isinstance(args, list | tuple):
            raise TypeError(f"An attachment is (maker's name, [arguments]), not {item!r}.")
        if not attachments.is_registered(name):
            raise ValueError(f"No attachment maker is registered as {name!r}.")
        checked.append([name, list(args)])
    json.dumps(checked)  # the arguments must survive the JSON column: pks and strings, not objects
    return checked
