"""``manage.py warn_deadlines``: warn officers of dossiers due soon or overdue; draft apology letters."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.dossiers.deadline_watch import watch


class Command(BaseCommand):
    help = _("Warn officers of dossiers due within a working day or overdue, and draft apology letters.")

    def handle(self, *args, **options):
        found = watch()
        self.stdout.write(
            _("Due soon: %(soon)s warned. Overdue: %(late)s warned, %(apologies)s apology letters drafted.")
            % {"soon": len(found.due_soon), "late": len(found.overdue), "apologies": len(found.apologies)}
        )
