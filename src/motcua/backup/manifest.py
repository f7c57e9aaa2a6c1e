"""The manifest of a backup (``manifest.json``): what it holds, where it came from, and a SHA-256 per file.

A backup folder holds ``manifest.json``, ``database/`` (the dump) and ``files/<storage>/`` (every stored file
under its storage name). Every file but the manifest is listed with its size and SHA-256; ``check`` reads
them all again and says what does not match, before a restore touches anything.
"""

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath

from .errors import BackupError

FORMAT = "motcua-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
FILES_DIR = "files"
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Entry:
    """One file of the backup: its path inside the backup folder (POSIX), size in bytes and SHA-256."""

    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    motcua_version: str
    vendor: str
    database: dict
    migrations: list[list[str]]
    storages: dict[str, dict]
    files: list[Entry] = field(default_factory=list)
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def as_json(self) -> str:
        data = asdict(self)
        data["files"] = [asdict(entry) for entry in self.files]
        return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    def storage_files(self, alias: str) -> dict[str, Entry]:
        """The files of one storage, by their name in that storage."""
        prefix = f"{FILES_DIR}/{alias}/"
        return {e.path[len(prefix) :]: e for e in self.files if e.path.startswith(prefix)}

    @property
    def database_file(self) -> Entry:
        return next(e for e in self.files if e.path == self.database["file"])


def safe_relative(path: str) -> bool:
    """A path that stays inside the folder it is relative to (a manifest never makes us write elsewhere)."""
    pure = PurePosixPath(path)
    return (
        bool(path)
        and "\\" not in path
        and "\x00" not in path
        and not pure.is_absolute()
        and all(part not in ("", ".", "..") for part in path.split("/"))
    )


def hash_stream(stream, out=None) -> tuple[int, str]:
    """Size and SHA-256 of what ``stream`` holds, copied to ``out`` on the way when given."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return size, digest.hexdigest()


def hash_file(path: Path) -> tuple[int, str]:
    with open(path, "rb") as fh:
        return hash_stream(fh)


def write(folder: Path, manifest: Manifest) -> None:
    path = folder / MANIFEST
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(manifest.as_json())
        fh.flush()
        os.fsync(fh.fileno())


def read(folder: Path) -> Manifest:
    """The manifest of the backup in ``folder``; BackupError when it is missing or not one of ours."""
    path = Path(folder) / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a Motcua backup: it has no {MANIFEST}.") from None
    except (OSError, ValueError) as exc:
        raise BackupError(f"Cannot read {path}: {exc}.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not the manifest of a Motcua backup.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} is in backup format {data.get('format_version')!r}; this Motcua reads format "
            f"{FORMAT_VERSION} only."
        )
    try:
        files = [
            Entry(path=str(e["path"]), size=int(e["size"]), sha256=str(e["sha256"])) for e in data["files"]
        ]
        return Manifest(
            created_at=str(data["created_at"]),
            motcua_version=str(data["motcua_version"]),
            vendor=str(data["vendor"]),
            database=dict(data["database"]),
            migrations=[[str(app), str(name)] for app, name in data["migrations"]],
            storages=dict(data["storages"]),
            files=files,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(f"{path} is incomplete or malformed ({exc!r}).") from None


def check(folder: Path, manifest: Manifest) -> list[str]:
    """Every way the folder differs from its manifest: a file missing, of another size or checksum, a path
    that leaves the folder, a file the manifest does not list. Empty when the backup is intact."""
    folder = Path(folder)
    problems, listed = [], set()
    if manifest.database.get("file") not in {e.path for e in manifest.files}:
        problems.append("the manifest lists no database dump")
    for entry in manifest.files:
        if not safe_relative(entry.path):
            problems.append(f"{entry.path!r}: not a path inside the backup")
            continue
        listed.add(entry.path)
        path = folder / entry.path
        if not path.is_file():
            problems.append(f"{entry.path}: missing")
            continue
        size, digest = hash_file(path)
        if size != entry.size:
            problems.append(f"{entry.path}: {size} bytes, the manifest says {entry.size}")
        elif digest != entry.sha256:
            problems.append(f"{entry.path}: checksum differs (the file is corrupted or was changed)")
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if path.is_file() and relative != MANIFEST and relative not in listed:
            problems.append(f"{relative}: not listed in the manifest")
    return problems
