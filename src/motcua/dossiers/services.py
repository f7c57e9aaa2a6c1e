"""Writes of dossiers: drafts, attachments, submission and registration at the counter.

Every function that changes a dossier's status runs in one transaction that also writes the history row
(process control sheet), the audit row and the notification, so that either all of it happens or none.
Web pages, the API, the admin and commands call these functions; nothing else assigns ``status``.

Errors:
- ``django.core.exceptions.ValidationError`` with a dict ``{field path: [message, …]}`` for bad input;
- ``ActionRefused`` when the dossier is not in a state that allows the action (HTTP 409);
- ``django.core.exceptions.PermissionDenied`` when the person may not act on it (HTTP 403/404).
"""

import hashlib
import logging
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import AccountKind
from motcua.audit import services as audit
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.catalog.services import procedure_to_record
from motcua.core.filetypes import DEFAULT_ACCEPT, RejectedFile, check_file
from motcua.forms import selectors as form_selectors
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm
from motcua.forms.schema import file_fields
from motcua.notifications import services as notifications
from motcua.workcalendar import selectors as calendar

from . import selectors
from .models import (
    ApplicantKind,
    Attachment,
    AttachmentSource,
    Dossier,
    DossierEvent,
    DossierStatus,
    IdempotencyKey,
)

logger = logging.getLogger(__name__)

# Form data of one dossier, as JSON, may not exceed this (a form is a few kilobytes).
MAX_DATA_BYTES = 256 * 1024
# Files per component: a paper may be scanned page by page.
MAX_FILES_PER_COMPONENT = 20


class ActionRefused(Exception):
    """The dossier is not in a state that allows this action; ``str(exc)`` says why, for the user."""


