"""``manage.py delete_orphan_documents``: delete the files of documents and stored papers no row names."""

from motcua.core.orphans import OrphanFilesCommand
from motcua.documents import services


class Command(OrphanFilesCommand):
    help = (
        "Delete the files of documents and of papers kept in applicants' stores that no row names: left "
        "when a transaction that stored one rolled back after writing its file, or a process died in "
        "between. Celery beat runs it daily; run it from cron where beat does not run."
    )
    younger_ones = "a transaction still running"

    def sweep(self, older_than, dry_run):
        return services.delete_orphan_files(older_than=older_than, dry_run=dry_run)
