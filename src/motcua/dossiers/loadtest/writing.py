"""Writing seeded rows fast: COPY on PostgreSQL, multi-row INSERTs on SQLite, a batch per transaction, with
the codes and result numbers taken in blocks from the sequences live dossiers use (``services.numbering``)."""

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, timedelta
from enum import Enum

from django.db import connection, models, transaction

from motcua.workcalendar import selectors as calendar

from ..models import Dossier
from ..services.numbering import format_code, format_result_number, take_codes, take_result_numbers
from .catalogue import Catalogue
from .life import Planned


class Writer:
    """Rows of one model into its table: COPY on PostgreSQL, multi-row INSERT elsewhere."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.table = model._meta.db_table
        self.key = model._meta.pk.attname  # "id", or the one-to-one a table shares its key with
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = [model._meta.pk.column, *(f.column for f in self.fields)]
        self.postgres = connection.vendor == "postgresql"
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        # (name, default, converter) per column after the key: what ``tuples`` walks for every row.
        self.spec = [(f.attname, self.defaults[f.attname], self._converter(f)) for f in self.fields]

    def _converter(self, f) -> Callable | None:
        if isinstance(f, models.JSONField):
            return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
        if isinstance(f, models.DateTimeField) and not self.postgres:
            # As Django stores them on SQLite: UTC, without the offset ("2026-05-12 01:30:00.000123").
            return lambda v: v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(f, models.DateField) and not self.postgres:
            return lambda v: None if v is None else v.isoformat()
        if isinstance(f, models.UUIDField):
            return (lambda v: str(v)) if self.postgres else (lambda v: v.hex)
        if isinstance(f, models.DurationField) and not self.postgres:
            # As Django stores them on SQLite: whole microseconds.
            return lambda v: v // timedelta(microseconds=1)
        if isinstance(f, models.BooleanField) and not self.postgres:
            return lambda v: None if v is None else int(v)
        return None

    def tuples(self, rows: list[dict]) -> list[tuple]:
        out = []
        append = out.append
        spec, key = self.spec, self.key
        for row in rows:
            get = row.get
            values = [row[key]]
            for name, default, convert in spec:
                value = get(name, default)
                if value is not None:
                    if isinstance(value, Enum):  # choices: their value (psycopg would write an enum's name)
                        value = value.value
                    if convert is not None:
                        value = convert(value)
                values.append(value)
            append(tuple(values))
        return out

    def reserve_ids(self, count: int) -> list[int]:
        """``count`` new primary keys: from the table's own sequence on PostgreSQL (live inserts may go on),
        after the largest id elsewhere (SQLite: this transaction holds the write lock)."""
        if not count:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [r[0] for r in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{self.table}"')  # noqa: S608 (model table)
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        data = self.tuples(rows)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        # The driver's own cursor, in the transaction of Django's connection: Django's cursor would keep the
        # text of every statement with its thousands of values when DEBUG is on.
        cursor = raw_cursor()
        try:
            if self.postgres:
                with cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for values in data:
                        copy.write_row(values)
                return
            marks = "(" + ", ".join(["?"] * len(self.columns)) + ")"
            cursor.executemany(f'INSERT INTO "{self.table}" ({columns}) VALUES {marks}', data)  # noqa: S608
        finally:
            cursor.close()


def raw_cursor():
    connection.ensure_connection()
    return connection.connection.cursor()


def write_batch(planned: list[Planned], cat: Catalogue, writers: dict, result, run=None, extras=None) -> None:
    """One transaction: codes and result numbers, the applicants' new accounts, dossiers, their steps,
    events, supplement requests, papers and store entries; then ``hooks.batch_seeded`` for the rows other
    apps add (``run``: the ``hooks.SeedRun``; ``extras``: the ``Life`` that planned accounts and papers)."""
    from .hooks import batch_seeded

    tz = calendar.timezone()
    with transaction.atomic():
        wanted = Counter((p.row["agency_id"], p.row["submitted_at"].astimezone(tz).date()) for p in planned)
        codes = take_codes(wanted)
        result.sequences += len(wanted)
        approved = sorted((p for p in planned if p.approval), key=lambda p: p.approval[1])
        years = Counter(
            (agency_id, calendar.local(at).year) for agency_id, at in (p.approval for p in approved)
        )
        numbers = take_result_numbers(years)
        for p in approved:
            agency_id, at = p.approval
            key = (agency_id, calendar.local(at).year)
            p.row["result_number"] = format_result_number(numbers[key], key[1])
            numbers[key] += 1
        # Accounts opened by this batch's dossiers (a later dossier may come back to one): ids first.
        new = {id(p.account): p.account for p in planned if p.account is not None and p.account.id is None}
        accounts = list(new.values())
        for account, pk in zip(accounts, writers["user"].reserve_ids(len(accounts)), strict=True):
            account.id = pk
        ids = writers["dossier"].reserve_ids(len(planned))
        with_step = [p for p in planned if p.step is not None]
        step_ids = iter(writers["step"].reserve_ids(len(with_step)))
        steps, events, supplements, attachments, kept = [], [], [], [], []
        for p, pk in zip(planned, ids, strict=True):
            row = p.row
            key = (row["agency_id"], row["submitted_at"].astimezone(tz).date())
            seq = codes[key]
            codes[key] = seq + 1
            row["id"] = pk
            row["code"] = format_code(cat.agency_codes[key[0]], key[1], seq)
            if p.account is not None:
                row["applicant_id"] = p.account.id
                if row["channel"] == "online":  # sent by the applicant; at the desk, for them
                    row["submitted_by_id"] = p.account.id
            if p.step is not None:
                p.step["id"] = next(step_ids)
                p.step["dossier_id"] = pk
                row["current_step_id"] = p.step["id"]
                row["acting_role"] = p.step["role"]
                steps.append(p.step)
            for event in p.events:
                event["dossier_id"] = pk
                if "_account" in event:
                    event["actor_id"] = event["_account"].id
                events.append(event)
            if p.supplement is not None:
                p.supplement["dossier_id"] = pk
                supplements.append(p.supplement)
            for attachment in p.attachments:
                attachment["dossier_id"] = pk
                attachments.append(attachment)
            kept.extend(p.kept)
            result.statuses[row["status"]] += 1
        for event, pk in zip(events, writers["event"].reserve_ids(len(events)), strict=True):
            event["id"] = pk
        for request, pk in zip(supplements, writers["supplement"].reserve_ids(len(supplements)), strict=True):
            request["id"] = pk
        for paper, pk in zip(attachments, writers["attachment"].reserve_ids(len(attachments)), strict=True):
            paper["id"] = pk
        for entry, pk in zip(kept, writers["stored"].reserve_ids(len(kept)), strict=True):
            entry.id = pk
        papers = extras.papers if extras is not None else None
        if papers is not None:
            for attachment in attachments:
                papers.resolve(attachment)
        users, profiles = [], {}
        for account in accounts:
            user, (model, profile) = extras.applicants.rows(account)
            users.append(user)
            profiles.setdefault(model, []).append(profile)
        for model, rows in profiles.items():
            for profile, pk in zip(rows, writers[model].reserve_ids(len(rows)), strict=True):
                profile["id"] = pk
        # Foreign keys are deferred to the commit (a dossier names its current step and the step its
        # dossier, a paper the store entry kept from another): the order does not matter.
        writers["user"].write(users)
        for model, rows in profiles.items():
            writers[model].write(rows)
        writers["dossier"].write([p.row for p in planned])
        writers["step"].write(steps)
        writers["event"].write(events)
        writers["supplement"].write(supplements)
        writers["attachment"].write(attachments)
        writers["stored"].write([papers.stored_row(entry) for entry in kept] if kept else [])
        if run is not None:
            batch_seeded.send(sender=Dossier, dossiers=[p.row for p in planned], run=run)
    result.dossiers += len(planned)
    result.steps += len(steps)
    result.events += len(events)
    result.supplements += len(supplements)
    result.accounts += len(accounts)
    result.attachments += len(attachments)
    result.stored += len(kept)


def analyze(models_: list[type[models.Model]]) -> None:
    """Fresh planner statistics after a bulk load (what autovacuum would do on PostgreSQL a while later)."""
    with connection.cursor() as cursor:
        for model in models_:
            if connection.vendor == "postgresql":
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
            else:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')
