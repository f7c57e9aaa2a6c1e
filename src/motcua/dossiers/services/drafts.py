"""A draft's life before it is sent (bản nháp): created for an applicant, changed step by step, deleted.

Nothing is checked against the form until the draft is sent (``submission``); what is checked here is what
must hold of any draft: the procedure can be submitted online by this kind of applicant, the receiving agency
implements it, and the data is a small JSON object.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from motcua.accounts.models import AccountKind
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.core import userdata
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm

from .. import selectors
from ..models import ApplicantKind, Dossier, IdempotencyKey, ResultDelivery
from . import fees
from .attachments import delete_stored
from .delivery_choice import check_delivery
from .errors import invalid
from .lifecycle import editable

# Form data of one dossier, as JSON, may not exceed this (a form is a few kilobytes).
MAX_DATA_BYTES = 256 * 1024


def online_form(procedure: Procedure) -> OnlineForm:
    """The form version ``procedure`` is filled in with now (its own published form, else its generic
    one: ``forms.services.form_for``); the procedure must offer online submission."""
    try:
        return form_services.form_for(procedure)
    except OnlineForm.DoesNotExist:
        raise invalid(
            "procedure", _("The procedure %(code)s cannot be submitted online.") % {"code": procedure.code}
        ) from None


def check_data(data) -> dict:
    """The form data as stored: an object of fields and values, of a reasonable size and depth, with text
    every database keeps (``core.userdata``)."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise invalid("data", _("The form data must be an object of fields and values."))
    try:
        userdata.check(data, max_bytes=MAX_DATA_BYTES)
    except userdata.DataRefused as exc:
        raise invalid("data", str(exc)) from None
    return data


def _check_agency(procedure: Procedure, agency: Agency | None) -> Agency | None:
    """The receiving agency must implement the procedure; with only one, it is chosen for the applicant."""
    agencies = selectors.receiving_agencies(procedure)
    if agency is None:
        return agencies[0] if len(agencies) == 1 else None
    if agency.pk not in {a.pk for a in agencies}:
        raise invalid(
            "agency", _("%(agency)s does not receive dossiers of this procedure.") % {"agency": agency.name}
        )
    return agency


def _check_applicant(procedure: Procedure, user) -> None:
    kinds = set(procedure.applicant_types or [])
    if user.kind == AccountKind.BUSINESS and kinds and not kinds & {"business", "organisation"}:
        raise invalid("procedure", _("This procedure is for citizens; a business account cannot submit it."))
    if user.kind == AccountKind.CITIZEN and kinds and not kinds & {"citizen", "foreigner"}:
        raise invalid("procedure", _("This procedure is for businesses and organisations."))
    if user.kind not in (AccountKind.CITIZEN, AccountKind.BUSINESS):
        raise PermissionDenied(_("Only citizens and businesses submit dossiers online."))


def _check_open_drafts(applicant) -> None:
    """MOTCUA_MAX_OPEN_DRAFTS: an account keeps at most that many drafts. The account's row is locked first
    (PostgreSQL), so that drafts created at once are counted one after the other."""
    get_user_model().objects.select_for_update().filter(pk=applicant.pk).exists()
    limit = settings.MOTCUA_MAX_OPEN_DRAFTS
    if selectors.open_drafts(applicant) >= limit:
        raise invalid(
            "procedure",
            _(
                "You already have %(count)s drafts not yet sent, the most one account may keep: send or "
                "delete one of them (My dossiers) before starting another."
            )
            % {"count": limit},
        )


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

    With an ``idempotency_key`` a repeated request returns the draft the first one created. An account
    keeps at most MOTCUA_MAX_OPEN_DRAFTS drafts.
    """
    if idempotency_key:
        existing = selectors.idempotent_dossier(applicant, "create", idempotency_key)
        if existing is not None:
            return existing
    _check_applicant(procedure, applicant)
    form = online_form(procedure)
    _check_open_drafts(applicant)
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
        result_delivery=ResultDelivery.ONLINE,
        data=form_services.normalise_data(form, check_data(data)),
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


@transaction.atomic
def update_draft(
    dossier: Dossier,
    *,
    by,
    data=None,
    agency: Agency | None = None,
    step: int | None = None,
    result_delivery: str | None = None,
    delivery_address: dict | None = None,
    fee_declaration: dict | None = None,
) -> Dossier:
    """Keep what the applicant entered so far (any step, unchecked); ``None`` leaves a part as it was.

    ``step``: the step of the online form the applicant is on now (the number of steps once the whole form
    was checked): the draft reopens there, and the furthest step reached grows with it.
    ``result_delivery`` and ``delivery_address`` (how the result comes back) are checked at once
    (``delivery_choice.check_delivery``): a way the procedure offers, and a complete address for the post.
    ``fee_declaration``: the exemption groups declared and the quantities entered (``fees``), checked
    against this procedure's fees now."""
    dossier = editable(dossier, by, supplement=True)
    fields = ["updated_at"]
    if fee_declaration is not None and dossier.is_draft:
        dossier.fee_declaration = fees.check_declaration(dossier.procedure, dossier.channel, fee_declaration)
        fields.append("fee_declaration")
    if data is not None:
        dossier.data = form_services.normalise_data(dossier.form, check_data(data))
        fields.append("data")
    if step is not None and dossier.is_draft:
        dossier.form_step = max(0, min(step, 1000))
        dossier.form_step_reached = max(dossier.form_step_reached, dossier.form_step)
        fields += ["form_step", "form_step_reached"]
    if agency is not None and dossier.is_draft:
        dossier.agency = _check_agency(dossier.procedure, agency)
        fields.append("agency")
    if (result_delivery is not None or delivery_address is not None) and dossier.is_draft:
        dossier.result_delivery, dossier.delivery_address = check_delivery(
            dossier.procedure,
            result_delivery if result_delivery is not None else dossier.result_delivery,
            delivery_address if delivery_address is not None else dossier.delivery_address,
        )
        fields += ["result_delivery", "delivery_address"]
    dossier.save(update_fields=fields)
    return dossier


@transaction.atomic
def delete_draft(dossier: Dossier, *, by) -> None:
    dossier = editable(dossier, by)
    names = [a.file.name for a in dossier.attachments.all()]
    dossier.delete()
    transaction.on_commit(lambda: delete_stored(names))
