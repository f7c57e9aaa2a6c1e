"""``manage.py restore <folder>``: put a backup back, after checking all of it, and report what was found."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.backup import services
from motcua.backup.errors import BackupError


class Command(BaseCommand):
    help = (
        "Restore the backup in FOLDER over this instance: the database is replaced and the stored files "
        "written back. STOP THE PORTAL, ITS TASK WORKERS AND EVERY OTHER PROGRAM USING THE DATABASE FIRST: "
        "the restore refuses while another connection uses the database (on SQLite the file is swapped, "
        "which is only safe when nobody holds it open; on PostgreSQL the tables are dropped and made again "
        "in one transaction). Nothing is changed unless every file matches its SHA-256 in the manifest, the "
        "database vendor is the same, and the code knows every migration of the backup. Files in the "
        "storages that the backup does not hold are left in place (listed), or deleted with --prune. The "
        "caches are emptied. Ends by checking the audit log's hash chain and that every file a record "
        "refers to is stored with its size; exits with status 1 when a check fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--prune", action="store_true", help="Delete stored files that the backup does not hold."
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive", help="Do not ask to confirm."
        )

    def handle(self, *args, folder, prune, interactive, **options):
        if interactive:
            answer = input(
                f"This replaces the database and stored files of this instance with the backup in {folder}.\n"
                "Type 'yes' to continue, or 'no' to cancel: "
            )
            if answer != "yes":
                raise CommandError("Restore cancelled.")
        try:
            report = services.restore_backup(source=folder, prune=prune)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=1) from None
        for line in report_lines(report):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError("The restored instance fails its checks (see above).", returncode=1)
        self.stdout.write(self.style.SUCCESS("Restore complete; every check passed."))


def report_lines(report: services.Restore) -> list[str]:
    manifest, findings = report.manifest, report.findings
    lines = [
        f"Restored the backup made {manifest.created_at} by Motcua {manifest.motcua_version} "
        f"({manifest.vendor}, {len(manifest.migrations)} migrations applied)."
    ]
    for alias, done in report.storages.items():
        extra = (
            f"; {done.pruned} not in the backup deleted"
            if done.pruned
            else f"; {len(done.extra)} not in the backup left in place (--prune deletes them)"
            if done.extra
            else ""
        )
        lines.append(f"  files ({alias}): {done.written} written, {done.unchanged} already there{extra}")
    if report.pending_migrations:
        lines.append(
            f"  migrations: {len(report.pending_migrations)} of this code not applied to the backup's "
            "database: run `manage.py migrate`."
        )
    lines.append(f"  audit log: {'OK' if findings.audit_ok else 'BROKEN'}: {findings.audit_message}")
    lines.append(
        f"  stored files: {findings.referenced} referenced by {findings.fields} field(s), "
        + (
            "every one present with its size"
            if not findings.problems
            else f"{len(findings.problems)} problem(s):"
        )
    )
    lines += [f"    - {problem}" for problem in findings.problems[:50]]
    return lines
