"""Scheduled work of the audit log (Celery beat in production; ``manage.py audit_anchor --email`` from cron
otherwise)."""

import logging

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="motcua.audit.send_anchor", ignore_result=True)
def send_anchor() -> int | None:
    """Mail the log's head to MOTCUA_AUDIT_ANCHOR_EMAILS (daily); returns the anchored entry's number."""
    recipients = list(getattr(settings, "MOTCUA_AUDIT_ANCHOR_EMAILS", []) or [])
    if not recipients:
        logger.info("No MOTCUA_AUDIT_ANCHOR_EMAILS: the audit log's head is not anchored anywhere")
        return None
    anchor = services.send_anchor(recipients)
    return anchor.seq if anchor else None
