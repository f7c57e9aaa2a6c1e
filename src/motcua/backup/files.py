"""Stored files in a backup, read and written through Django's storage API (a folder or an S3 bucket alike).

Every storage of ``settings.STORAGES`` is backed up but ``staticfiles`` (build output: ``collectstatic``
makes it again). A storage whose place lies inside another's (the private bucket under a prefix of the
public one) is left out of the outer one's copy, so that no file is copied twice.
"""

import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages

from .errors import BackupError
from .manifest import FILES_DIR, Entry, hash_stream

SKIPPED = frozenset({"staticfiles"})


@dataclass
class Restored:
    """What restoring one storage did, for the report."""

    written: int = 0
    unchanged: int = 0
    extra: list[str] = field(default_factory=list)
    pruned: int = 0


def aliases() -> list[str]:
    return [alias for alias in settings.STORAGES if alias not in SKIPPED]


def place(storage) -> str | None:
    """Where a storage keeps its files, as a comparable string (a folder, or an S3 bucket and prefix)."""
    if isinstance(storage, FileSystemStorage):
        return Path(storage.location).resolve().as_posix().rstrip("/") + "/"
    bucket = getattr(storage, "bucket_name", None)
    if bucket:
        endpoint = getattr(storage, "endpoint_url", None) or ""
        location = (getattr(storage, "location", "") or "").strip("/")
        return f"s3://{endpoint}/{bucket}/" + (f"{location}/" if location else "")
    return None


def layout() -> dict[str, dict]:
    """Each storage to back up, with the name prefixes that belong to another storage (``inside``) or, for
    a storage in the same place as one before it, that other storage's alias (``same_as``)."""
    places = {alias: place(storages[alias]) for alias in aliases()}
    result: dict[str, dict] = {}
    for alias, here in places.items():
        same = [other for other in result if here is not None and places[other] == here]
        if same:
            result[alias] = {"same_as": same[0]}
            continue
        inside = sorted(
            there[len(here) :]
            for other, there in places.items()
            if other != alias and here and there and there != here and there.startswith(here)
        )
        result[alias] = {"inside": inside}
    return result


def names(storage, skip: list[str] = (), folder: str = ""):
    """Every file name in ``storage`` (recursively), but those under the prefixes ``skip``."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        path = posixpath.join(folder, name)
        if not any(path.startswith(prefix) for prefix in skip):
            yield path
    for name in sorted(folders):
        path = posixpath.join(folder, name)
        if not any(f"{path}/".startswith(prefix) for prefix in skip):
            yield from names(storage, skip, path)


def copy_out(folder: Path, storages_layout: dict[str, dict]) -> list[Entry]:
    """Copy every stored file into ``folder/files/<alias>/<name>``; returns their manifest entries."""
    entries = []
    for alias, plan in storages_layout.items():
        if "same_as" in plan:
            continue
        storage = storages[alias]
        for name in names(storage, plan["inside"]):
            relative = f"{FILES_DIR}/{alias}/{name}"
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                source = storage.open(name, "rb")
            except FileNotFoundError:
                continue  # deleted since it was listed: not part of the backup
            with source, open(target, "wb") as out:
                size, digest = hash_stream(source, out)
                out.flush()
                os.fsync(out.fileno())
            entries.append(Entry(path=relative, size=size, sha256=digest))
    return entries


def _same(storage, name: str, entry: Entry) -> bool:
    if not storage.exists(name) or storage.size(name) != entry.size:
        return False
    with storage.open(name, "rb") as fh:
        return hash_stream(fh)[1] == entry.sha256


def copy_in(folder: Path, alias: str, files: dict[str, Entry]) -> Restored:
    """Write the backup's files of one storage back into it (those already there with the same bytes are
    left alone); the files the backup does not hold are listed in ``extra``."""
    storage, done = storages[alias], Restored()
    for name, entry in files.items():
        if _same(storage, name, entry):
            done.unchanged += 1
            continue
        if storage.exists(name):
            storage.delete(name)
        with open(folder / entry.path, "rb") as fh:
            saved = storage.save(name, File(fh, name=posixpath.basename(name)))
        if saved != name:
            raise BackupError(f"The storage {alias!r} stored {name} as {saved}: restore stopped.")
        done.written += 1
    plan = layout()[alias]
    for name in names(storage, plan.get("inside", [])):
        if name not in files:
            done.extra.append(name)
    return done


def prune(alias: str, done: Restored) -> None:
    """Delete the files of a storage that the restored backup does not hold (``done.extra``)."""
    storage = storages[alias]
    for name in done.extra:
        storage.delete(name)
    done.pruned = len(done.extra)
