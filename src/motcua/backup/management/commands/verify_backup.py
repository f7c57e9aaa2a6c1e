"""``manage.py verify_backup <folder>``: check a backup against its manifest, restoring nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.backup import services
from motcua.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Check the backup in FOLDER without restoring it: every file listed in its manifest is there with "
        "its size and SHA-256, and nothing unlisted was added; with --restorable, also that this instance "
        "could take it (same database vendor, no migration newer than this code). Exits with status 1 when "
        "the backup is damaged."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--restorable",
            action="store_true",
            help="Also check that this instance could restore it (the database must not be in use).",
        )

    def handle(self, *args, folder, restorable, **options):
        try:
            manifest = services.verify_backup(source=folder)
            if restorable:
                services.ensure_restorable(manifest)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"The backup {folder} is intact: {len(manifest.files)} file(s) match their checksums "
                f"({manifest.vendor} database, made {manifest.created_at} "
                f"by Motcua {manifest.motcua_version})."
            )
        )
