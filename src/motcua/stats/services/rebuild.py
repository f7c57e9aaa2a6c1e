"""Rebuilding the ledger and the daily facts from the dossiers (``manage.py rebuild_stats``): after a bulk
import, a restore, or a change of what an indicator counts."""

from django.db import transaction

from .. import ledger
from ..models import DailyFact, DossierLedger

BATCH = 2000


def rebuild() -> dict:
    """Replace the ledger and the daily facts with what the dossiers say now; returns the numbers written.

    One transaction: the pages read the old facts until the new ones are complete. Writers of dossiers wait
    meanwhile on SQLite (one writer at a time), so run it when the office is closed.
    """
    with transaction.atomic():
        DailyFact.objects.all().delete()
        DossierLedger.objects.all().delete()
        facts: dict = {}
        batch, dossiers = [], 0
        for row in ledger.ledger_rows():
            batch.append(row)
            for key, counts in ledger.contributions(row).items():
                facts.setdefault(key, type(counts)()).update(counts)
            if len(batch) >= BATCH:
                DossierLedger.objects.bulk_create(batch)
                dossiers += len(batch)
                batch = []
        DossierLedger.objects.bulk_create(batch)
        dossiers += len(batch)
        DailyFact.objects.bulk_create(
            (
                DailyFact(day=day, agency_id=agency, procedure_id=procedure, channel=channel, **counts)
                for (day, agency, procedure, channel), counts in facts.items()
            ),
            batch_size=BATCH,
        )
    return {"dossiers": dossiers, "facts": len(facts)}
