"""The papers' files (thành phần hồ sơ): checked by their content, stored in the private storage, removed;
taken from the applicant's document store (kho dữ liệu) instead of a new upload, and kept there once sent.

A refused file leaves the dossier exactly as it was; a stored file whose row does not commit is deleted
again, so nothing is left behind by a failure half-way.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import storage
from motcua.core.filetypes import DEFAULT_ACCEPT, RejectedFile, named_as
from motcua.core.uploads import checked_upload
from motcua.documents import rules as store_rules
from motcua.documents import selectors as document_selectors
from motcua.documents import services as documents
from motcua.documents.models import StoredDocument
from motcua.documents.rules import StoreAction
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
    storage.delete_stored(Attachment._meta.get_field("file").storage, names)


def delete_orphan_files(*, older_than=datetime.timedelta(hours=1), dry_run: bool = False) -> list[str]:
    """Delete the papers' files (``dossiers/`` of the private storage) that no attachment row names: left
    when the process storing one died between writing its file and committing its row (a rolled-back
    transaction deletes its own). Files younger than ``older_than`` are kept: their upload may still be
    running. Run by ``manage.py delete_orphan_attachments`` and, daily, by Celery beat. Returns the names
    deleted (or, with ``dry_run``, that would be)."""
    return storage.delete_unnamed_files(
        Attachment._meta.get_field("file").storage, "dossiers",
        lambda names: Attachment.objects.filter(file__in=names).values_list("file", flat=True),
        older_than=older_than, dry_run=dry_run,
    )  # fmt: skip


def accepted_kinds(dossier: Dossier, component_order: int) -> tuple[str, ...]:
    """The kinds of file the component takes (the form's ``x-accept``), PDF/JPEG/PNG by default."""
    if dossier.form_id:
        for sub in file_fields(dossier.form.schema).values():
            if sub.get("x-component") == component_order:
                return tuple(sub.get("x-accept") or DEFAULT_ACCEPT)
    return DEFAULT_ACCEPT


def store_attachment(
    dossier, component, upload, *, by, source, account=None, reused_from=None
) -> tuple[Attachment, str]:
    """Check and store one file; returns the row and its stored name (to delete if the caller rolls back).

    With ``account`` (the id of the applicant uploading), the file must also fit in what that account may
    keep in its dossiers not yet finished (MOTCUA_MAX_ACCOUNT_MB). ``reused_from``: the entry of the
    applicant's document store the file is a copy of.
    """
    file_limit = settings.MOTCUA_MAX_FILE_MB * 1024 * 1024
    total_limit = settings.MOTCUA_MAX_DOSSIER_MB * 1024 * 1024
    try:
        checked = checked_upload(upload, accept=accepted_kinds(dossier, component.order), limit=file_limit)
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
        reused_from=reused_from,
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
    return _attach(dossier, component_order=component_order, by=by, replace=replace, upload=lambda _p: upload)


def reuse_stored_paper(
    dossier: Dossier, *, component_order, stored_id, by, replace: bool = True
) -> Attachment:
    """Dùng giấy tờ đã lưu trong kho: attach to a paper of the applicant's draft (or supplement) a copy of a
    paper kept in their document store, instead of uploading it again.

    The stored paper must be the applicant's own (anyone else's is "not in your store"), of the kind the
    component asks for, and valid today; its file is checked as an upload is (kind of file, size, the
    dossier's and the account's limits). The dossier keeps its own copy, and ``reused_from`` says where it
    came from. ``replace`` as for ``add_attachment`` (the web form replaces).
    """

    def copy_of(paper) -> ContentFile:
        try:
            entry = document_selectors.entry_of(by, stored_id)
        except StoredDocument.DoesNotExist:
            raise invalid("stored_document", _("This paper is not in your document store.")) from None
        if entry.owner_id != dossier.applicant_id or not store_rules.allowed(StoreAction.REUSE, entry, by):
            raise invalid("stored_document", _("This paper is not in your document store."))
        if not paper.paper_kind or entry.paper_kind != paper.paper_kind:
            raise invalid("stored_document", _("This stored paper is not of the kind this part asks for."))
        if not entry.is_valid_on(timezone.localdate()):
            raise invalid(
                "stored_document", _("This stored paper is no longer valid; attach a valid one instead.")
            )
        try:
            content = document_selectors.stored_bytes(entry)
        except document_selectors.TamperedDocument:
            logger.error("Stored paper %s no longer matches its SHA-256", entry.pk)
            message = _("This stored paper cannot be used; attach the file instead.")
            raise invalid("stored_document", message) from None
        _content_type, name = document_selectors.stored_file_facts(entry)
        copy = ContentFile(content, name=name)
        copy.reused_from = entry
        return copy

    return _attach(dossier, component_order=component_order, by=by, replace=replace, upload=copy_of)


def _attach(dossier: Dossier, *, component_order, by, replace: bool, upload) -> Attachment:
    """Store the file ``upload(paper)`` gives for a paper of the draft, all or nothing (add_attachment)."""
    stored = []
    try:
        with transaction.atomic():
            dossier = editable(dossier, by, supplement=True)
            paper = component(dossier, component_order)
            content = upload(paper)
            reused = getattr(content, "reused_from", None)
            replace = replace and dossier.is_draft
            old = list(dossier.attachments.filter(component_order=paper.order)) if replace else []
            if old:
                Attachment.objects.filter(pk__in=[a.pk for a in old]).delete()
            attachment, name = store_attachment(
                dossier, paper, content, by=by, account=dossier.applicant_id, reused_from=reused,
                source=AttachmentSource.STORE if reused is not None else AttachmentSource.APPLICANT,
            )  # fmt: skip
            stored.append(name)
            Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
            transaction.on_commit(lambda: delete_stored([a.file.name for a in old]))
    except Exception:
        delete_stored(stored)
        raise
    return attachment


def keep_sent_papers(dossier: Dossier) -> int:
    """The papers the applicant uploaded with a dossier they sent go into their document store (kho dữ
    liệu), each as a copy of its own, named as the procedure names the paper, with the kind its component
    asks for; papers reused from the store and files scanned at the desk are not kept again. Idempotent
    (run by a task after the sending commits). Returns how many entries the store has for its papers."""
    if dossier.applicant_id is None or dossier.is_draft:
        return 0
    kinds = {
        c.get("order"): c.get("paper_kind", "")
        for c in (dossier.procedure_record or {}).get("components", [])
    }
    kept = 0
    for attachment in dossier.attachments.filter(source=AttachmentSource.APPLICANT):
        with attachment.file.open("rb") as stored:
            content = stored.read()
        kind = kinds.get(attachment.component_order) or ""
        # The paper's name as the procedure gives it (Vietnamese data, whatever the language of the task).
        title = attachment.component_name or attachment.download_name
        entry = documents.keep_paper(
            owner=dossier.applicant, origin=attachment, content=content, content_type=attachment.content_type,
            original_name=attachment.download_name, title=title[:255], paper_kind=kind,
        )  # fmt: skip
        kept += entry is not None
    return kept


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    editable(attachment.dossier, by)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: delete_stored([name]))
