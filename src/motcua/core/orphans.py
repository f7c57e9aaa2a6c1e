"""The management command that sweeps an app's orphan files: files in storage that no row names, left
when a process died (or a transaction rolled back) between storing a file and committing its row. Each app
that stores files before its rows commits has one (documents, dossiers' papers, petitions' attachments);
they differ only in what they sweep and how they say it."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError


class OrphanFilesCommand(BaseCommand):
    """Subclasses set ``help`` and ``younger_ones`` (what a younger file may still belong to) and define
    ``sweep(older_than, dry_run) -> list[str]`` (the names deleted, or that would be)."""

    younger_ones = "an upload still running"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-minutes",
            type=int,
            default=60,
            help=f"Only files older than this (default %(default)s): a younger one may belong to "
            f"{self.younger_ones}.",
        )
        parser.add_argument("--dry-run", action="store_true", help="List them, delete nothing.")

    def sweep(self, older_than: timedelta, dry_run: bool) -> list[str]:
        raise NotImplementedError

    def handle(self, *args, older_than_minutes, dry_run, **options):
        if older_than_minutes < 1:
            raise CommandError("--older-than-minutes must be at least 1.")
        names = self.sweep(timedelta(minutes=older_than_minutes), dry_run)
        for name in names:
            self.stdout.write(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(names)} orphan files {verb}."))
