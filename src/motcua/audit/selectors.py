"""Reads of the audit log: the chain check behind ``manage.py verify_audit``, and the admin's searches."""

import json
import re
from collections.abc import Iterable
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

    PROBLEMS = (
        "changed", "missing", "relinked", "truncated", "head_mismatch", "head_missing", "beyond_head",
        "rewritten", "anchor_missing",
    )  # fmt: skip

    @property
    def ok(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class Anchor:
    """The head of the log at one moment (mốc neo), written down outside the database.

    The chain shows any edit or deletion, except one: someone who can write the database could recompute
    every hash from the edited entry to the end and move the head. An anchor kept where they cannot reach
    (an e-mail in another mailbox, a write-once bucket, another machine's log) catches that: the entry it
    names must still have the hash it recorded. One line of JSON: ``{"seq", "hash", "at"}``.
    """

    seq: int
    hash: str
    at: str = ""

    def as_line(self) -> str:
        return json.dumps({"seq": self.seq, "hash": self.hash, "at": self.at}, separators=(",", ":"))

    @classmethod
    def parse(cls, line: str) -> "Anchor":
        """An anchor from its line; ValueError saying what is wrong."""
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"not JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise ValueError('not an object {"seq", "hash", "at"}')
        seq, digest = data.get("seq"), data.get("hash")
        if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
            raise ValueError('"seq" must be a positive whole number')
        if not isinstance(digest, str) or not re.fullmatch("[0-9a-f]{64}", digest):
            raise ValueError('"hash" must be 64 lowercase hexadecimal digits (SHA-256)')
        return cls(seq=seq, hash=digest, at=str(data.get("at") or ""))


def current_anchor() -> Anchor | None:
    """The head of the log now, to be written down elsewhere; None while the log is empty."""
    from django.utils import timezone

    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.last_seq == 0:
        return None
    return Anchor(seq=head.last_seq, hash=head.last_hash, at=timezone.now().isoformat(timespec="seconds"))


def verify_chain(*, batch_size: int = BATCH_SIZE, anchors: Iterable[Anchor] = ()) -> ChainCheck:
    """Walk the log in ``seq`` order, ``batch_size`` rows at a time (keyset pagination: memory stays flat
    on millions of rows), recompute every hash and stop at the first broken link.

    The head is read first and only entries up to it are walked, so appends made meanwhile are left for
    the next run instead of looking like rows beyond the head. Each of ``anchors`` (heads written down
    earlier, outside the database) must match the entry it names: a log rewritten consistently from some
    entry on, hashes and head included, fails there.
    """
    pinned = {anchor.seq: anchor for anchor in anchors}
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
            anchor = pinned.get(entry.seq)
            if anchor is not None and anchor.hash != entry.hash:
                return _broken(
                    count,
                    "rewritten",
                    entry.seq,
                    _(
                        "Entry %(seq)s is not the one anchored at %(at)s: the log was rewritten from this "
                        "entry on (or earlier), hashes included."
                    )
                    % {"seq": entry.seq, "at": anchor.at or "?"},
                )
            count += 1
            expected += 1
            prev_hash = entry.hash
        if len(batch) < batch_size:
            break

    beyond = [anchor for seq, anchor in sorted(pinned.items()) if seq > count]
    if beyond:
        return _broken(
            count,
            "anchor_missing",
            beyond[0].seq,
            _(
                "The anchor taken at %(at)s names entry %(seq)s, which the log no longer has: entries were "
                "deleted at the end and the head moved back."
            )
            % {"seq": beyond[0].seq, "at": beyond[0].at or "?"},
        )
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
