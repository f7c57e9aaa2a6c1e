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