def _invalid(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


# --- drafts ------------------------------------------------------------------


def _online_form(procedure: Procedure) -> OnlineForm:
    try:
        return form_selectors.published_form(procedure.code)
    except OnlineForm.DoesNotExist:
        raise _invalid(
            "procedure",
            _("The procedure %(code)s cannot be submitted online yet.") % {"code": procedure.code},
        ) from None


def _check_procedure_online(procedure: Procedure) -> OnlineForm:
    if not procedure.is_active or not procedure.accepts_online_submission:
        raise _invalid(
            "procedure", _("The procedure %(code)s cannot be submitted online.") % {"code": procedure.code}
        )
    return _online_form(procedure)


def _check_data(data) -> dict:
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise _invalid("data", _("The form data must be an object of fields and values."))
    import json

    if len(json.dumps(data, ensure_ascii=False).encode()) > MAX_DATA_BYTES:
        raise _invalid("data", _("The form data is far too long."))
    return data


def _check_agency(procedure: Procedure, agency: Agency | None) -> Agency | None:
    """The receiving agency must implement the procedure; with only one, it is chosen for the applicant."""
    agencies = selectors.receiving_agencies(procedure)
    if agency is None:
        return agencies[0] if len(agencies) == 1 else None
    if agency.pk not in {a.pk for a in agencies}:
        raise _invalid(
            "agency", _("%(agency)s does not receive dossiers of this procedure.") % {"agency": agency.name}
        )
    return agency


def _check_applicant(procedure: Procedure, user) -> None:
    kinds = set(procedure.applicant_types or [])
    if user.kind == AccountKind.BUSINESS and kinds and not kinds & {"business", "organisation"}:
        raise _invalid("procedure", _("This procedure is for citizens; a business account cannot submit it."))
    if user.kind == AccountKind.CITIZEN and kinds and not kinds & {"citizen", "foreigner"}:
        raise _invalid("procedure", _("This procedure is for businesses and organisations."))
    if user.kind not in (AccountKind.CITIZEN, AccountKind.BUSINESS):
        raise PermissionDenied(_("Only citizens and businesses submit dossiers online."))


@transaction.atomic
def create_draft(
    *,
    procedure: Procedure,
    applicant,
    agency: Agency | None = None,
    data: dict | None = None,
    idempotency_key: str = "",
) -> Dossier:
    """A new draft (bản nháp) of ``applicant`` for ``procedure``; nothing is checked against the form yet.

    With an ``idempotency_key`` a repeated request returns the draft the first one created.
    """
    if idempotency_key:
        existing = selectors.idempotent_dossier(applicant, "create", idempotency_key)
        if existing is not None:
            return existing
    _check_applicant(procedure, applicant)
    form = _check_procedure_online(procedure)
    dossier = Dossier.objects.create(
        procedure=procedure,
        form=form,
        agency=_check_agency(procedure, agency),
        applicant=applicant,
        submitted_by=applicant,
        applicant_kind=ApplicantKind.BUSINESS
        if applicant.kind == AccountKind.BUSINESS
        else ApplicantKind.CITIZEN,
        channel=Channel.ONLINE,
        data=_check_data(data),
    )
    if idempotency_key:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(
                    user=applicant, scope="create", key=idempotency_key[:200], dossier=dossier
                )
        except IntegrityError:
            # A concurrent request with the same key won: answer with its draft, keep none of ours.
            transaction.set_rollback(True)
            return selectors.idempotent_dossier(applicant, "create", idempotency_key)
    return dossier


def _editable_draft(dossier: Dossier, by) -> Dossier:
    """The draft, locked for this change, when ``by`` may change it."""
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if not selectors.can_edit(locked, by):
        raise PermissionDenied(_("This dossier is not yours to change."))
    if locked.status != DossierStatus.DRAFT:
        raise ActionRefused(_("The dossier has been sent and can no longer be changed."))
    return locked


@transaction.atomic
def update_draft(dossier: Dossier, *, by, data=None, agency: Agency | None = None) -> Dossier:
    """Keep what the applicant entered so far (any step, unchecked); ``None`` leaves a part as it was."""
    dossier = _editable_draft(dossier, by)
    fields = ["updated_at"]
    if data is not None:
        dossier.data = _check_data(data)
        fields.append("data")
    if agency is not None:
        dossier.agency = _check_agency(dossier.procedure, agency)
        fields.append("agency")
    dossier.save(update_fields=fields)
    return dossier


@transaction.atomic
def delete_draft(dossier: Dossier, *, by) -> None:
    dossier = _editable_draft(dossier, by)
    names = [a.file.name for a in dossier.attachments.all()]
    dossier.delete()
    transaction.on_commit(lambda: _delete_files(names))


# --- attachments ------------------------------------------------------------------


def _delete_files(names) -> None:
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


def _store_attachment(dossier, component, upload, *, by, source) -> tuple[Attachment, str]:
    """Check and store one file; returns the row and its stored name (to delete if the caller rolls back)."""
    file_limit = settings.MOTCUA_MAX_FILE_MB * 1024 * 1024
    total_limit = settings.MOTCUA_MAX_DOSSIER_MB * 1024 * 1024
    try:
        content = _read_upload(upload, file_limit)
        checked = check_file(content, accepted_kinds(dossier, component.order))
        _scan(checked.content, getattr(upload, "name", ""))
    except RejectedFile as exc:
        raise _invalid("file", str(exc)) from None
    used = selectors.attachments_size(dossier)
    if used + len(checked.content) > total_limit:
        raise _invalid(
            "file",
            _("All the files of one dossier may not exceed %(mb)s MB together.")
            % {"mb": settings.MOTCUA_MAX_DOSSIER_MB},
        )
    if dossier.attachments.filter(component_order=component.order).count() >= MAX_FILES_PER_COMPONENT:
        raise _invalid("file", _("This paper already has the most files it can take."))
    attachment = Attachment(
        dossier=dossier,
        component_order=component.order,
        component_name=component.name,
        original_name=(getattr(upload, "name", "") or "")[-255:],
        content_type=checked.kind.mime,
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
        _delete_files([stored])
        raise
    return attachment, stored


def _component(dossier: Dossier, component_order) -> "object":
    try:
        order = int(component_order)
    except (TypeError, ValueError):
        order = None
    component = dossier.procedure.components.filter(order=order).first() if order is not None else None
    if component is None:
        raise _invalid("component", _("This procedure has no such paper."))
    return component


def add_attachment(dossier: Dossier, *, component_order, upload, by, replace: bool = False) -> Attachment:
    """Attach ``upload`` (an uploaded file) to a paper of the applicant's draft.

    The file is checked by its content and cleaned (images lose their EXIF); a refused file leaves the
    draft exactly as it was. ``replace`` removes the paper's earlier files (the web form's "choose another
    file"); otherwise the file is added to them (pages of one paper).
    """
    stored = []
    try:
        with transaction.atomic():
            dossier = _editable_draft(dossier, by)
            component = _component(dossier, component_order)
            old = list(dossier.attachments.filter(component_order=component.order)) if replace else []
            if old:
                Attachment.objects.filter(pk__in=[a.pk for a in old]).delete()
            attachment, name = _store_attachment(
                dossier, component, upload, by=by, source=AttachmentSource.APPLICANT
            )
            stored.append(name)
            Dossier.objects.filter(pk=dossier.pk).update(updated_at=timezone.now())
            transaction.on_commit(lambda: _delete_files([a.file.name for a in old]))
    except Exception:
        _delete_files(stored)
        raise
    return attachment


@transaction.atomic
def remove_attachment(attachment: Attachment, *, by) -> None:
    _editable_draft(attachment.dossier, by)
    name = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: _delete_files([name]))


# --- submission ------------------------------------------------------------------


def allocate_code(agency: Agency, moment: datetime) -> str:
    """The next dossier code of ``agency`` for the local day of ``moment``: no gaps, no duplicates.

    One statement increments the agency's counter of the day (creating it at 1): it holds the row lock until
    the caller's transaction ends, so concurrent submissions to one agency take turns, and a rolled-back
    submission gives its number back. SQLite (3.35+) and PostgreSQL both run it.
    """
    day = calendar.local(moment).date()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dossiers_codesequence (agency_id, day, last) VALUES (%s, %s, 1) "
            "ON CONFLICT (agency_id, day) DO UPDATE SET last = dossiers_codesequence.last + 1 "
            "RETURNING last",
            [agency.pk, day],
        )
        (seq,) = cursor.fetchone()
    return settings.MOTCUA_DOSSIER_CODE_FORMAT.format(
        agency_code=agency.code, yymmdd=day.strftime("%y%m%d"), seq=seq, date=day
    )


