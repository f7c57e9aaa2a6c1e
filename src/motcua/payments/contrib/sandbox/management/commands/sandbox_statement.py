"""``manage.py sandbox_statement --date YYYY-MM-DD --out FILE``: the sandbox gateway's statement of a day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from motcua.payments.contrib.sandbox.statement import write_statement


class Command(BaseCommand):
    help = "Write the sandbox gateway's statement of a day (payments and refunds) as a CSV file."

    def add_arguments(self, parser):
        parser.add_argument("--date", required=True, help="The day, YYYY-MM-DD (Vietnam time).")
        parser.add_argument("--out", required=True, help="The CSV file to write ('-' for standard output).")

    def handle(self, *args, date: str, out: str, **options):
        try:
            day = _parse_day(date)
        except ValueError:
            raise CommandError(f"--date: {date!r} is not a date in the form YYYY-MM-DD.") from None
        if out == "-":
            count = write_statement(day, self.stdout)
        else:
            with open(out, "w", encoding="utf-8", newline="") as stream:
                count = write_statement(day, stream)
            self.stderr.write(f"{count} rows written to {out}.")
        return None


def _parse_day(text: str) -> date:
    return date.fromisoformat(text)
