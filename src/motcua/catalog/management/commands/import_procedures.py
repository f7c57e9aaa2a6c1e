from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.catalog import io, services


class _Rollback(Exception):
    """Undoes a checked import (dry run) while keeping what it would have done."""

    def __init__(self, result: services.ImportResult):
        self.result = result


class Command(BaseCommand):
    help = (
        "Import procedures from a .json, .csv or .xlsx file (the format export_procedures writes), "
        "creating new ones and updating existing ones by code. All or nothing: if any row has an error, "
        "every error is listed and nothing is written. Rows are numbered from 1 for the first procedure: "
        "the first record of a JSON file, or the line under the header of a CSV/XLSX file (which a "
        "spreadsheet shows as row 2); blank lines are skipped but counted."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .json, .csv or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change; write nothing.",
        )

    def handle(self, *args, file, dry_run, **options):
        errors: list[services.RecordError] = []
        try:
            numbered = io.read_numbered_records(file)
        except io.UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        except io.CellErrors as exc:
            # Check the rest of the rows too, so that one run lists every problem.
            numbered, errors = exc.records, list(exc.errors)
        rows = [row for row, _record in numbered]

        try:
            with transaction.atomic():
                result = services.import_records([record for _row, record in numbered])
                if dry_run or errors:
                    raise _Rollback(result)
        except _Rollback as rollback:
            result = rollback.result
        except services.ImportRejected as exc:
            # import_records counts the records it was given; map back to the rows of the file.
            errors.extend(services.RecordError(rows[e.row - 1], e.field, e.message) for e in exc.errors)

        if errors:
            for error in sorted(errors, key=lambda e: e.row):
                self.stderr.write(str(error))
            raise CommandError(
                _("Nothing was imported: %(count)s errors in %(file)s.")
                % {"count": len(errors), "file": file}
            )
        counts = {"created": len(result.created), "updated": len(result.updated), "file": file}
        if dry_run:
            message = _(
                "Dry run of %(file)s: %(created)s to create, %(updated)s to update; nothing was written."
            )
        else:
            message = _("Imported %(file)s: %(created)s created, %(updated)s updated.")
        self.stdout.write(self.style.SUCCESS(message % counts))
