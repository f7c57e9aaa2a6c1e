from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from motcua.audit import services


class Command(BaseCommand):
    help = (
        "Print the head of the audit log as one line of JSON (an anchor), to keep outside the database: "
        "append it to a file on another machine or a write-once bucket, or --email it to mailboxes the "
        "database's administrators do not control. `verify_audit --anchors FILE` then also detects a log "
        "rewritten with recomputed hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--email",
            default="",
            help="Also send the anchor to these addresses (comma-separated).",
        )

    def handle(self, *args, email, **options):
        recipients = [address.strip() for address in email.split(",") if address.strip()]
        for address in recipients:
            try:
                validate_email(address)
            except ValidationError:
                raise CommandError(f"Not an e-mail address: {address!r}.") from None
        anchor = services.send_anchor(recipients)
        if anchor is None:
            raise CommandError("The audit log is empty: there is nothing to anchor yet.")
        self.stdout.write(anchor.as_line())
