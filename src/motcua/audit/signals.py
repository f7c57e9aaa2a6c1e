"""Audit entries for what Django's admin changes, and the client address of the request being served.

Every add, change and delete in the admin writes one ``LogEntry``; each becomes an ``admin.add``,
``admin.change`` or ``admin.delete`` entry in the same transaction. ``LogEntry`` carries no request, so
the address comes from ``current_client_ip``, set from ``request_started`` (no middleware, so no setting).
"""

import json
from contextlib import contextmanager
from contextvars import ContextVar

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.signals import request_finished, request_started
from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.core.net import environ_client_ip, scope_client_ip

from . import services

ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}

# LogEntry pks recorded while ``watching_admin_log`` is open (see admin.delete_selected).
_recorded: ContextVar[set | None] = ContextVar("motcua_audit_recorded_log_entries", default=None)


@receiver(request_started, dispatch_uid="motcua.audit.request_started")
def remember_client_ip(sender, environ=None, scope=None, **kwargs):
    # WSGI gives the environ, ASGI the scope; either way X-Forwarded-For counts from trusted proxies only.
    ip = environ_client_ip(environ) if environ is not None else scope_client_ip(scope or {})
    services.current_client_ip.set(ip)


@receiver(request_finished, dispatch_uid="motcua.audit.request_finished")
def forget_client_ip(sender, **kwargs):
    services.current_client_ip.set(None)


def record_log_entry(log: LogEntry):
    """The audit entry for one admin ``LogEntry``."""
    try:
        message = json.loads(log.change_message) if log.change_message else []
    except ValueError:  # written by hand as plain text
        message = log.change_message
    content_type = log.content_type
    entry = services.record(
        ADMIN_ACTIONS.get(log.action_flag, "admin.other"),
        actor=log.user,
        target=(
            f"{content_type.app_label}.{content_type.model}" if content_type else "",
            log.object_id or "",
        ),
        target_label=log.object_repr,
        message=message,
        log_entry=log.pk,
    )
    seen = _recorded.get()
    if seen is not None:
        seen.add(log.pk)
    return entry


@receiver(post_save, sender=LogEntry, dispatch_uid="motcua.audit.admin_log_entry")
def audit_admin_log_entry(sender, instance: LogEntry, created: bool, raw: bool = False, **kwargs):
    if created and not raw:
        record_log_entry(instance)


@contextmanager
def watching_admin_log():
    """Collects the pks of LogEntries recorded by the receiver above, for a caller that must record the
    ones it did not see (LogEntries written with bulk_create send no post_save)."""
    token = _recorded.set(set())
    try:
        yield _recorded.get()
    finally:
        _recorded.reset(token)
