"""``manage.py delete_orphan_attachments``: delete the papers' files that no attachment row names."""

from motcua.core.orphans import OrphanFilesCommand
from motcua.dossiers import services


class Command(OrphanFilesCommand):
    help = (
        "Delete the files of dossiers' papers that no attachment row names: left when a process died between "
        "storing an uploaded file and committing its row. Celery beat runs it daily; run it from cron where "
        "beat does not run."
    )
    younger_ones = "an upload still running"

    def sweep(self, older_than, dry_run):
        return services.delete_orphan_files(older_than=older_than, dry_run=dry_run)
