"""The papers' files (thành phần hồ sơ): checked by their content, stored in the private storage, removed.

A refused file leaves the dossier exactly as it was; a stored file whose row does not commit is deleted
again, so nothing is left behind by a failure half-way.
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.core.filetypes import DEFAULT_ACCEPT, RejectedFile, check_file, named_as
from motcua.forms.schema import file_fields

from .. import selectors
from ..models import Attachment, AttachmentSource, Dossier
from .errors import invalid
from .lifecycle import editable

logger = logging.getLogger("motcua.dossiers")

# Files per component: a paper may be scanned page by page.
MAX_FILES_PER_COMPONENT = 20


def delete_stored(names) -> None:
    """Delete stored files of dossiers (after the rows that named them are gone)."""
    storage = Attachment._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # a file already gone is what we wanted
            logger.warning("Could not delete stored file %s", name)


def accepted_kinds(dossier: Dossier, component_order: int) -> tuple[str, ...]:
    """The kinds of file the component takes (the form's ``x-accept``), PDF/JPEG/PNG by default."""
    if dossier.form_id:
        for sub in file_fields(dossier.form.schema).values():
            if sub.get("x-component") == component_order:
                return tuple(sub.get("x-accept") or DEFAULT_ACCEPT)
    return DEFAULT_ACCEPT


def _read_upload(upload, limit: int) -> bytes:
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


def store_attachment(dossier, component, upload, *, by, source, account=None) -> tuple[Attachment, str]:
    """Check and store one file; returns the row and its stored name (to delete if the caller rolls back).

    With ``account`` (the id of the applicant uploading), the file must also fit in what that account may
    keep in its dossiers not yet finished (MOTCUA_MAX_ACCOUNT_MB).
    """
    file_limit = settings.MOTCUA_MAX_FILE_MB * 1024 * 1024
    total_limit = settings.MOTCUA_MAX_DOSSIER_MB * 1024 * 1024
    try:
        content = _read_upload(upload, file_limit)
        checked = check_file(content, accepted_kinds(dossier, component.order))
        _scan(checked.content, getattr(upload, "name", ""))
    except RejectedFile as exc:
        raise invalid("file", str(exc)) from None
    used, here = selectors.attachments_used(dossier, component.order)
    if used + len(checked.content) > total_limit:
        raise invalid(
            "file",
            _("All the files of one dossier may not exceed %(mb)s MB together.")
            % {"mb": settings.MOTCUA_MAX_DOSSIER_MB},
        )
    if here >= MAX_FILES_PER_COMPONENT:
        raise invalid("file", _("This paper already has the most files it can take."))
    if account is not None:
        # The account's row is locked (PostgreSQL): its uploads to several dossiers at once count in turn.
        get_user_model().objects.select_for_update().filter(pk=account).exists()
        account_limit = settings.MOTCUA_MAX_ACCOUNT_MB * 1024 * 1024
        if selectors.account_bytes(account) + len(checked.content) > account_limit:
            raise invalid(
                "file",
                _(
                    "The files of all your dossiers in progress may not exceed %(mb)s MB together: delete "
                    "the drafts or files you no longer need, then attach it again."
                )
                % {"mb": settings.MOTCUA_MAX_ACCOUNT_MB},
            )
    attachment = Attachment(
        dossier=dossier,
        component_order=component.order,
        component_name=component.name,
        original_name=named_as(getattr(upload, "name", "") or "", checked.kind.mime)[-255:],
        content_type=checked.kind.mime,
        active_content=" ".join(checked.active_content),
        size=len(checked.content),
        sha256=hashlib.sha256(checked.content).hexdigest(),
        source=source,
        uploaded_by=by,
    )
    attachment.file.save(f"upload.{checked.kind.extension}", ContentFile(checked.content), save=False)
    stored = attachment.file.name
    try:
        attachment.save()
    except Exception:
        delete_stored([stored])
        raise
    return attachment, stored


def component(dossier: Dossier, component_order):
    """The procedure's paper of that order (``DossierComponent``); a ValidationError when it has none."""
    try:
        order = int(component_order)
    except (TypeError, ValueError):
        order = None
    found = dossier.procedure.components.filter(order=order).first() if order is not None else None
    if found is None:
        raise invalid("component", _("This procedure has no such paper."))
    return found


def add_attachment(dossier: Dossier, *, component_order, upload, by, replace: bool = False) -> Attachment:
    """Attach ``upload`` (an uploaded file) to a paper of the applicant's draft.

    The file is checked by its content and cleaned (images lose their EXIF); a refused file leaves the
    draft exactly as it was. ``replace`` removes the paper's earlier files (the web form's "choose another
    file"); otherwise the file is added to them (pages of one paper). While a supplement is awaited, files
    are only added: what the desk received stays on the record.
    """
    stored = []
    try:
        with transaction.atomic():
            dossier = editable(dossier, by, supplement=True)
            paper = component(dossier, component_order)
            replace = replace and dossier.is_draft
            old = list(dossier.attachments.filter(component_order=paper.order)) if replace else []
            if old:
                Attachment.objects.filter(pk__in=[a.pk for a in old]).delete()
            attachment, name = store_attachment(
                dossier, paper, upload, by=by, source=AttachmentSource.APPLICANT, account=dossier.applicant_id
            )
            stored.append(name)
            Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
            transaction.on_commit(lambda: delete_stored([a.file.name for a in old]))
    except Exception:
        delete_stored(stored)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    editable(attachment.dossier, by)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: delete_stored([name]))
