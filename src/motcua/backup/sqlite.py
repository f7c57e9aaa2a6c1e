"""The SQLite database in a backup: copied with SQLite's online backup API, restored by swapping the file.

The copy is one step of the backup API, inside one read transaction: a consistent snapshot while the portal
keeps running (in WAL mode, writers are not held up). Restoring swaps files, which is only safe when nothing
else has the database open: a process holding the old file would go on reading it and writing into it, and
a stale ``-wal`` file next to the new one would be replayed into it. So the restore first makes sure it is
alone (leaving WAL mode needs every other connection closed), then writes the new database next to the old
one, checks it, and renames it into place.
"""

import contextlib
import os
import sqlite3
import tempfile
from pathlib import Path

from .errors import BackupError

DUMP_NAME = "motcua.sqlite3"


def database_path(settings_dict) -> Path:
    name = str(settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"The database {name!r} lives in memory: there is no file to back up or restore.")
    return Path(name)


def _read_only(path: Path) -> str:
    # as_uri() escapes what a URI would misread in a path ("?", "#", "%").
    return Path(path).absolute().as_uri() + "?mode=ro"


def dump(settings_dict, target: Path) -> dict:
    """Copy the live database into ``target`` (a new file) as one consistent snapshot."""
    source = sqlite3.connect(_read_only(database_path(settings_dict)), uri=True, timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # pages=-1: the whole database in one step, one snapshot
            # A self-contained file: no -wal beside it.
            copy.execute("PRAGMA journal_mode=DELETE")
            version = sqlite3.sqlite_version
        finally:
            copy.close()
    finally:
        source.close()
    with open(target, "rb+") as fh:
        os.fsync(fh.fileno())
    return {"server_version": version}


def ensure_alone(settings_dict) -> None:
    """BackupError unless no other connection has the database open (checked by leaving WAL mode, which
    SQLite refuses while another connection is open; it also folds the WAL into the database file)."""
    path = database_path(settings_dict)
    if not path.exists():
        return
    probe = sqlite3.connect(path, timeout=0)
    try:
        mode = probe.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "busy"
    finally:
        probe.close()
    if mode.lower() != "delete":
        raise BackupError(
            f"The database {path} is in use by another process. Stop the portal, the task workers and "
            "every other program using it, then restore again."
        )


def restore(settings_dict, dump_file: Path) -> None:
    """Replace the live database with ``dump_file``: a checked copy written beside it, then renamed."""
    live = database_path(settings_dict)
    live.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=live.parent, prefix=f".{live.name}.restoring-")
    os.close(fd)
    try:
        source = sqlite3.connect(_read_only(dump_file), uri=True)
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)
            copy.execute("PRAGMA journal_mode=DELETE")
            verdict = copy.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            copy.close()
            source.close()
        if verdict != "ok":
            raise BackupError(f"The database in the backup fails SQLite's check: {verdict}.")
        _same_owner_and_mode(temporary, live)
        with open(temporary, "rb+") as fh:
            os.fsync(fh.fileno())
        ensure_alone(settings_dict)  # again, right before the swap
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{live}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, live)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(live.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def _same_owner_and_mode(new: str, old: Path) -> None:
    """The restored file keeps the old one's permissions (a restore run as root leaves the portal's user
    able to write it)."""
    try:
        status = old.stat()
    except FileNotFoundError:
        return
    os.chmod(new, status.st_mode & 0o7777)
    with contextlib.suppress(PermissionError):
        os.chown(new, status.st_uid, status.st_gid)
