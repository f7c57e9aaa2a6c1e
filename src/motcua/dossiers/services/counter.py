"""Registering at the counter (tiếp nhận trực tiếp): a dossier handed in at the desk or by post, entered by a
desk officer who scans the papers. Everything is stored, or nothing (files included)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.audit import services as audit
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.forms.models import OnlineForm

from .. import clock, rules, selectors
from ..models import ApplicantKind, AttachmentSource, Dossier, DossierAction, DossierStatus
from ..signals import dossier_moved
from .attachments import component, delete_stored, store_attachment
from .drafts import check_data
from .errors import invalid
from .lifecycle import record_history, start_workflow
from .numbering import allocate_code
from .submission import notify_submitted, snapshot


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
        raise invalid("channel", _("A dossier registered at the desk comes in person or by post."))
    if not rules.may_register_at_counter(agency, officer):
        raise PermissionDenied(
            _("Only a desk officer of %(agency)s registers its dossiers.") % {"agency": agency}
        )
    if not procedure.is_active:
        raise invalid("procedure", _("This procedure is no longer in force."))
    if agency.pk not in {a.pk for a in selectors.receiving_agencies(procedure)}:
        raise invalid(
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
                data=check_data(data),
            )
            for order, upload in files:
                paper = component(dossier, order)
                try:
                    _attachment, name = store_attachment(
                        dossier, paper, upload, by=officer, source=AttachmentSource.DESK
                    )
                except ValidationError as exc:
                    # Named by the paper, so that the desk sees which scan to redo.
                    raise ValidationError({f"component.{paper.order}": exc.messages}) from None
                stored.append(name)
            dossier.procedure_record = snapshot(procedure)
            dossier.code = allocate_code(agency, now)
            dossier.status = DossierStatus.RECEIVED
            dossier.submitted_at = dossier.received_at = now
            deadline = clock.dossier_deadline(procedure, channel, now)
            dossier.due_at = deadline.due_at if deadline else None
            dossier.due_is_provisional = False
            dossier.version = 1
            dossier.save()
            start_workflow(
                dossier, now, received_by=officer, counting_from=deadline.counted_from if deadline else None
            )
            record_history(
                dossier,
                action="register",
                by=officer,
                from_status=None,
                note=note,
                due_at=dossier.due_at.isoformat() if dossier.due_at else None,
            )
            dossier_moved.send(
                sender=Dossier, dossier=dossier, action=DossierAction.REGISTER,
                from_status=DossierStatus.DRAFT, to_status=dossier.status, by=officer, detail={},
            )  # fmt: skip
            notify_submitted(dossier)
            audit.record(
                "dossier.register", actor=officer, request=request, target=dossier, target_label=dossier.code
            )
    except Exception:
        delete_stored(stored)
        raise
    return dossier
