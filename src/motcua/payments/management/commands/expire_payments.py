"""``manage.py expire_payments``: pending payments past their time expire (for cron without Celery beat)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.payments.services import expire_stale_payments


class Command(BaseCommand):
    help = "Expire the pending payments whose time to pay has passed."

    def handle(self, *args, **options):
        count = expire_stale_payments(timezone.now())
        self.stdout.write(f"{count} payment(s) expired")
