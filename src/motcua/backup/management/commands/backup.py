"""``manage.py backup <folder>``: the database and every stored file, with a manifest of checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.backup import services
from motcua.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Back up the database and every stored file (uploaded papers, receipts, signed results: all storages "
        "but static files) into FOLDER, a new folder, with manifest.json listing each file's size and "
        "SHA-256. Safe while the portal runs: SQLite is copied with its online backup API, PostgreSQL with "
        "pg_dump (same major version as the server or newer). The backup is written beside FOLDER and "
        "renamed into place when complete; a failed backup leaves nothing. Check one with verify_backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, help="The backup's folder; must not exist yet.")

    def handle(self, *args, folder, **options):
        try:
            backup = services.create_backup(target=folder)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from None
        manifest = backup.manifest
        counts = ", ".join(
            f"{alias}: {len(manifest.storage_files(alias))}"
            for alias, plan in manifest.storages.items()
            if "same_as" not in plan
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {backup.folder}: {manifest.vendor} database, "
                f"{len(manifest.files) - 1} stored file(s) ({counts}), {backup.size:,} bytes."
            )
        )
