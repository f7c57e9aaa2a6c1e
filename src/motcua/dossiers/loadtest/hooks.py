"""How other apps add their rows to seeded dossiers without the dossiers app knowing them (arrows point down:
dossiers never imports payments, engagement or stats).

``batch_seeded`` is sent after each batch of dossiers is written, inside the batch's transaction: a receiver
writes what goes with those dossiers (their charges and payments, their ratings) in the same transaction,
so a batch commits or rolls back whole. Arguments: ``dossiers`` (the dossier rows as written: dicts of
column values by attribute name, ``id`` included, in the order of submission) and ``run`` (``SeedRun``).

``seeding_finished`` is sent once every batch is written (and the planner statistics refreshed), outside
any batch: a receiver brings derived data up to date (the statistics' facts). Argument: ``run``.

Receivers connect in their app's ``ready`` (``payments.loadtest``, ``engagement.loadtest``,
``stats.loadtest``) and write through ``run.writer(Model)``: COPY on PostgreSQL, multi-row INSERTs on
SQLite, ids reserved as the seeder's own.
"""

import random
from collections import Counter
from datetime import datetime

from django.db import models
from django.dispatch import Signal

from .writing import Writer

batch_seeded = Signal()
seeding_finished = Signal()


class SeedRun:
    """What one run of the seeder shares with the receivers of its signals."""

    def __init__(self, *, seed: int, now: datetime, analyze: bool):
        self.seed = seed
        self.now = now
        self.analyze = analyze  # refresh the planner statistics of what was written (not inside a test)
        self.counts: Counter = Counter()  # rows written by receivers, by what they are ("payments": 12)
        self.notes: list[str] = []  # what a receiver did at the end, for the command to print
        self.cache: dict = {}  # what a receiver reads once per run (its own key)
        self._writers: dict[type[models.Model], Writer] = {}

    def writer(self, model: type[models.Model]) -> Writer:
        if model not in self._writers:
            self._writers[model] = Writer(model)
        return self._writers[model]

    @property
    def written(self) -> list[type[models.Model]]:
        """The models receivers wrote rows of (their tables get fresh planner statistics at the end)."""
        return list(self._writers)

    def rng(self, purpose: str, dossiers: list[dict]) -> random.Random:
        """A random generator of its own for ``purpose`` and this batch: the same seed gives the same rows,
        whatever other receivers draw."""
        first = dossiers[0]["id"] if dossiers else 0
        return random.Random(f"{self.seed}:{purpose}:{first}")  # noqa: S311 (test data, not secrets)
