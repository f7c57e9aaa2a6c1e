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
import inspect
import json
import logging
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import AccountKind, User
from motcua.audit import services as audit
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.catalog.services import procedure_to_record
from motcua.core.filetypes import DEFAULT_ACCEPT, RejectedFile, check_file
from motcua.documents import pki
from motcua.documents import services as documents
from motcua.forms import selectors as form_selectors
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm
from motcua.forms.schema import file_fields
from motcua.notifications import services as notifications
from motcua.workcalendar import selectors as calendar

from . import rules, selectors, workflow
from .models import (
    ApologyLetter,
    ApplicantKind,
    Attachment,
    AttachmentSource,
    BudgetUnit,
    Dossier,
    DossierAction,
    DossierComment,
    DossierEvent,
    DossierStatus,
    DossierStep,
    IdempotencyKey,
    StepKind,
    StepRole,
    SupplementClock,
    SupplementRequest,
    Timeliness,
    Workflow,
    WorkflowStep,
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
            # A concurrent request with the same key won (PostgreSQL let it commit first): answer with its
            # draft and keep none of ours. Read it before marking the transaction for rollback, after which
            # no query may run.
            winner = selectors.idempotent_dossier(applicant, "create", idempotency_key)
            transaction.set_rollback(True)
            return winner
    return dossier


def _editable_draft(dossier: Dossier, by, *, supplement: bool = False) -> Dossier:
    """The draft, locked for this change, when ``by`` may change it. With ``supplement``, also a dossier
    waiting for the applicant's supplement (its papers and data may then be completed)."""
    # Only the dossier's row is locked; its procedure and form come in the same query.
    locked = (
        Dossier.objects.select_for_update(of=("self",)).select_related("procedure", "form").get(pk=dossier.pk)
    )
    if not selectors.can_edit(locked, by):
        raise PermissionDenied(_("This dossier is not yours to change."))
    allowed = (
        {DossierStatus.DRAFT, DossierStatus.SUPPLEMENT_REQUESTED} if supplement else {DossierStatus.DRAFT}
    )
    if locked.status not in allowed:
        raise ActionRefused(_("The dossier has been sent and can no longer be changed."))
    return locked


@transaction.atomic
def update_draft(dossier: Dossier, *, by, data=None, agency: Agency | None = None) -> Dossier:
    """Keep what the applicant entered so far (any step, unchecked); ``None`` leaves a part as it was."""
    dossier = _editable_draft(dossier, by, supplement=True)
    fields = ["updated_at"]
    if data is not None:
        dossier.data = _check_data(data)
        fields.append("data")
    if agency is not None and dossier.is_draft:
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
    used, here = selectors.attachments_used(dossier, component.order)
    if used + len(checked.content) > total_limit:
        raise _invalid(
            "file",
            _("All the files of one dossier may not exceed %(mb)s MB together.")
            % {"mb": settings.MOTCUA_MAX_DOSSIER_MB},
        )
    if here >= MAX_FILES_PER_COMPONENT:
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
    file"); otherwise the file is added to them (pages of one paper). While a supplement is awaited, files
    are only added: what the desk received stays on the record.
    """
    stored = []
    try:
        with transaction.atomic():
            dossier = _editable_draft(dossier, by, supplement=True)
            component = _component(dossier, component_order)
            replace = replace and dossier.is_draft
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
    """The procedure as it stands now, kept on the dossier (the version it was received under).

    Cached per catalogue revision: every write to the catalogue gives a new revision (catalog.signals), so a
    cached record is the procedure exactly as the database holds it, at the cost of one query, not eight.
    """
    key = f"dossiers:procedure-record:{procedure.pk}:{catalog_selectors.catalogue_revision()}"
    record = cache.get(key)
    if record is not None:
        return record
    procedure = (
        Procedure.objects.select_related("sector")
        .prefetch_related("agencies", "steps", "methods", "fees", "components", "legal_basis")
        .get(pk=procedure.pk)
    )
    record = procedure_to_record(procedure)
    for item, component in zip(record["components"], procedure.components.all(), strict=True):
        item["order"] = component.order
    cache.set(key, record, 24 * 3600)
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
        detail=audit.plain(detail),  # dates and numbers as JSON text
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
            .select_related("procedure", "agency", "applicant")
            .prefetch_related("procedure__methods")  # read by the due date and the workflow's budgets
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
        _start_workflow(locked, now, save=False)
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
            _start_workflow(dossier, now, received_by=officer)
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


# --- the workflow: steps and the clock ------------------------------------------------------------------


def _step_due(definition_step, start: datetime) -> datetime:
    return calendar.add_working_time(start, hours=definition_step.hours).due_at


def _open_step(dossier: Dossier, definition_step, now: datetime, *, assignee=None) -> DossierStep:
    """Start a step of the workflow: the dossier is now held by the step's agency."""
    agency_id = definition_step.acting_agency_id(dossier.agency_id)
    step = DossierStep.objects.create(
        dossier=dossier,
        order=definition_step.order,
        name=definition_step.name,
        kind=definition_step.kind,
        role=definition_step.role,
        agency_id=agency_id,
        assignee=assignee,
        started_at=now,
        due_at=_step_due(definition_step, now),
    )
    dossier.current_step = step
    dossier.acting_role = step.role
    dossier.current_agency_id = agency_id
    dossier.assignee = assignee
    return step


def timeliness(finished_at: datetime, due_at: datetime | None) -> str:
    """Early when done on a working day before the due day, late when after the due moment."""
    if due_at is None:
        return Timeliness.ON_TIME
    if finished_at > due_at:
        return Timeliness.LATE
    if calendar.local(finished_at).date() < calendar.local(due_at).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


def _close_step(dossier: Dossier, now: datetime, outcome: str) -> None:
    step = dossier.current_step
    if step is None or step.finished_at is not None:
        return
    step.finished_at = now
    step.outcome = outcome
    step.timeliness = timeliness(now, step.due_at)
    step.save(update_fields=["finished_at", "outcome", "timeliness"])
    # The history row of this transition names the step it closed (the control sheet shows its timeliness).
    dossier._closed_step_order = step.order


def _start_workflow(dossier: Dossier, now: datetime, *, received_by=None, save: bool = True) -> None:
    """The reception step, opened when the dossier arrives; closed at once for a counter registration."""
    definition = workflow.definition_for(dossier.procedure)
    dossier.workflow = definition.workflow
    first = definition.steps[0]
    step = _open_step(dossier, first, now, assignee=received_by)
    if received_by is not None:
        _close_step(dossier, now, DossierAction.REGISTER)
        nxt = definition.after(step.order)
        if nxt is not None:
            _open_step(dossier, nxt, now)
    if save:
        dossier.save(update_fields=["workflow", "current_step", "acting_role", "current_agency", "assignee"])


def _definition(dossier: Dossier):
    return workflow.definition_for(dossier.procedure, dossier.workflow)


# --- transitions ----------------------------------------------------------------------------------------


def _locked(dossier: Dossier, version: int | None) -> Dossier:
    locked = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure", "agency", "current_step", "workflow")
        .get(pk=dossier.pk)
    )
    if version is not None and int(version) != locked.version:
        raise ActionRefused(_("Someone else has just acted on this dossier; reload it to see what changed."))
    return locked


