from django.core.management.base import BaseCommand, CommandError

from motcua.audit import selectors


class Command(BaseCommand):
    help = (
        "Check the audit log's hash chain: recompute every entry's hash in order and report the first "
        "changed entry, deleted entry, or deleted end of the log. Exits with status 1 when the chain is "
        "broken."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size",
            type=int,
            default=selectors.BATCH_SIZE,
            help="Entries read per query (default %(default)s).",
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        result = selectors.verify_chain(batch_size=batch_size)
        if not result.ok:
            raise CommandError(result.message, returncode=1)
        self.stdout.write(self.style.SUCCESS(result.message))
