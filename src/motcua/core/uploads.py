"""An uploaded file read within its size limit, checked by its content (``filetypes``) and by the virus
scanner the operator configured (``MOTCUA_VIRUS_SCANNER``): the one gate every upload of the portal passes,
a dossier's paper or a petition's attachment alike."""

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .filetypes import DEFAULT_ACCEPT, CheckedFile, RejectedFile, check_file


def checked_upload(upload, *, accept=DEFAULT_ACCEPT, limit: int | None = None) -> CheckedFile:
    """``upload`` (an uploaded file, or any object with ``read`` and ``name``) read at most ``limit`` bytes
    (``MOTCUA_MAX_FILE_MB`` by default), of one of the kinds ``accept`` names, cleaned, and scanned; a
    ``RejectedFile`` saying why, for the person who sent it, otherwise."""
    limit = settings.MOTCUA_MAX_FILE_MB * 1024 * 1024 if limit is None else limit
    checked = check_file(_read(upload, limit), accept)
    _scan(checked.content, getattr(upload, "name", "") or "")
    return checked


def _read(upload, limit: int) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise RejectedFile(_too_big(limit))
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise RejectedFile(_too_big(limit))
    return content


def _too_big(limit: int) -> str:
    return _("The file is larger than %(mb)s MB; scan it at a lower resolution or split it.") % {
        "mb": limit // (1024 * 1024)
    }


def _scan(content: bytes, name: str) -> None:
    path = settings.MOTCUA_VIRUS_SCANNER
    if not path:
        return
    reason = import_string(path)(content, name)
    if reason:
        raise RejectedFile(_("The file was refused by the virus check: %(reason)s") % {"reason": reason})
