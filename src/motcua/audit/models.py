"""The audit log (nhật ký): an append-only, hash-chained record of every sensitive action.

Each ``AuditEntry`` carries the SHA-256 of its own content and of the entry before it (``prev_hash``), so
an edited row no longer matches its hash, and a deleted row leaves a gap in ``seq`` and a link that points
at nothing; ``manage.py verify_audit`` finds both. ``AuditHead`` is the one row that remembers the last
entry: appends lock it, which hands out ``seq`` 1, 2, 3… without gaps and makes rows deleted at the end
visible.

Rows are only ever added by ``services.record``. The model and its queryset refuse updates and deletes, and
database triggers (``triggers.py``, installed by migration 0001) refuse them to raw SQL too.
"""

import hashlib
import ipaddress
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64  # the ``prev_hash`` of entry 1


class AppendOnlyError(Exception):
    """An attempt to change or remove an audit entry."""


def canonical_ip(value) -> str | None:
    """One spelling per address (PostgreSQL's inet rewrites ``2001:0db8::0001`` as ``2001:db8::1``)."""
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(str(value).strip()))
    except ValueError:
        return None


def canonical_time(value) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


class AuditEntryQuerySet(models.QuerySet):
    """Reads only: bulk changes and deletes are refused like the single ones."""

    def update(self, **kwargs):
        # Deleting an account sets ``actor`` to NULL (on_delete=SET_NULL) through this method; the copies
        # kept beside it (``actor_pk``, ``actor_username``) and the hash do not change, so that is allowed.
        if kwargs == {"actor": None}:
            return super().update(**kwargs)
        raise AppendOnlyError("Audit entries cannot be changed.")

    update.alters_data = True

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    delete.alters_data = True
    delete.queryset_only = True

    def _raw_delete(self, using):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def bulk_create(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries are added one by one by motcua.audit.services.record().")

    def bulk_update(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")


class AuditEntry(models.Model):
    """One sensitive action: who (``actor``), when (``at``), from where (``ip``), what (``action`` on
    ``target``, with ``detail``).

    ``action`` is a dotted name, ``<area>.<verb>``: ``auth.login``, ``dossier.submit``,
    ``document.download``, ``admin.change``. ``target_type`` is the model label (``dossiers.dossier``),
    ``target_id`` its primary key as text and ``target_label`` what people search for (the dossier code).
    """

    seq = models.PositiveBigIntegerField(_("number"), primary_key=True, editable=False)
    at = models.DateTimeField(_("at"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        verbose_name=_("actor"),
    )
    # Copies of who acted, covered by the hash: they stay when the account is deleted and ``actor`` empties.
    actor_pk = models.BigIntegerField(_("actor's account number"), null=True, blank=True, editable=False)
    actor_username = models.CharField(_("actor's username"), max_length=150, blank=True, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=100, editable=False)
    target_type = models.CharField(_("target type"), max_length=100, blank=True, editable=False)
    target_id = models.CharField(_("target ID"), max_length=100, blank=True, editable=False)
    target_label = models.CharField(_("target"), max_length=255, blank=True, editable=False)
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-seq"]
        # Related lookups and the deletion collector use the base manager: make it the guarded one.
        base_manager_name = "objects"
        indexes = [
            models.Index(fields=["action", "-seq"], name="audit_action_idx"),
            models.Index(fields=["target_type", "target_id"], name="audit_target_idx"),
            models.Index(fields=["target_label"], name="audit_target_label_idx"),
            models.Index(fields=["actor_username"], name="audit_actor_username_idx"),
            models.Index(fields=["ip"], name="audit_ip_idx"),
            models.Index(fields=["at"], name="audit_at_idx"),
        ]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.target_label}".strip()

    def save(self, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AppendOnlyError("Audit entries cannot be changed.")
        if not self.hash:
            raise AppendOnlyError("Audit entries are added by motcua.audit.services.record().")
        # ``seq`` is set, so without force_insert Django would try an UPDATE first.
        kwargs["force_insert"] = True
        super().save(**kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    delete.alters_data = True

    def canonical(self) -> bytes:
        """What the hash covers: every field but ``hash`` and the ``actor`` link (which empties when the
        account is deleted; ``actor_pk`` keeps its value), as sorted-key compact UTF-8 JSON."""
        payload = {
            "seq": self.seq,
            "at": canonical_time(self.at),
            "actor_pk": self.actor_pk,
            "actor_username": self.actor_username,
            "ip": canonical_ip(self.ip),
            "action": self.action,
            "target_type": self.target_type,
            "target_id": self.target_id,
            "target_label": self.target_label,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return text.encode()

    def expected_hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()


class AuditHead(models.Model):
    """The single row (pk 1) naming the last entry. ``services.record`` locks it to append, so appends
    happen one at a time, and ``verify_audit`` compares it with the last row to see rows deleted at the end.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    last_seq = models.PositiveBigIntegerField(_("last number"), default=0)
    last_hash = models.CharField(_("last hash"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit log head")
        verbose_name_plural = _("audit log head")

    def __str__(self):
        return f"#{self.last_seq} {self.last_hash[:12]}"
