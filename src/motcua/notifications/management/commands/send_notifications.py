"""``manage.py send_notifications``: send every notification delivery that is due, now, in this process.

For cron on installations without Celery beat (the embedded default loses its retry timers when the
process restarts), and for an operator after a mail server outage. Safe next to running workers: a
delivery another process is sending is skipped.
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.notifications import selectors
from motcua.notifications.tasks import send_delivery


class Command(BaseCommand):
    help = _("Send the pending notification deliveries (e-mail, SMS) whose time has come.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit", type=int, default=500, help=_("Send at most this many deliveries (default 500).")
        )

    def handle(self, *args, limit, **options):
        due = selectors.due_delivery_ids(limit=limit)
        outcomes = Counter(send_delivery(delivery_id) for delivery_id in due)
        outcomes["skipped"] += outcomes["held"]  # being sent by another process
        self.stdout.write(
            _("Sent: %(sent)d. To retry later: %(retry)d. Given up: %(failed)d. Skipped: %(skipped)d.")
            % {key: outcomes[key] for key in ("sent", "retry", "failed", "skipped")}
        )