def _check(action: str, dossier: Dossier, by) -> None:
    """Refuse ``action`` by ``by`` now: ActionRefused for the wrong moment, PermissionDenied for the wrong
    person. An officer of another agency never learns more than that they may not."""
    roles = rules.Roles(by)
    if not rules.possible(action, dossier, dossier.current_step):
        if not selectors.can_read(dossier, by):
            raise PermissionDenied(_("This dossier is not handled by your agency."))
        raise ActionRefused(
            _("“%(action)s” is not possible while the dossier is “%(status)s”.")
            % {"action": DossierAction(action).label, "status": DossierStatus(dossier.status).label}
        )
    if not rules.allowed(action, dossier, dossier.current_step, roles):
        raise PermissionDenied(
            _("You may not “%(action)s” this dossier.") % {"action": DossierAction(action).label}
        )


def _move(dossier, *, by, action, to_status, note="", request=None, from_agency=None, **detail):
    """What every transition ends with: the new status, a history row, the applicant told, an audit row."""
    previous = dossier.status
    dossier.status = to_status
    dossier.version += 1
    dossier.save()
    closed = getattr(dossier, "_closed_step_order", None)
    if closed is not None:
        detail["step_order"] = closed
    _history(
        dossier, action=action, by=by, from_status=previous, note=note,
        from_agency=from_agency, to_agency=dossier.current_agency, **detail,
    )  # fmt: skip
    if previous != to_status:
        notifications.notify(
            topic="dossier.status_changed",
            template="dossier_status_changed",
            context={**selectors.notification_context(dossier), "note": note},
            recipient=dossier.applicant,
            email=dossier.applicant_email,
            phone=dossier.applicant_phone,
            subject=dossier,
            link=selectors.applicant_link(dossier),
        )
    audit.record(
        f"dossier.{action}", actor=by, request=request, target=dossier, target_label=dossier.code,
        from_status=previous, to_status=to_status,
    )  # fmt: skip
    return dossier


