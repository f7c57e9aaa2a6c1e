"""``manage.py sandbox_ipn --txn-ref REF``: the sandbox gateway calls the merchant's IPN again."""

from django.core.management.base import BaseCommand, CommandError

from motcua.payments.contrib.sandbox.models import SandboxTransaction
from motcua.payments.contrib.sandbox.services import resend_ipn


class Command(BaseCommand):
    help = "Send again the IPN of a sandbox transaction (same signed result) and print the merchant's answer."

    def add_arguments(self, parser):
        parser.add_argument("--txn-ref", required=True, help="The merchant's vnp_TxnRef.")

    def handle(self, *args, txn_ref: str, **options):
        try:
            delivery = resend_ipn(txn_ref=txn_ref)
        except SandboxTransaction.DoesNotExist:
            raise CommandError(f"No sandbox transaction has vnp_TxnRef {txn_ref!r}.") from None
        delivery.refresh_from_db()
        self.stdout.write(f"{delivery.url} -> {delivery.answer or 'queued'}")
