from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.catalog import io, services


class Command(BaseCommand):
    help = (
        "Export every procedure, whole, to a .json, .csv (UTF-8 with BOM, for Excel) or .xlsx file that "
        "import_procedures reads back. In CSV and XLSX, one row per procedure and one column per field; list "
        "fields (agencies, steps, methods, fees, components, legal basis…) are JSON text in their cell."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="A .json, .csv or .xlsx file; it is replaced if it exists.")
        parser.add_argument("--active-only", action="store_true", help="Leave out inactive procedures.")

    def handle(self, *args, file, active_only, **options):
        try:
            io.file_format(file)
        except io.UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        procedures = services.export_queryset().order_by("code")
        if active_only:
            procedures = procedures.active()
        records = [services.procedure_to_record(p) for p in procedures]
        try:
            io.write_records(records, file)
        except (OSError, ValueError) as exc:
            raise CommandError(
                _("Could not write %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Exported %(count)s procedures to %(file)s.") % {"count": len(records), "file": file}
            )
        )
