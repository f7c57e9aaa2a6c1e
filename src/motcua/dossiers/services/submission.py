"""Sending a draft online (nộp hồ sơ trực tuyến): checked against its form, given a code and a provisional
due date, its workflow started, the applicant told (with the receipt) — all in one transaction.

What is copied on the dossier when it is sent stays as it was then: the applicant's identity and contacts,
the procedure's record (``procedure_record``), the form version it was filled in and the fee quote
(``fee_quote``, ``fee_total``).
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import selectors as account_selectors
from motcua.audit import services as audit
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Procedure
from motcua.catalog.services import procedure_to_record
from motcua.core import tasks
from motcua.forms import services as form_services
from motcua.forms import units
from motcua.forms.models import OnlineForm

from .. import clock, notices, rules, selectors
from ..models import Dossier, DossierAction, DossierStatus, ResultDelivery
from ..signals import dossier_moved
from ..tasks import keep_sent_papers
from . import fees
from .delivery_choice import check_delivery
from .drafts import online_form
from .errors import ActionRefused
from .lifecycle import record_history, start_workflow, tell_applicant
from .numbering import allocate_code


def snapshot(procedure: Procedure) -> dict:
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
    dossier.applicant_address = units.address_text(profile.get("address"))[:500]


def notify_submitted(dossier: Dossier) -> None:
    """The applicant is told the code, the status it was sent in (or received in, at the counter) and the
    appointment; the e-mail carries the receipt (form 01)."""
    tell_applicant(
        dossier,
        topic="dossier.submitted",
        template="dossier_submitted",
        context=notices.context(dossier),
        attachments=[["dossier.receipt", [dossier.pk]]],
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
    try:
        dossier.result_delivery, dossier.delivery_address = check_delivery(
            dossier.procedure, dossier.result_delivery or ResultDelivery.ONLINE, dossier.delivery_address
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, []).extend(messages)
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
            # methods: read by the due date and the workflow's budgets; fees: quoted and frozen
            .prefetch_related("procedure__methods", "procedure__fees")
            .get(pk=dossier.pk)
        )
        if not rules.may_edit(locked, by):
            raise PermissionDenied(_("This dossier is not yours to send."))
        if locked.status != DossierStatus.DRAFT:
            if locked.submitted_by_id == by.pk and locked.status == DossierStatus.SUBMITTED:
                return locked  # already sent by this very person: the same answer again
            raise ActionRefused(_("The dossier has already been sent."))
        form = online_form(locked.procedure)
        # The version published now is the one the dossier is received under.
        locked.form = form
        _validate_for_submission(locked, form, locked.applicant)
        now = timezone.now()
        _fill_applicant(locked, locked.applicant)
        locked.procedure_record = snapshot(locked.procedure)
        # The fee as quoted now is what the dossier owes: a later change of price does not alter it.
        locked.fee_quote = fees.frozen_quote(locked, now)
        locked.fee_total = locked.fee_quote["total"]
        locked.code = allocate_code(locked.agency, now)
        locked.status = DossierStatus.SUBMITTED
        locked.submitted_at = locked.received_at = now
        deadline = clock.dossier_deadline(locked.procedure, locked.channel, now)
        locked.due_at = deadline.due_at if deadline else None
        locked.due_is_provisional = True
        locked.version += 1
        start_workflow(locked, now, save=False)
        locked.save()
        record_history(
            locked,
            action="submit",
            by=by,
            from_status=DossierStatus.DRAFT,
            due_at=locked.due_at.isoformat() if locked.due_at else None,
            form_version=form.version,
        )
        # A transition like the others: what follows from a dossier sent (its charges) is written with it.
        dossier_moved.send(
            sender=Dossier, dossier=locked, action=DossierAction.SUBMIT, from_status=DossierStatus.DRAFT,
            to_status=locked.status, by=by, detail={},
        )  # fmt: skip
        notify_submitted(locked)
        tasks.enqueue(keep_sent_papers, locked.pk)  # the papers sent are the applicant's to reuse
        # Last: the audit chain's head stays locked only until this transaction commits.
        audit.record("dossier.submit", actor=by, request=request, target=locked, target_label=locked.code)
    return locked
