"""Load-test dossiers (``manage.py seed_load``): many realistic, fictional dossiers inserted in bulk.

What a seeded dossier looks like:

- a demo procedure and one of its receiving agencies that has officers, weighted by the procedure's
  popularity and a size of the agency (some communes are busy, some small), submitted on a day of the last
  ``days`` days (fewer at weekends, only online then; a slow growth towards today), online, in person or by
  post as the procedure allows;
- a fictional applicant (``people``) with an e-mail address in the reserved ``seed.invalid`` domain: that
  is how seeded dossiers are told apart (:func:`seeded_dossiers`); who sends one online has a portal
  account (``applicants``: fictional too, no usable password), some at the desk as well, and a share of
  dossiers comes from an account that sent one before;
- for a dossier sent online with a fee, the fee quote frozen as a live submission freezes it
  (``fee_quote``, ``fee_total``);
- a code in ``MOTCUA_DOSSIER_CODE_FORMAT`` numbered per agency and local day in the order of submission, and
  for an approved one a result number per approving agency and year, taken in blocks from the same sequence
  rows as live dossiers (a later live submission or approval continues them);
- a life (``life``) whose moments follow the office hours and the working calendar, and whose due dates,
  step due dates, supplements and verdicts come from the dossier's own clock: a seeded dossier obeys the
  rules a live one does (``tests/test_seed_load.py`` recomputes them);
- a status as of now: most older dossiers returned (a few refused, withdrawn, stopped, or results never
  collected), recent ones newly submitted, received, processing, awaiting a supplement or a payment, result
  ready; some late, a few forgotten for months (overdue);
- for a dossier in progress one ``DossierStep`` row (its current step, from the procedure's workflow, at the
  step's agency), assigned for some to the unit's demo officer of the step's role, with ``current_agency``
  and ``assignee`` on the dossier as the queues read them; its supplement request when one was asked;
- ``DossierEvent`` rows: the submission (or registration at the desk), the reception of one sent online,
  and the last change;
- its papers (``papers``): ``Attachment`` rows pointing at one shared sample file, uploaded online or
  scanned at the desk (not all), some reused from the applicant's document store (``StoredDocument``).

Other apps add theirs through ``hooks``: after each batch, in its transaction, ``batch_seeded`` (payments:
charges and payments; engagement: ratings); at the end ``seeding_finished`` (stats: the facts rebuilt).

Rows are written with COPY on PostgreSQL and multi-row INSERTs on SQLite, a batch per transaction. The
columns come from the models, so a column added later with a default is filled with it.
"""

import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection
from django.utils import timezone

from motcua.accounts.models import BusinessProfile, CitizenProfile, User
from motcua.documents.models import StoredDocument
from motcua.workcalendar import selectors as calendar

from ..models import (
    Attachment,
    CodeSequence,
    Dossier,
    DossierEvent,
    DossierStep,
    ResultSequence,
    SupplementRequest,
)
from .applicants import taken_numbers
from .catalogue import SeedRefused, load_catalogue
from .hooks import SeedRun, seeding_finished
from .life import Life, day_counts
from .papers import Papers, shared_files
from .people import SEED_DOMAIN
from .writing import Writer, analyze, write_batch


@dataclass
class SeedResult:
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    supplements: int = 0
    accounts: int = 0
    attachments: int = 0
    stored: int = 0
    sequences: int = 0
    seconds: float = 0.0  # writing the rows (batches and planner statistics)
    finish_seconds: float = 0.0  # what ``seeding_finished``'s receivers did after (the statistics)
    statuses: Counter = field(default_factory=Counter)
    more: Counter = field(default_factory=Counter)  # rows other apps wrote (``hooks``), by kind
    notes: list[str] = field(default_factory=list)  # what they did at the end

    @property
    def rows(self) -> int:
        mine = self.dossiers + self.steps + self.events + self.supplements
        return mine + 2 * self.accounts + self.attachments + self.stored + sum(self.more.values())

    @property
    def dossiers_per_second(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def seeded_dossiers():
    """The dossiers ``seed_load`` wrote (and nothing else: no real applicant has a ``.invalid`` address)."""
    return Dossier.objects.filter(applicant_email__endswith="@" + SEED_DOMAIN)


def seed(
    total: int,
    *,
    seed: int = 20261123,
    batch: int = 5000,
    days: int = 730,
    append: bool = False,
    analyze_after: bool = True,
    now: datetime | None = None,
    progress: Callable[[SeedResult], None] | None = None,
) -> SeedResult:
    """Insert ``total`` seeded dossiers submitted over the last ``days`` days (today included)."""
    if total < 0 or batch < 1 or days < 1:
        raise ValueError("total must be 0 or more, batch and days 1 or more")
    if not append and seeded_dossiers().exists():
        raise SeedRefused(
            "This database already holds seeded dossiers: use --append to add more, or a fresh database."
        )
    # Another run with --append draws other applicants and days than the first (same seed, more rows).
    already = seeded_dossiers().count() if append else 0
    rng = random.Random(f"{seed}:{already}")  # noqa: S311 (test data, not secrets)
    now = now or timezone.now()
    last = calendar.local(now).date()
    first = last - timedelta(days=days - 1)
    cal = calendar.working_calendar()  # the administrator's exceptions, read once
    cat = load_catalogue(rng)
    paper, stored = shared_files()
    life = Life(rng, cat, cal, now, taken=taken_numbers(), papers=Papers(rng, paper, stored, cat.officers))
    writers = {
        "dossier": Writer(Dossier),
        "step": Writer(DossierStep),
        "event": Writer(DossierEvent),
        "supplement": Writer(SupplementRequest),
        "user": Writer(User),
        CitizenProfile: Writer(CitizenProfile),
        BusinessProfile: Writer(BusinessProfile),
        "attachment": Writer(Attachment),
        "stored": Writer(StoredDocument),
    }
    analyze_after = analyze_after and not connection.in_atomic_block
    run = SeedRun(seed=seed, now=now, analyze=analyze_after)
    result = SeedResult(more=run.counts, notes=run.notes)
    started = time.perf_counter()
    pending = []
    for d, count in day_counts(total, first, last, cal, now):
        if count:
            pending.extend(life.day_of(d, count))
        if len(pending) >= batch:
            write_batch(pending, cat, writers, result, run, life)
            pending = []
            result.seconds = time.perf_counter() - started
            if progress:
                progress(result)
    if pending:
        write_batch(pending, cat, writers, result, run, life)
    if analyze_after and result.dossiers:
        analyze(
            [Dossier, DossierStep, DossierEvent, SupplementRequest, CodeSequence, ResultSequence, User,
             CitizenProfile, BusinessProfile, Attachment, StoredDocument, *run.written]
        )  # fmt: skip
    result.seconds = time.perf_counter() - started
    if result.dossiers:
        seeding_finished.send(sender=Dossier, run=run)
        result.finish_seconds = time.perf_counter() - started - result.seconds
    return result