def _require(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise _invalid(field, message)
    return value


@transaction.atomic
def receive(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Tiếp nhận: the desk accepts an online dossier; its due date is fixed from now, the receipt reissued."""
    dossier = _locked(dossier, version)
    _check(DossierAction.RECEIVE, dossier, by)
    now = timezone.now()
    deadline = selectors.deadline(dossier.procedure, dossier.channel, now)
    dossier.received_at = now
    dossier.due_at = deadline.due_at if deadline else None
    dossier.due_is_provisional = False
    dossier.current_step.assignee = by
    dossier.current_step.save(update_fields=["assignee"])
    _close_step(dossier, now, DossierAction.RECEIVE)
    nxt = _definition(dossier).after(dossier.current_step.order)
    from_agency = dossier.current_agency
    _open_step(dossier, nxt, now)
    # The slip the applicant holds must show the date fixed now, not the provisional one.
    documents.supersede(dossier, "receipt")
    return _move(
        dossier, by=by, action=DossierAction.RECEIVE, to_status=DossierStatus.RECEIVED, note=note,
        request=request, from_agency=from_agency, due_at=dossier.due_at,
    )  # fmt: skip


@transaction.atomic
def refuse(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Từ chối tiếp nhận (slip 03): the dossier is not received, with the reason."""
    note = _require(note, "note", _("Give the reason for refusing the dossier."))
    dossier = _locked(dossier, version)
    _check(DossierAction.REFUSE, dossier, by)
    now = timezone.now()
    _close_step(dossier, now, DossierAction.REFUSE)
    dossier.finished_at = now
    dossier.outcome = "refused"
    return _move(
        dossier,
        by=by,
        action=DossierAction.REFUSE,
        to_status=DossierStatus.REFUSED,
        note=note,
        request=request,
    )


@transaction.atomic
def request_supplement(
    dossier: Dossier, *, by, note: str = "", papers=(), leader_reason: str = "", version=None, request=None
) -> Dossier:
    """Yêu cầu bổ sung (slip 02): the clock stops until the applicant supplies the papers listed.

    The applicant should not be asked more than twice (Decree 63/2010 Art. 20(4)): a third request needs a
    leader, who records why.
    """
    note = _require(note, "note", _("Say what is missing or wrong, so that the applicant can put it right."))
    dossier = _locked(dossier, version)
    _check(DossierAction.REQUEST_SUPPLEMENT, dossier, by)
    papers = _check_papers(papers)
    leader = None
    if dossier.supplement_count >= 2:
        if not account_selectors.has_role(by, dossier.current_agency_id, "leader"):
            raise PermissionDenied(_("A third supplement request must be made by a leader, with the reason."))
        leader_reason = _require(
            leader_reason, "leader_reason", _("Record why the applicant is asked a third time.")
        )
        leader = by
    now = timezone.now()
    SupplementRequest.objects.create(
        dossier=dossier, requested_by=by, requested_at=now, papers=papers, reason=note,
        leader_reason=leader_reason, leader=leader, from_status=dossier.status,
    )  # fmt: skip
    dossier.supplement_count += 1
    dossier.paused_at = now
    return _move(
        dossier, by=by, action=DossierAction.REQUEST_SUPPLEMENT, to_status=DossierStatus.SUPPLEMENT_REQUESTED,
        note=note, request=request, papers=papers, count=dossier.supplement_count,
    )  # fmt: skip


def _check_papers(papers) -> list[dict]:
    """The papers a supplement asks for: ``[{"name", "originals", "certified_copies", "photocopies"}]``
    (a list of names is accepted too)."""
    out = []
    if not isinstance(papers, list | tuple):
        raise _invalid("papers", _("List the papers to add."))
    for item in papers:
        if isinstance(item, str):
            item = {"name": item}
        if not isinstance(item, dict) or not str(item.get("name", "")).strip():
            raise _invalid("papers", _("Each paper to add needs a name."))
        paper = {"name": str(item["name"]).strip()[:500]}
        for kind in ("originals", "certified_copies", "photocopies"):
            try:
                paper[kind] = max(0, min(int(item.get(kind) or 0), 99))
            except (TypeError, ValueError):
                raise _invalid("papers", _("Numbers of copies are whole numbers.")) from None
        out.append(paper)
    return out


@transaction.atomic
def supplement(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Bổ sung hồ sơ: the applicant has added the papers (uploaded before this call); the clock resumes
    with the time that was left, or restarts in full, as the procedure's workflow says. Same code, no fee."""
    dossier = _locked(dossier, version)
    _check(DossierAction.SUPPLEMENT, dossier, by)
    now = timezone.now()
    pending = dossier.supplement_requests.filter(supplied_at__isnull=True).order_by("-requested_at").first()
    paused = calendar.working_hours_between(dossier.paused_at, now) if dossier.paused_at else None
    if pending is not None:
        pending.supplied_at = now
        pending.paused_working_time = paused
        pending.save(update_fields=["supplied_at", "paused_working_time"])
    back_to = pending.from_status if pending is not None else DossierStatus.RECEIVED
    if back_to != DossierStatus.SUBMITTED:
        _resume_clock(dossier, now)
    dossier.paused_at = None
    return _move(
        dossier, by=by, action=DossierAction.SUPPLEMENT, to_status=back_to, note=note, request=request,
        due_at=dossier.due_at,
    )  # fmt: skip


def _resume_clock(dossier: Dossier, now: datetime) -> None:
    """Move the dossier's and the current step's due dates for the time the clock stood still."""
    definition = _definition(dossier)
    step = dossier.current_step
    if definition.supplement_clock == SupplementClock.RESTART:
        deadline = selectors.deadline(dossier.procedure, dossier.channel, now)
        dossier.due_at = deadline.due_at if deadline else dossier.due_at
        step_definition = definition.step(step.order) if step else None
        if step is not None and step_definition is not None:
            step.due_at = _step_due(step_definition, now)
    else:
        for holder in (dossier, step):
            if holder is None or holder.due_at is None or dossier.paused_at is None:
                continue
            left = calendar.working_hours_between(dossier.paused_at, holder.due_at)
            hours = Decimal(max(left.total_seconds(), 0)) / 3600
            holder.due_at = calendar.add_working_time(now, hours=hours).due_at
    if step is not None:
        step.save(update_fields=["due_at"])


@transaction.atomic
def assign(dossier: Dossier, *, by, assignee: str, note: str = "", version=None, request=None) -> Dossier:
    """Phân công: a leader gives the current step to a specialist of the unit (or gives it to another)."""
    dossier = _locked(dossier, version)
    _check(DossierAction.ASSIGN, dossier, by)
    step = dossier.current_step
    user = User.objects.filter(username=(assignee or "").strip(), is_active=True).first()
    if user is None or not account_selectors.has_role(user, dossier.current_agency_id, step.role):
        raise _invalid(
            "assignee",
            _("%(name)s is not a %(role)s of %(agency)s.")
            % {"name": assignee, "role": StepRole(step.role).label, "agency": dossier.current_agency},
        )
    step.assignee = user
    step.save(update_fields=["assignee"])
    dossier.assignee = user
    return _move(
        dossier, by=by, action=DossierAction.ASSIGN, to_status=DossierStatus.PROCESSING, note=note,
        request=request, assignee=user.username,
    )  # fmt: skip


def _hand_on(dossier: Dossier, *, by, action, note, to_agency_code="", request=None) -> Dossier:
    """Close the current step and open the next one of the workflow (perhaps at another agency)."""
    definition = _definition(dossier)
    step = dossier.current_step
    nxt = definition.after(step.order)
    if nxt is None:
        raise ActionRefused(_("This is the last step of the workflow."))
    wants_approval = action == DossierAction.PROPOSE
    if (nxt.kind == StepKind.APPROVAL) != wants_approval:
        if wants_approval:
            raise ActionRefused(_("The next step is not the approval: forward the dossier instead."))
        raise ActionRefused(_("The next step is the approval: propose the result instead."))
    target = nxt.acting_agency_id(dossier.agency_id)
    if to_agency_code:
        chosen = (
            Agency.objects.filter(code=to_agency_code).first()
            or Agency.objects.filter(slug=to_agency_code).first()
        )
        if chosen is None or chosen.pk != target:
            raise _invalid(
                "to_agency",
                _("The workflow sends the dossier to %(agency)s next.")
                % {"agency": Agency.objects.get(pk=target)},
            )
    now = timezone.now()
    from_agency = dossier.current_agency
    _close_step(dossier, now, action)
    _open_step(dossier, nxt, now)
    return _move(
        dossier, by=by, action=action, to_status=DossierStatus.PROCESSING, note=note, request=request,
        from_agency=from_agency, step=nxt.name,
    )  # fmt: skip


@transaction.atomic
def forward(
    dossier: Dossier, *, by, note: str = "", to_agency: str = "", version=None, request=None
) -> Dossier:
    """Chuyển xử lý: to the next step of the workflow, in this unit or another agency (liên thông)."""
    dossier = _locked(dossier, version)
    _check(DossierAction.FORWARD, dossier, by)
    return _hand_on(
        dossier, by=by, action=DossierAction.FORWARD, note=note, to_agency_code=to_agency, request=request
    )


@transaction.atomic
def propose(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Trình kết quả: the specialist proposes the result to the leader who approves."""
    dossier = _locked(dossier, version)
    _check(DossierAction.PROPOSE, dossier, by)
    return _hand_on(dossier, by=by, action=DossierAction.PROPOSE, note=note, request=request)


@transaction.atomic
def send_back(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Trả lại bước trước: back to the previous processing step, with a note of what to redo."""
    note = _require(note, "note", _("Say what the previous step should look at again."))
    dossier = _locked(dossier, version)
    _check(DossierAction.SEND_BACK, dossier, by)
    definition = _definition(dossier)
    previous = definition.before(dossier.current_step.order)
    if previous is None or previous.kind == StepKind.RECEPTION:
        raise ActionRefused(_("There is no earlier processing step to send the dossier back to."))
    # The step goes back to whoever held it last time.
    last = dossier.steps.filter(order=previous.order).exclude(assignee=None).order_by("-started_at").first()
    now = timezone.now()
    from_agency = dossier.current_agency
    _close_step(dossier, now, DossierAction.SEND_BACK)
    _open_step(dossier, previous, now, assignee=last.assignee if last else None)
    return _move(
        dossier, by=by, action=DossierAction.SEND_BACK, to_status=DossierStatus.PROCESSING, note=note,
        request=request, from_agency=from_agency, step=previous.name,
    )  # fmt: skip


def _finish(dossier: Dossier, now: datetime, outcome: str) -> None:
    dossier.finished_at = now
    dossier.outcome = outcome
    dossier.timeliness = timeliness(now, dossier.due_at)


@transaction.atomic
def approve(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Phê duyệt và ký: the leader approves; the result is rendered, numbered and signed with the agency's
    certificate, and the dossier goes to the records office (or straight to the return step)."""
    dossier = _locked(dossier, version)
    _check(DossierAction.APPROVE, dossier, by)
    now = timezone.now()
    number = allocate_result_number(dossier.current_agency, now)
    try:
        result = documents.issue_result(
            dossier, number=number, signed_by=by, decision_text=note, agency=dossier.current_agency
        )
    except pki.CertificateProblem as exc:
        # The details (module, token, file) are for the administrators' log, not for the leader's screen.
        logger.error("Dossier %s: the result could not be signed: %s", dossier.code, exc)
        raise ActionRefused(
            _(
                "The result could not be signed: the signing certificate of %(agency)s or the "
                "time-stamping service cannot be used now. Nothing was changed; try again later, and tell "
                "the system administrator if it goes on."
            )
            % {"agency": dossier.current_agency.name}
        ) from exc
    dossier.result_number = number
    from_agency = dossier.current_agency
    _close_step(dossier, now, DossierAction.APPROVE)
    definition = _definition(dossier)
    nxt = definition.after(dossier.current_step.order)
    _open_step(dossier, nxt, now)
    to_status = DossierStatus.PROCESSING
    if nxt.kind == StepKind.RETURN:  # no records office in this workflow: ready now
        _finish(dossier, now, "approved")
        to_status = DossierStatus.RESULT_READY
    return _move(
        dossier, by=by, action=DossierAction.APPROVE, to_status=to_status, note=note, request=request,
        from_agency=from_agency, result_number=number, verification_code=result.verification_code,
    )  # fmt: skip


@transaction.atomic
def reject(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Không giải quyết: the leader decides the request cannot be granted; the applicant gets the reasons
    at the return step."""
    note = _require(note, "note", _("Give the reasons: the applicant receives them in writing."))
    dossier = _locked(dossier, version)
    _check(DossierAction.REJECT, dossier, by)
    now = timezone.now()
    from_agency = dossier.current_agency
    _close_step(dossier, now, DossierAction.REJECT)
    definition = _definition(dossier)
    last = definition.steps[-1]
    _open_step(dossier, last, now)
    _finish(dossier, now, "rejected")
    return _move(
        dossier, by=by, action=DossierAction.REJECT, to_status=DossierStatus.RESULT_READY, note=note,
        request=request, from_agency=from_agency,
    )  # fmt: skip


@transaction.atomic
def request_payment(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Yêu cầu thực hiện nghĩa vụ tài chính: the applicant must pay (tax, fee) before the result.

    Online payment comes later; meanwhile the step's holder forwards or proposes once paid."""
    note = _require(note, "note", _("Say what must be paid, how much and how."))
    dossier = _locked(dossier, version)
    _check(DossierAction.REQUEST_PAYMENT, dossier, by)
    return _move(
        dossier,
        by=by,
        action=DossierAction.REQUEST_PAYMENT,
        to_status=DossierStatus.PAYMENT_REQUESTED,
        note=note,
        request=request,
    )


@transaction.atomic
def number_result(
    dossier: Dossier, *, by, note: str = "", register_number: str = "", version=None, request=None
) -> Dossier:
    """Vào số, đóng dấu: the records office enters the result in its register; the result is ready."""
    dossier = _locked(dossier, version)
    _check(DossierAction.NUMBER_RESULT, dossier, by)
    now = timezone.now()
    from_agency = dossier.current_agency
    _close_step(dossier, now, DossierAction.NUMBER_RESULT)
    nxt = _definition(dossier).after(dossier.current_step.order)
    _open_step(dossier, nxt, now)
    _finish(dossier, now, "approved")
    return _move(
        dossier, by=by, action=DossierAction.NUMBER_RESULT, to_status=DossierStatus.RESULT_READY, note=note,
        request=request, from_agency=from_agency,
        register_number=(register_number or dossier.result_number).strip()[:64],
    )  # fmt: skip


RETURN_METHODS = {
    "online": gettext_lazy("online"),
    "desk": gettext_lazy("at the desk"),
    "post": gettext_lazy("by post"),
}


@transaction.atomic
def return_result(
    dossier: Dossier, *, by, method: str = "desk", note: str = "", version=None, request=None
) -> Dossier:
    """Trả kết quả: the result is handed over (online, at the desk, or by post) and that is confirmed."""
    if method not in RETURN_METHODS:
        raise _invalid("method", _("Say how the result was handed over: online, desk or post."))
    dossier = _locked(dossier, version)
    _check(DossierAction.RETURN_RESULT, dossier, by)
    now = timezone.now()
    _close_step(dossier, now, DossierAction.RETURN_RESULT)
    dossier.returned_at = now
    dossier.current_step = None
    dossier.acting_role = ""
    dossier.assignee = None
    return _move(
        dossier, by=by, action=DossierAction.RETURN_RESULT, to_status=DossierStatus.RETURNED, note=note,
        request=request, method=method,
    )  # fmt: skip


@transaction.atomic
def stop(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Dừng xử lý (slip 05): processing ends without a result, with the reason."""
    note = _require(note, "note", _("Give the reason for stopping the processing."))
    dossier = _locked(dossier, version)
    _check(DossierAction.STOP, dossier, by)
    now = timezone.now()
    _close_step(dossier, now, DossierAction.STOP)
    dossier.current_step = None
    dossier.acting_role = ""
    dossier.paused_at = None
    dossier.finished_at = now
    dossier.outcome = "stopped"
    return _move(
        dossier, by=by, action=DossierAction.STOP, to_status=DossierStatus.STOPPED, note=note, request=request
    )


@transaction.atomic
def withdraw(dossier: Dossier, *, by, note: str = "", version=None, request=None) -> Dossier:
    """Rút hồ sơ: the applicant takes the dossier back before a decision."""
    dossier = _locked(dossier, version)
    _check(DossierAction.WITHDRAW, dossier, by)
    now = timezone.now()
    _close_step(dossier, now, DossierAction.WITHDRAW)
    dossier.current_step = None
    dossier.acting_role = ""
    dossier.assignee = None
    dossier.paused_at = None
    dossier.finished_at = now
    dossier.outcome = "withdrawn"
    return _move(
        dossier,
        by=by,
        action=DossierAction.WITHDRAW,
        to_status=DossierStatus.WITHDRAWN,
        note=note,
        request=request,
    )


TRANSITIONS = {
    DossierAction.RECEIVE: receive,
    DossierAction.REFUSE: refuse,
    DossierAction.REQUEST_SUPPLEMENT: request_supplement,
    DossierAction.SUPPLEMENT: supplement,
    DossierAction.ASSIGN: assign,
    DossierAction.FORWARD: forward,
    DossierAction.SEND_BACK: send_back,
    DossierAction.PROPOSE: propose,
    DossierAction.APPROVE: approve,
    DossierAction.REJECT: reject,
    DossierAction.REQUEST_PAYMENT: request_payment,
    DossierAction.NUMBER_RESULT: number_result,
    DossierAction.RETURN_RESULT: return_result,
    DossierAction.STOP: stop,
    DossierAction.WITHDRAW: withdraw,
}


def act(dossier: Dossier, action: str, *, by, request=None, **fields) -> Dossier:
    """Run one named transition with the fields it takes (the API and the pages call this)."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise _invalid("action", _("Unknown action %(action)s.") % {"action": action})
    accepted = set(inspect.signature(transition).parameters) - {"dossier", "by", "request"}
    unknown = set(fields) - accepted
    if unknown:
        raise ValidationError({name: [_("This action takes no such field.")] for name in sorted(unknown)})
    return transition(dossier, by=by, request=request, **fields)


def allocate_result_number(agency: Agency, moment: datetime) -> str:
    """The number of a result document: the agency's sequence of the year, e.g. ``15/2026``."""
    year = calendar.local(moment).year
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO dossiers_resultsequence (agency_id, year, last) VALUES (%s, %s, 1) "
            "ON CONFLICT (agency_id, year) DO UPDATE SET last = dossiers_resultsequence.last + 1 "
            "RETURNING last",
            [agency.pk, year],
        )
        (seq,) = cursor.fetchone()
    return f"{seq}/{year}"


@transaction.atomic
def comment(dossier: Dossier, *, by, text: str) -> DossierComment:
    """An internal note by an officer who may read the dossier (the applicant never sees it)."""
    text = _require(text, "text", _("Write the comment."))[:4000]
    if not account_selectors.is_officer(by) or not selectors.can_read(dossier, by):
        raise PermissionDenied(_("Only officers handling the dossier comment on it."))
    note = DossierComment.objects.create(dossier=dossier, author=by, text=text)
    audit.record("dossier.comment", actor=by, target=dossier, target_label=dossier.code)
    return note


# --- workflow definitions ------------------------------------------------------------------


@transaction.atomic
def save_workflow(
    procedure: Procedure, steps: list[dict], *, supplement_clock: str = "resume", note=""
) -> Workflow:
    """A new active version of the procedure's workflow; the previous one stays with its dossiers.

    ``steps``: dicts of name, kind, role, agency (an Agency, its code, or None), budget, budget_unit.
    """
    Procedure.objects.select_for_update().get(pk=procedure.pk)
    last = Workflow.objects.filter(procedure=procedure).order_by("-version").first()
    Workflow.objects.filter(procedure=procedure, is_active=True).update(is_active=False)
    saved = Workflow.objects.create(
        procedure=procedure,
        version=(last.version + 1) if last else 1,
        supplement_clock=supplement_clock,
        note=note,
    )
    for i, step in enumerate(steps, start=1):
        agency = step.get("agency")
        if isinstance(agency, str):
            agency = Agency.objects.get(code=agency)
        WorkflowStep.objects.create(
            workflow=saved,
            order=i,
            name=step.get("name") or str(workflow.DEFAULT_NAMES[step["kind"]]),
            kind=step["kind"],
            role=step.get("role") or workflow.DEFAULT_ROLES[step["kind"]],
            agency=agency,
            budget=Decimal(str(step.get("budget", 0))),
            budget_unit=step.get("budget_unit", BudgetUnit.WORKING_DAY),
        )
    return saved


@transaction.atomic
def send_apology(letter: ApologyLetter, *, by, reason: str, new_due_at: datetime | None = None, request=None):
    """A leader sends the apology letter (form 04) of a late dossier: the reason and the new appointment,
    by e-mail to an online applicant. ``due_at`` does not move: the dossier is still counted late."""
    reason = _require(reason, "reason", _("Give the reason for the delay: the applicant reads it."))
    letter = ApologyLetter.objects.select_for_update().select_related("dossier").get(pk=letter.pk)
    dossier = letter.dossier
    if letter.sent_at is not None:
        raise ActionRefused(_("This apology letter has already been sent."))
    if not account_selectors.has_role(by, dossier.current_agency_id or dossier.agency_id, "leader"):
        raise PermissionDenied(_("A leader of the agency holding the dossier sends its apology letter."))
    now = timezone.now()
    new_due_at = new_due_at or letter.new_due_at
    if new_due_at <= now:
        raise _invalid("new_due_at", _("The new appointment must be in the future."))
    letter.reason, letter.new_due_at, letter.sent_at, letter.sent_by = reason, new_due_at, now, by
    letter.save()
    Dossier.objects.filter(pk=dossier.pk).update(promised_at=new_due_at, version=dossier.version + 1)
    dossier.promised_at = new_due_at
    _history(
        dossier, action="apologise", by=by, from_status=dossier.status, note=reason,
        new_due_at=new_due_at.isoformat(),
    )  # fmt: skip
    notifications.notify(
        topic="dossier.apology",
        template="dossier_apology",
        context={**selectors.notification_context(dossier), "reason": reason, "new_due_at": new_due_at},
        recipient=dossier.applicant,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
        subject=dossier,
        link=selectors.applicant_link(dossier),
        attachments=[["motcua.documents.slips.slip_attachment", [dossier.pk, "apology", letter.pk]]],
    )
    audit.record("dossier.apologise", actor=by, request=request, target=dossier, target_label=dossier.code)
    return letter
