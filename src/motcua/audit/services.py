"""Writes to the audit log (nhật ký). ``record`` is the only way in; nothing is ever changed or removed.

Call it inside the transaction of the change it records, so that both are kept or neither is::

    with transaction.atomic():
        dossier.status = Status.RECEIVED
        dossier.save(update_fields=["status"])
        audit.record("dossier.receive", request=request, target=dossier, target_label=dossier.code)

and call it late in that transaction: from ``record`` until the commit, the transaction holds the lock on
the log's head row, and every other transaction that records anything waits for it.
"""

import math
import re
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from ipaddress import IPv4Address, IPv6Address
from uuid import UUID

from django.db import models, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.functional import Promise

from motcua.core.net import client_ip

from .models import AuditEntry, AuditHead, canonical_ip

ACTION_PATTERN = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
# Whole floats from here up are stored as text: PostgreSQL's jsonb would give them back as another integer.
_EXACT_FLOAT_INT = 2**53

# The client address of the HTTP request this thread is serving (set by signals.py from request_started),
# for entries whose caller has no request at hand, such as those made from Django admin's LogEntry.
current_client_ip: ContextVar[str | None] = ContextVar("motcua_audit_client_ip", default=None)


def _request_user(request):
    # A DRF Request authenticates on first access to .user (and may raise); the HttpRequest under it holds
    # the user DRF found, or the session's.
    http_request = getattr(request, "_request", request)
    user = getattr(http_request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def _text(value, limit: int | None = None) -> str:
    # PostgreSQL refuses NUL characters in text.
    return str(value or "").replace("\x00", "\ufffd")[:limit]


def plain(value):
    """``value`` as JSON-native data that reads back from either database exactly as written (the hash is
    recomputed from what is read back): dates, times and durations as ISO 8601, Decimals and UUIDs as text,
    sets as sorted lists, model instances as ``{"type", "id"}``. Anything else raises TypeError."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Enum):  # TextChoices, IntegerChoices
        return plain(value.value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            return int(value) if abs(value) < _EXACT_FLOAT_INT else repr(value)
        return value
    if isinstance(value, str | Promise):
        return _text(value)
    if isinstance(value, dict):
        return {str(plain(key)): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=repr)
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = value.astimezone(timezone.get_current_timezone())
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, Decimal | UUID | IPv4Address | IPv6Address):
        return str(value)
    if isinstance(value, models.Model):
        return {"type": value._meta.label_lower, "id": str(value.pk)}
    raise TypeError(f"Audit detail values must be JSON data, not {type(value).__name__}: {value!r}")


def _target(target, target_label: str) -> tuple[str, str, str]:
    """(type, id, label) of a model instance or of a ``("app.model", id)`` pair; empty without target."""
    if target is None:
        return "", "", target_label
    if isinstance(target, models.Model):
        return target._meta.label_lower, str(target.pk), target_label or str(target)
    kind, key = target
    return str(kind), str(key), target_label


def record(action: str, *, actor=None, request=None, ip=None, target=None, target_label="", **detail):
    """Append one entry to the audit log and return it.

    ``action``: a dotted lower-case name, ``<area>.<verb>`` (``dossier.submit``, ``auth.login``,
    ``document.download``). ``actor``: who acted; by default the authenticated user of ``request``.
    ``ip``: by default the address of ``request``, else of the HTTP request this thread is serving.
    ``target``: the model instance acted on, or a ``("app.model", id)`` pair; ``target_label`` is what
    people will search for (a dossier code; by default ``str(target)``). The keyword arguments left are the
    entry's ``detail``, converted to JSON data by ``plain``.
    """
    if not ACTION_PATTERN.fullmatch(action) or len(action) > 100:
        raise ValueError(
            f"An audit action is a dotted lower-case name such as 'dossier.submit', not {action!r}."
        )
    if actor is None:
        actor = _request_user(request)
    elif not getattr(actor, "is_authenticated", False):
        actor = None  # AnonymousUser
    target_type, target_id, target_label = _target(target, target_label)
    entry = AuditEntry(
        actor=actor,
        actor_pk=actor.pk if actor is not None else None,
        actor_username=_text(actor.get_username() if actor is not None else "", 150),
        ip=canonical_ip(ip or client_ip(request) or current_client_ip.get()),
        action=action,
        target_type=_text(target_type, 100),
        target_id=_text(target_id, 100),
        target_label=_text(target_label, 255),
        detail=plain(detail),
    )
    # No savepoint: an entry that cannot be written dooms the caller's transaction, as the change it
    # records must not be kept without it (and two queries per entry are saved).
    with transaction.atomic(savepoint=False):
        # The lock is the queue: the next append waits here until this transaction commits or rolls back.
        # (On SQLite the project's IMMEDIATE transactions already let one writer in at a time.)
        head, _created = AuditHead.objects.select_for_update().get_or_create(pk=1)
        entry.seq = head.last_seq + 1
        entry.prev_hash = head.last_hash
        entry.at = timezone.now()  # taken under the lock, so time never runs backwards along the chain
        entry.hash = entry.expected_hash()
        entry.save()
        head.last_seq, head.last_hash = entry.seq, entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def send_anchor(recipients: list[str]):
    """E-mail the head of the log (an anchor, see ``selectors.Anchor``) to ``recipients``, mailboxes the
    database's administrators do not control; returns the anchor, or None while the log is empty."""
    from django.core.mail import send_mail

    from .selectors import current_anchor

    anchor = current_anchor()
    if anchor is None or not recipients:
        return anchor
    send_mail(
        f"Motcua audit anchor #{anchor.seq}",
        "Keep this line; `manage.py verify_audit --anchors FILE` checks the log against it.\n\n"
        f"{anchor.as_line()}\n",
        None,
        recipients,
    )
    return anchor
