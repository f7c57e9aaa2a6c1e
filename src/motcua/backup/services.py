"""Backing up, checking and restoring a whole instance (sao lưu, kiểm tra, khôi phục): the database and the
files of every storage, with their manifest; ``manage.py backup``, ``verify_backup`` and ``restore`` call
these.

A backup is written into a hidden folder beside its target and renamed into place when complete: a failed
backup leaves nothing. A restore checks everything it can first (every checksum, the vendor, the
migrations, that nothing else uses the database) and changes nothing when one check fails.
"""

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from . import checks, database, files
from . import manifest as manifests
from .errors import BackupError


@dataclass
class Backup:
    folder: Path
    manifest: manifests.Manifest

    @property
    def size(self) -> int:
        return sum(entry.size for entry in self.manifest.files)


@dataclass
class Restore:
    """What a restore did and found: the report ``manage.py restore`` prints."""

    manifest: manifests.Manifest
    storages: dict[str, files.Restored] = field(default_factory=dict)
    pending_migrations: list[str] = field(default_factory=list)
    findings: checks.Findings | None = None

    @property
    def ok(self) -> bool:
        return self.findings is not None and self.findings.ok


def motcua_version() -> str:
    try:
        return metadata.version("motcua")
    except metadata.PackageNotFoundError:
        return "unknown"


def create_backup(*, target: Path) -> Backup:
    """Back up the database, then every stored file, into the new folder ``target``.

    The database is one consistent snapshot; files are copied right after it, so a file uploaded meanwhile
    may be in the backup without a row that refers to it (harmless), and one deleted meanwhile is missing.
    """
    target = Path(target).absolute()
    if target.exists():
        raise BackupError(
            f"{target} already exists: a backup never overwrites anything; choose a new folder."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.partial-"))
    try:
        (work / manifests.DATABASE_DIR).mkdir()
        dump_path = f"{manifests.DATABASE_DIR}/{database.dump_name()}"
        about = database.dump(work / dump_path)
        size, digest = manifests.hash_file(work / dump_path)
        storages_layout = files.layout()
        manifest = manifests.Manifest(
            created_at=timezone.now().isoformat(timespec="seconds"),
            motcua_version=motcua_version(),
            vendor=connection.vendor,
            database={"file": dump_path, **about},
            migrations=database.applied_migrations(),
            storages=storages_layout,
            files=[manifests.Entry(path=dump_path, size=size, sha256=digest)],
        )
        manifest.files += files.copy_out(work, storages_layout)
        manifests.write(work, manifest)
        work.chmod(0o700)  # personal data: the backup is for the operator's eyes only
        os.rename(work, target)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    _sync_folder(target.parent)
    return Backup(folder=target, manifest=manifest)


def verify_backup(*, source: Path) -> manifests.Manifest:
    """The backup's manifest once every file has been checked against it; BackupError listing what is
    wrong otherwise. Touches nothing."""
    manifest = manifests.read(Path(source))
    problems = manifests.check(Path(source), manifest)
    if problems:
        raise BackupError(f"The backup {source} is damaged: nothing was restored.", problems)
    return manifest


def ensure_restorable(manifest: manifests.Manifest) -> None:
    """BackupError when this instance cannot take the backup (another database vendor, migrations the code
    does not have, a storage it does not configure, a database in use)."""
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"The backup holds a {manifest.vendor} database and this instance runs on {connection.vendor}: "
            "restore it into an instance configured like the one it came from."
        )
    unknown = database.unknown_migrations(manifest.migrations)
    if unknown:
        raise BackupError(
            f"The backup was made by a newer Motcua ({manifest.motcua_version}): its database has migrations "
            "this code does not know. Install that version (or newer), then restore.",
            unknown,
        )
    missing = sorted(alias for alias in manifest.storages if alias not in files.aliases())
    if missing:
        raise BackupError(f"The backup has files of storages this instance does not configure: {missing}.")
    database.ensure_can_restore(manifest.database)


def restore_backup(*, source: Path, prune: bool = False) -> Restore:
    """Restore the backup in ``source`` over this instance, then check what was restored.

    Order: every check first (nothing changed when one fails); then the files (written when absent or
    different; a repeat writes nothing); then the database, replaced in one step; then, with ``prune``, the
    stored files the backup does not hold are deleted; last the caches are emptied (pages and counts of
    the old data) and the checks run.
    """
    source = Path(source)
    manifest = verify_backup(source=source)
    ensure_restorable(manifest)
    report = Restore(manifest=manifest)
    for alias, plan in manifest.storages.items():
        if "same_as" not in plan:
            report.storages[alias] = files.copy_in(source, alias, manifest.storage_files(alias))
    database.restore(source / manifest.database["file"])
    if prune:
        for alias, done in report.storages.items():
            files.prune(alias, done)
    for alias in settings.CACHES:
        caches[alias].clear()
    report.pending_migrations = database.pending_migrations()
    report.findings = checks.run(manifest)
    return report


def _sync_folder(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
