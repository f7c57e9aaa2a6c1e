"""``manage.py delete_orphan_petition_files``: delete the petitions' files that no attachment row names."""

from motcua.core.orphans import OrphanFilesCommand
from motcua.engagement.services import petitions


class Command(OrphanFilesCommand):
    help = (
        "Delete the files sent with petitions that no attachment row names: left when a process died between "
        "storing them and committing the petition. Celery beat runs it daily; run it from cron where beat "
        "does not run."
    )
    younger_ones = "a petition still being sent"

    def sweep(self, older_than, dry_run):
        return petitions.delete_orphan_files(older_than=older_than, dry_run=dry_run)
