from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from motcua.audit import selectors


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
        anchor = selectors.current_anchor()
        if anchor is None:
            raise CommandError("The audit log is empty: there is nothing to anchor yet.")
        line = anchor.as_line()
        if recipients:
            send_mail(
                f"Motcua audit anchor #{anchor.seq}",
                "Keep this line; `manage.py verify_audit --anchors FILE` checks the log against it.\n\n"
                f"{line}\n",
                None,
                recipients,
            )
        self.stdout.write(line)
