"""Rebuilding the ledger and the daily and monthly facts from the dossiers (``manage.py rebuild_stats``):
after a bulk import, a restore, or a change of what an indicator counts."""

from collections.abc import Callable, Iterable

from django.db import models, transaction

from .. import ledger
from ..models import DailyFact, DossierLedger, MonthlyFact
from .facts import by_month

BATCH = 2000

Insert = Callable[[type[models.Model], list[models.Model]], None]


def bulk_create(model: type[models.Model], rows: list[models.Model]) -> None:
    model.objects.bulk_create(rows)


def rebuild(*, insert: Insert | None = None) -> dict:
    """Replace the ledger and the daily facts with what the dossiers say now; returns the numbers written.

    One transaction: the pages read the old facts until the new ones are complete. Writers of dossiers wait
    meanwhile on SQLite (one writer at a time), so run it when the office is closed. ``insert(model, rows)``
    writes a batch of unsaved rows (``bulk_create`` by default); a bulk loader passes a faster one of its
    own (``stats.loadtest``).
    """
    insert = insert or bulk_create
    with transaction.atomic():
        MonthlyFact.objects.all().delete()
        DailyFact.objects.all().delete()
        DossierLedger.objects.all().delete()
        facts: dict = {}
        month_ends: dict = {}
        batch, dossiers = [], 0
        for row in ledger.ledger_rows():
            batch.append(row)
            for key, counts in ledger.contributions(row).items():
                facts.setdefault(key, type(counts)()).update(counts)
            for key, counts in ledger.month_ends(row).items():
                month_ends.setdefault(key, type(counts)()).update(counts)
            if len(batch) >= BATCH:
                insert(DossierLedger, batch)
                dossiers += len(batch)
                batch = []
        if batch:
            insert(DossierLedger, batch)
        dossiers += len(batch)
        rows = (
            DailyFact(day=day, agency_id=agency, procedure_id=procedure, channel=channel, **counts)
            for (day, agency, procedure, channel), counts in facts.items()
        )
        for chunk in _chunks(rows, BATCH):
            insert(DailyFact, chunk)
        months = by_month(facts)
        for key, counts in month_ends.items():
            months.setdefault(key, type(counts)()).update(counts)
        rows = (
            MonthlyFact(month=month, agency_id=agency, procedure_id=procedure, channel=channel, **counts)
            for (month, agency, procedure, channel), counts in months.items()
        )
        for chunk in _chunks(rows, BATCH):
            insert(MonthlyFact, chunk)
    return {"dossiers": dossiers, "facts": len(facts), "months": len(months)}


def _chunks(rows: Iterable, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