def _snapshot(procedure: Procedure) -> dict:
    procedure = (
        Procedure.objects.select_related("sector")
        .prefetch_related("agencies", "steps", "methods", "fees", "components", "legal_basis")
        .get(pk=procedure.pk)
    )
    record = procedure_to_record(procedure)
    for item, component in zip(record["components"], procedure.components.all(), strict=True):
        item["order"] = component.order
    return record


def _fill_applicant(dossier: Dossier, user) -> None:
    profile = account_selectors.applicant_profile(user)
    dossier.applicant_name = profile.get("name", "")[:255]
    dossier.applicant_id_number = profile.get("id_number", "")
    dossier.applicant_phone = profile.get("phone", "")
    dossier.applicant_email = profile.get("email", "")
    dossier.applicant_address = str(profile.get("address") or "")[:500]


def _history(dossier, *, action, by, from_status, note="", from_agency=None, to_agency=None, **detail):
    return DossierEvent.objects.create(
        dossier=dossier,
        at=timezone.now(),
        action=action,
        actor=by,
        actor_name=(by.get_full_name() if by is not None else "")[:255],
        from_status=from_status,
        to_status=dossier.status,
        from_agency=from_agency,
        to_agency=to_agency or dossier.agency,
        note=note,
        detail=detail,
    )


def _notify_submitted(dossier: Dossier) -> None:
    notifications.notify(
        topic="dossier.submitted",
        template="dossier_submitted",
        context=selectors.notification_context(dossier),
        recipient=dossier.applicant,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        subject=dossier,
        link=selectors.applicant_link(dossier),
        attachments=[["motcua.documents.services.receipt_attachment", [dossier.pk]]],
    )


def _validate_for_submission(dossier: Dossier, form: OnlineForm, applicant_user) -> None:
    errors = form_services.validate_submission(
        form,
        dossier.data,
        files_present=selectors.components_with_files(dossier),
        applicant=account_selectors.applicant_profile(applicant_user) if applicant_user else None,
    )
    if dossier.agency_id is None:
        errors.setdefault("agency", []).append(_("Choose the agency that receives your dossier."))
    if errors:
        raise ValidationError(errors)


