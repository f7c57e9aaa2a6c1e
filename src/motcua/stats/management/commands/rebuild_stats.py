"""manage.py rebuild_stats: the ledger and daily facts rebuilt from the dossiers (after a bulk import, a
restore, or a change of what an indicator counts)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.stats.services import rebuild


class Command(BaseCommand):
    help = "Rebuild the statistics' dossier ledger and daily facts from the dossiers."

    def handle(self, *args, **options):
        written = rebuild()
        self.stdout.write(
            _("Statistics rebuilt: %(dossiers)s dossiers in the ledger, %(facts)s daily facts.") % written
        )
