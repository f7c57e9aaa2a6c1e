"""Statistics after a bulk load (``manage.py seed_load``): seeded dossiers are written in bulk, without the
transitions that keep the ledger and the daily facts, so once seeding has finished
(``dossiers.loadtest.hooks.seeding_finished``) they are rebuilt from the dossiers (``services.rebuild``, as
``manage.py rebuild_stats`` does, its rows written by the seeder's writer: COPY on PostgreSQL, multi-row
INSERTs on SQLite) and the pages show the seeded history at once."""

import time

from motcua.dossiers.loadtest.hooks import seeding_finished
from motcua.dossiers.loadtest.writing import analyze

from .models import DailyFact, DossierLedger, MonthlyFact


def connect() -> None:
    seeding_finished.connect(on_seeding_finished, dispatch_uid="stats.rebuild_after_seeding")


def on_seeding_finished(sender, *, run, **kwargs):
    from .services import rebuild

    def insert(model, objects):
        writer = run.writer(model)
        rows = [obj.__dict__ for obj in objects]  # the unsaved rows' values, by attribute name
        if writer.key == "id":
            for row, pk in zip(rows, writer.reserve_ids(len(rows)), strict=True):
                row["id"] = pk
        writer.write(rows)

    started = time.perf_counter()
    written = rebuild(insert=insert)
    if run.analyze:
        analyze([DossierLedger, DailyFact, MonthlyFact])
    run.notes.append(
        f"Statistics rebuilt: {written['dossiers']:,} dossiers in the ledger, {written['facts']:,} daily "
        f"facts, {written['months']:,} monthly facts, in {time.perf_counter() - started:.1f} s."
    )
