"""``manage.py delete_orphan_attachments``: delete the papers' files that no attachment row names."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from motcua.dossiers import services


class Command(BaseCommand):
    help = (
        "Delete the files of dossiers' papers that no attachment row names: left when a process died between "
        "storing an uploaded file and committing its row. Celery beat runs it daily; run it from cron where "
        "beat does not run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help="Only files older than this (default %(default)s): a younger one may belong to an upload "
            "still running.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List them, delete nothing.")

    def handle(self, *args, older_than_minutes, dry_run, **options):
        if older_than_minutes < 1:
            raise CommandError("--older-than-minutes must be at least 1.")
        older_than = timedelta(minutes=older_than_minutes)
        names = services.delete_orphan_files(older_than=older_than, dry_run=dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(names)} orphan files {verb}."))
