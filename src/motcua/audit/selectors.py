"""Reads of the audit log: the chain check behind ``manage.py verify_audit``, and the admin's searches."""

from dataclasses import dataclass

from django.core.cache import cache
from django.db import models
from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import GENESIS_HASH, AuditEntry, AuditHead, canonical_ip

BATCH_SIZE = 2000
ACTION_PREFIXES_CACHE_KEY = "motcua.audit.action-prefixes"


@dataclass(frozen=True)
class ChainCheck:
    """The result of ``verify_chain``: how many entries were checked and, when the chain is broken, the
    first place where it is (``problem`` is one of ``PROBLEMS``, ``seq`` the entry concerned)."""

    count: int
    message: str
    problem: str = ""
    seq: int | None = None

    PROBLEMS = ("changed", "missing", "relinked", "truncated", "head_mismatch", "head_missing", "beyond_head")

    @property
    def ok(self) -> bool:
        return not self.problem


def verify_chain(*, batch_size: int = BATCH_SIZE) -> ChainCheck:
    """Walk the log in ``seq`` order, ``batch_size`` rows at a time (keyset pagination: memory stays flat
    on millions of rows), recompute every hash and stop at the first broken link.

    The head is read first and only entries up to it are walked, so appends made meanwhile are left for
    the next run instead of looking like rows beyond the head.
    """
    head = AuditHead.objects.filter(pk=1).first()
    expected, prev_hash, count = 1, GENESIS_HASH, 0
    while True:
        rows = AuditEntry.objects.filter(seq__gte=expected).order_by("seq")
        if head is not None:
            rows = rows.filter(seq__lte=head.last_seq)
        batch = list(rows[:batch_size])
        for entry in batch:
            if entry.seq != expected:
                return _broken(
                    count,
                    "missing",
                    expected,
                    _("Entry %(seq)s is missing (deleted): entry %(next)s comes right after entry %(prev)s.")
                    % {"seq": expected, "next": entry.seq, "prev": expected - 1},
                )
            if entry.prev_hash != prev_hash:
                return _broken(
                    count,
                    "relinked",
                    entry.seq,
                    _(
                        "Entry %(seq)s does not follow entry %(prev)s: its previous hash is not the hash of "
                        "entry %(prev)s (that entry was changed, or replaced)."
                    )
                    % {"seq": entry.seq, "prev": entry.seq - 1},
                )
            if entry.hash != entry.expected_hash() or entry.actor_id not in (None, entry.actor_pk):
                return _broken(
                    count,
                    "changed",
                    entry.seq,
                    _("Entry %(seq)s was changed: its content no longer matches its hash.")
                    % {"seq": entry.seq},
                )
            count += 1
            expected += 1
            prev_hash = entry.hash
        if len(batch) < batch_size:
            break

    if head is None:
        if count:
            return _broken(
                count,
                "head_missing",
                None,
                _("The head of the log is missing although %(count)s entries exist.") % {"count": count},
            )
        return _intact(0)
    if count < head.last_seq:
        return _broken(
            count,
            "truncated",
            expected,
            _("Entries %(first)s to %(last)s are missing (deleted at the end of the log).")
            % {"first": expected, "last": head.last_seq},
        )
    if prev_hash != head.last_hash:
        return _broken(
            count,
            "head_mismatch",
            head.last_seq,
            _("The head of the log does not match entry %(seq)s: the last entry was changed or replaced.")
            % {"seq": head.last_seq},
        )
    # Read the newest entry before the head again: a legitimate append moves both in one transaction.
    newest = AuditEntry.objects.aggregate(newest=Max("seq"))["newest"] or 0
    head_now = AuditHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
    if newest > head_now:
        return _broken(
            count,
            "beyond_head",
            head_now + 1,
            _("Entry %(seq)s lies beyond the head of the log (%(head)s): the audit service did not write it.")
            % {"seq": newest, "head": head_now},
        )
    return _intact(count)


def _intact(count: int) -> ChainCheck:
    message = ngettext("%(count)s entry, chain intact.", "%(count)s entries, chain intact.", count) % {
        "count": count
    }
    return ChainCheck(count=count, message=message)


def _broken(count: int, problem: str, seq: int | None, message: str) -> ChainCheck:
    return ChainCheck(count=count, message=message, problem=problem, seq=seq)


def entries_for(target: models.Model) -> QuerySet[AuditEntry]:
    """What was done to one object (a dossier's trail, who viewed a citizen's record), newest first."""
    return AuditEntry.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


def search(queryset: QuerySet[AuditEntry], term: str) -> QuerySet[AuditEntry]:
    """Entries whose actor's username, target label or target ID is exactly ``term``, or whose IP
    address it is. Exact matches only: each is one index lookup, where a "contains" search would read
    every row of a log that grows without end."""
    term = term.strip()
    if not term:
        return queryset
    condition = Q(actor_username=term) | Q(target_label=term) | Q(target_id=term)
    ip = canonical_ip(term)
    if ip is not None:  # PostgreSQL's inet column refuses a comparison with text that is not an address
        condition |= Q(ip=ip)
    return queryset.filter(condition)


def action_prefixes() -> list[str]:
    """The areas that actions are recorded under (``auth``, ``admin``, ``dossier``…), for the admin's
    filter. Finding them reads the whole action index, so the answer is cached for a few minutes."""

    def find():
        actions = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
        return sorted({action.split(".", 1)[0] for action in actions})

    return cache.get_or_set(ACTION_PREFIXES_CACHE_KEY, find, 600)
