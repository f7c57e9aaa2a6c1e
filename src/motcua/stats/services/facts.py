"""Keeping the facts as dossiers change: the dossier's ledger row is read again, and the daily and monthly
facts get the difference between what it added before and what it adds now, in the transaction of the
change.

Every change statistics count reaches here (``stats.listeners``): a dossier's transitions, a payment paid,
a rating given. Reading the dossier again (rather than adding what one event says) keeps the facts equal to
a count over the dossiers whatever the order of events: ``stats/tests/test_exactness.py`` proves it.
"""

from collections import Counter, defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F

from .. import ledger
from ..models import DailyFact, DossierLedger, MonthlyFact

LEDGER_COLUMNS = [f.attname for f in DossierLedger._meta.concrete_fields if not f.primary_key]


def refresh_dossier(dossier_id: int) -> None:
    """Bring the ledger row of one dossier, and the daily facts it adds to, up to date."""
    with transaction.atomic():
        old = DossierLedger.objects.select_for_update().filter(pk=dossier_id).first()
        new = ledger.ledger_of(dossier_id)
        changes = ledger.difference(old, new)
        month_ends = ledger.difference(old, new, ledger.month_ends)
        if new is None:
            if old is not None:
                old.delete()
        elif old is None:
            new.save(force_insert=True)
        elif any(getattr(old, column) != getattr(new, column) for column in LEDGER_COLUMNS):
            new.save(force_update=True)
        add(changes, month_ends)


def add(changes: dict, month_ends: dict | None = None) -> None:
    """Add ``changes`` ({(day, agency, procedure, channel): Counter}) to the daily facts, and to the monthly
    facts of their months with ``month_ends`` ({(first day of the month, …): Counter} of month-end counts).

    Keys are taken in one order (the days', then the months'), so two transactions adding to the same facts
    lock them in the same order.
    """
    _add(DailyFact, "day", changes)
    months = by_month(changes)
    for key, counts in (month_ends or {}).items():
        months.setdefault(key, Counter()).update(counts)
    _add(MonthlyFact, "month", months)


def month_of(day):
    return day.replace(day=1)


def by_month(changes: dict) -> dict:
    """``changes`` by (first day of the month, agency, procedure, channel)."""
    months: dict = defaultdict(Counter)
    for (day, agency_id, procedure_id, channel), counts in changes.items():
        months[(month_of(day), agency_id, procedure_id, channel)].update(counts)
    return {key: counts for key, counts in months.items() if any(counts.values())}


def _add(model, date_field: str, changes: dict) -> None:
    for key in sorted(changes, key=lambda k: (k[0], k[1], k[2], k[3])):
        counts = {measure: n for measure, n in changes[key].items() if n}
        if not counts:
            continue
        when, agency_id, procedure_id, channel = key
        where = {date_field: when, "agency_id": agency_id, "procedure_id": procedure_id, "channel": channel}
        row = model.objects.filter(**where)
        if row.update(**{measure: F(measure) + n for measure, n in counts.items()}):
            continue
        try:
            with transaction.atomic():
                model.objects.create(**where, **counts)
        except IntegrityError:
            # Another transaction made the row since the update found none: add to it now.
            row.update(**{measure: F(measure) + n for measure, n in counts.items()})
