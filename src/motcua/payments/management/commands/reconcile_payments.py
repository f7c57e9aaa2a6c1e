"""``manage.py reconcile_payments --gateway G --date YYYY-MM-DD FILE``: one day's reconciliation."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.models import Agency
from motcua.payments import registry
from motcua.payments.services.reconcile import reconcile, report_text


class Command(BaseCommand):
    help = (
        "Compare our payments and refunds through a gateway on a day (Vietnam time) with the gateway's "
        "statement FILE (VNPay/sandbox CSV reconciliation file, or the bank statement for vietqr) and print "
        "every difference. Exits with status 1 when there are differences, 0 when everything matches, "
        "2 when the file or the arguments cannot be used."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The gateway's statement of the day (CSV; XLSX for vietqr).")
        parser.add_argument("--gateway", required=True, help="The gateway key: vnpay, sandbox or vietqr.")
        parser.add_argument("--date", required=True, help="The day, YYYY-MM-DD (Vietnam time).")
        parser.add_argument("--agency", default="", help="Only this agency's payments (its code or slug).")

    def handle(self, *args, file, gateway, date: str, agency: str, **options):
        if not registry.known(gateway):
            raise CommandError(f"--gateway: unknown gateway {gateway!r}.", returncode=2)
        try:
            day = _day(date)
        except ValueError:
            raise CommandError(
                f"--date: {date!r} is not a date in the form YYYY-MM-DD.", returncode=2
            ) from None
        chosen = None
        if agency:
            chosen = Agency.objects.filter(code=agency).first() or Agency.objects.filter(slug=agency).first()
            if chosen is None:
                raise CommandError(f"--agency: no agency has the code {agency!r}.", returncode=2)
        try:
            with open(file, "rb") as stream:
                data = stream.read()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}", returncode=2) from None
        try:
            result = reconcile(gateway=gateway, day=day, data=data, filename=file, agency=chosen)
        except ValidationError as exc:
            raise CommandError(f"{file}: {' '.join(exc.messages)}", returncode=2) from None
        self.stdout.write(report_text(result))
        if not result.ok:
            raise CommandError(f"{len(result.differences)} difference(s) found.", returncode=1)


def _day(text: str) -> date:
    return date.fromisoformat(text)