def submit(dossier: Dossier, *, by, request=None) -> Dossier:
    """Send a draft (nộp hồ sơ): status "newly submitted", a code, a provisional due date, all at once.

    Sending the same draft again (a double click, a retried request) returns the dossier as it was sent,
    without a second code: the draft's row lock makes concurrent sends take turns.
    """
    with transaction.atomic():
        locked = (
            Dossier.objects.select_for_update(of=("self",))
            .select_related("procedure", "agency")
            .get(pk=dossier.pk)
        )
        if not selectors.can_edit(locked, by):
            raise PermissionDenied(_("This dossier is not yours to send."))
        if locked.status != DossierStatus.DRAFT:
            if locked.submitted_by_id == by.pk and locked.status == DossierStatus.SUBMITTED:
                return locked  # already sent by this very person: the same answer again
            raise ActionRefused(_("The dossier has already been sent."))
        form = _check_procedure_online(locked.procedure)
        # The version published now is the one the dossier is received under.
        locked.form = form
        _validate_for_submission(locked, form, locked.applicant)
        now = timezone.now()
        _fill_applicant(locked, locked.applicant)
        locked.procedure_record = _snapshot(locked.procedure)
        locked.code = allocate_code(locked.agency, now)
        locked.status = DossierStatus.SUBMITTED
        locked.submitted_at = locked.received_at = now
        deadline = selectors.deadline(locked.procedure, locked.channel, now)
        locked.due_at = deadline.due_at if deadline else None
        locked.due_is_provisional = True
        locked.version += 1
        locked.save()
        _history(
            locked,
            action="submit",
            by=by,
            from_status=DossierStatus.DRAFT,
            due_at=locked.due_at.isoformat() if locked.due_at else None,
            form_version=form.version,
        )
        _notify_submitted(locked)
        # Last: the audit chain's head stays locked only until this transaction commits.
        audit.record("dossier.submit", actor=by, request=request, target=locked, target_label=locked.code)
    return locked


# --- registration at the counter ------------------------------------------------------------------


def register_at_counter(
    *,
    officer,
    procedure: Procedure,
    agency: Agency,
    channel: str,
    applicant: dict,
    data: dict | None = None,
    files=(),
    applicant_user=None,
    note: str = "",
    request=None,
) -> Dossier:
    """A dossier handed in at the desk or by post, registered by a desk officer who scans the papers.

    ``applicant``: name, id_number, phone, email, address, kind (citizen/business); ``files``: pairs of
    (component order, uploaded file). The desk checks the papers as it receives them, so the dossier is
    received at once and its due date is final. Everything is stored, or nothing.
    """
    if channel not in (Channel.IN_PERSON, Channel.POSTAL):
        raise _invalid("channel", _("A dossier registered at the desk comes in person or by post."))
    if not account_selectors.has_role(officer, agency, "desk"):
        raise PermissionDenied(
            _("Only a desk officer of %(agency)s registers its dossiers.") % {"agency": agency}
        )
    if not procedure.is_active:
        raise _invalid("procedure", _("This procedure is no longer in force."))
    if agency.pk not in {a.pk for a in selectors.receiving_agencies(procedure)}:
        raise _invalid(
            "agency", _("%(agency)s does not receive dossiers of this procedure.") % {"agency": agency.name}
        )
    errors = selectors.check_counter_applicant(applicant)
    if errors:
        raise ValidationError(errors)
    stored: list[str] = []
    try:
        with transaction.atomic():
            now = timezone.now()
            form = OnlineForm.objects.filter(procedure=procedure, status="published").first()
            dossier = Dossier.objects.create(
                procedure=procedure,
                form=form,
                agency=agency,
                applicant=applicant_user,
                submitted_by=officer,
                applicant_kind=applicant.get("kind") or ApplicantKind.CITIZEN,
                applicant_name=applicant["name"].strip(),
                applicant_id_number=applicant["id_number"].strip(),
                applicant_phone=(applicant.get("phone") or "").strip(),
                applicant_email=(applicant.get("email") or "").strip(),
                applicant_address=(applicant.get("address") or "").strip(),
                channel=channel,
                data=_check_data(data),
            )
            for order, upload in files:
                component = _component(dossier, order)
                try:
                    _attachment, name = _store_attachment(
                        dossier, component, upload, by=officer, source=AttachmentSource.DESK
                    )
                except ValidationError as exc:
                    # Named by the paper, so that the desk sees which scan to redo.
                    raise ValidationError({f"component.{component.order}": exc.messages}) from None
                stored.append(name)
            dossier.procedure_record = _snapshot(procedure)
            dossier.code = allocate_code(agency, now)
            dossier.status = DossierStatus.RECEIVED
            dossier.submitted_at = dossier.received_at = now
            deadline = selectors.deadline(procedure, channel, now)
            dossier.due_at = deadline.due_at if deadline else None
            dossier.due_is_provisional = False
            dossier.version = 1
            dossier.save()
            _history(
                dossier,
                action="register",
                by=officer,
                from_status=None,
                note=note,
                due_at=dossier.due_at.isoformat() if dossier.due_at else None,
            )
            _notify_submitted(dossier)
            audit.record(
                "dossier.register", actor=officer, request=request, target=dossier, target_label=dossier.code
            )
    except Exception:
        _delete_files(stored)
        raise
    return dossier
