"""Storage of personal files (dossier papers, receipts, results) for the embedded default."""

import logging
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside MEDIA_ROOT with no URL: files reach users only through permission-checked views.

    The location is read from ``PRIVATE_MEDIA_ROOT`` on each use (not cached), so a changed setting counts.
    """

    @property
    def base_location(self):
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view that checks access.")


def private_storage():
    """The storage of personal files, which no URL serves (``STORAGES["private"]``: this folder by default,
    a private bucket in production). A callable, so that a field's storage follows the settings."""
    from django.core.files.storage import storages

    return storages["private"]


def delete_stored(storage, names) -> None:
    """Remove files stored for rows whose transaction did not commit: nothing is left behind by a failure
    half-way. A file already gone is what was wanted."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logging.getLogger("motcua.storage").warning("Could not delete stored file %s", name)


def delete_unnamed_files(storage, folder: str, named, *, older_than, dry_run: bool = False) -> list[str]:
    """Delete the files under ``folder`` of ``storage`` that no row names (``named(names)``: those of
    ``names`` a row holds), last modified more than ``older_than`` ago: a younger one may belong to a
    transaction still running. They are what a transaction leaves when it rolls back after writing its file,
    or its process dies in between. Rows are asked about a batch of files at a time, so memory stays small
    whatever the storage holds. Returns the names deleted (or, with ``dry_run``, that would be)."""
    from django.utils import timezone

    cutoff = timezone.now() - older_than
    deleted: list[str] = []

    def settle(batch: list[str]) -> None:
        kept = set(named(batch))
        for name in batch:
            if name not in kept:
                deleted.append(name)
                if not dry_run:
                    storage.delete(name)

    batch = []
    for name in _walk(storage, folder):
        if storage.get_modified_time(name) < cutoff:
            batch.append(name)
            if len(batch) == 500:
                settle(batch)
                batch = []
    settle(batch)
    return deleted


def _walk(storage, folder: str):
    if not storage.exists(folder):
        return
    folders, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}"
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}")
