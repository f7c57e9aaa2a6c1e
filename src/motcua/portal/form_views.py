"""The online form of a draft, page by page (nộp hồ sơ trực tuyến): starting it, its steps, its papers
(uploaded, or taken from the document store), and the review page, with the fees, how the result comes back
and the total to pay, from which it is sent.

Thin: drafts, files and sending go through ``dossiers.services``. Every page works without JavaScript: each
button is a form post.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.accounts import selectors as account_selectors
from motcua.catalog import fees as catalog_fees
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.fees import ExemptionGroup
from motcua.catalog.models import Procedure
from motcua.core.text import whole_number
from motcua.dossiers import clock, selectors, services
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.services import fees as fee_services
from motcua.forms import rendering
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm
from motcua.forms.schema import file_fields

from . import result_delivery
from .dossier_access import after_form, own_draft, published_form, validation_messages

DELIVERY_KEYS = ("result_delivery", "delivery_address")


# --- start -----------------------------------------------------------------------------------------------


@never_cache
@login_required
def start(request, code):
    """Choose the receiving agency (when several receive the procedure) and open a draft."""
    try:
        procedure = catalog_selectors.procedure_detail(code)
    except Procedure.DoesNotExist:
        raise Http404(_("No procedure has the code %(code)s.") % {"code": code}) from None
    form = published_form(procedure)
    agencies = selectors.receiving_agencies(procedure)
    errors = {}
    drafts = selectors.applicant_dossiers(request.user, status=DossierStatus.DRAFT).filter(
        procedure=procedure
    )
    if request.method == "POST":
        agency = None
        chosen = request.POST.get("agency", "")
        if len(agencies) > 1:
            agency = next((a for a in agencies if a.slug == chosen), None)
            if agency is None:
                errors["agency"] = [_("Choose the agency that receives your dossier.")]
        if not errors:
            try:
                dossier = services.create_draft(
                    procedure=procedure,
                    applicant=request.user,
                    agency=agency,
                    idempotency_key=request.POST.get("token", ""),
                )
            except ValidationError as exc:
                errors = validation_messages(exc)
            except PermissionDenied as exc:
                errors = {"non_field_errors": [str(exc)]}
            else:
                return redirect("portal:dossier_edit", reference=dossier.uuid)
    return render(
        request,
        "portal/dossiers/start.html",
        {
            "procedure": procedure,
            "online_form": form,
            "agencies": agencies,
            "drafts": drafts,
            "errors": errors,
            "token": uuid.uuid4().hex,
        },
        status=400 if errors else 200,
    )


# --- the form, step by step --------------------------------------------------------------------------------


def _upload_files(request, dossier: Dossier, form: OnlineForm) -> dict[str, list[str]]:
    """Attach each file of the posted step to its paper; a refused file changes nothing and says why."""
    errors: dict[str, list[str]] = {}
    fields = file_fields(form.schema)
    for key, upload in request.FILES.items():
        name = key.removeprefix(rendering.FILE_PREFIX)
        if not key.startswith(rendering.FILE_PREFIX) or name not in fields:
            continue
        try:
            services.add_attachment(
                dossier,
                component_order=fields[name]["x-component"],
                upload=upload,
                by=request.user,
                replace=True,
            )
        except ValidationError as exc:
            errors[name] = [m for messages in validation_messages(exc).values() for m in messages]
    return errors


def _reuse_papers(request, dossier: Dossier, form: OnlineForm) -> dict[str, list[str]]:
    """Attach the papers chosen from the applicant's document store ("Dùng giấy tờ đã lưu trong kho") to
    their components; a file uploaded for the same field in the same post wins over the choice."""
    errors: dict[str, list[str]] = {}
    fields = file_fields(form.schema)
    for key, chosen in request.POST.items():
        name = key.removeprefix(rendering.STORED_PREFIX)
        if not key.startswith(rendering.STORED_PREFIX) or name not in fields or not chosen:
            continue
        if f"{rendering.FILE_PREFIX}{name}" in request.FILES:
            continue
        try:
            services.reuse_stored_paper(
                dossier, component_order=fields[name]["x-component"], stored_id=chosen, by=request.user
            )
        except ValidationError as exc:
            errors[name] = [m for messages in validation_messages(exc).values() for m in messages]
    return errors


def _stored_papers(dossier: Dossier, user) -> dict[int, list[tuple[int, str]]]:
    """The papers of the applicant's store a form may offer, per component, labelled for the radio list."""
    offered = {}
    for order, entries in selectors.reusable_papers(dossier, user).items():
        offered[order] = [(entry.pk, _store_label(entry)) for entry in entries]
    return offered


def _store_label(entry) -> str:
    parts = [entry.title]
    if entry.issuer:
        parts.append(entry.issuer)
    if entry.valid_until:
        parts.append(_("valid until %(date)s") % {"date": entry.valid_until.strftime("%d/%m/%Y")})
    parts.append(_("kept on %(date)s") % {"date": timezone.localtime(entry.added_at).strftime("%d/%m/%Y")})
    return " · ".join(parts)


@never_cache
@login_required
def edit(request, reference):
    """The form, one step at a time; every press of a button keeps the draft and the step it shows.

    Without ``?buoc=`` the draft opens where the applicant stopped (the review page once the whole form
    was checked). The form posts to this page's own path: a "?buoc=" of the last GET or a "#field" the
    error summary linked to must not stay in the address of the next step (or of the review page); its
    fragment is the error summary, where the browser lands when the step comes back with errors."""
    dossier = own_draft(request, reference)
    if not dossier.is_draft:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    form = published_form(dossier.procedure)
    profile = account_selectors.applicant_profile(request.user)
    context = {"dossier": dossier, "procedure": dossier.procedure, "online_form": form}
    action = f"{request.path}#{rendering.ERROR_SUMMARY_ID}"
    if request.method != "POST":
        step = whole_number(request.GET.get("buoc", ""), digits=3)
        if step is None:
            if dossier.form_step >= form_services.step_count(form):
                return redirect("portal:dossier_review", reference=dossier.uuid)
            step = dossier.form_step
        html = rendering.render_form(
            form,
            request=request,
            data=dossier.data or None,
            initial=profile,
            action=action,
            step=step,
            reached=dossier.form_step_reached,
            files_present=selectors.components_with_files(dossier),
            save_label=_("Save draft"),
            submit_label=_("Review and send"),
            stored_papers=_stored_papers(dossier, request.user),
        )
        return render(request, "portal/dossiers/edit.html", {**context, "form_html": html})

    file_errors = {**_upload_files(request, dossier, form), **_reuse_papers(request, dossier, form)}
    present = selectors.components_with_files(dossier)
    state = form_services.advance(form, request.POST, files_present=present, applicant=profile)
    if file_errors:
        # The refused file's step is shown again with its message; nothing of this post is kept.
        state.step = min(form_services.step_of(form, path) for path in file_errors)
        state.errors = {**file_errors, **{p: m for p, m in state.errors.items() if p not in file_errors}}
        state.complete = False
    else:
        stopped_at = form_services.step_count(form) if state.complete else state.step
        try:
            dossier = services.update_draft(dossier, by=request.user, data=state.data, step=stopped_at)
        except services.ActionRefused:
            return after_form("portal:dossier_detail", reference=dossier.reference)
        except ValidationError as exc:  # data no database keeps (a NUL character): nothing is saved
            state.errors = {**state.errors, **validation_messages(exc)}
            state.complete = state.saved = False
        if state.complete:
            return after_form("portal:dossier_review", reference=dossier.uuid)
        if state.saved:
            messages.success(request, _("Your draft is saved. You can come back to it from “My dossiers”."))
    html = rendering.render_form(
        form,
        request=request,
        data=state.data,
        errors=state.errors,
        initial=profile,
        action=action,
        step=state.step,
        reached=dossier.form_step_reached,
        files_present=present,
        save_label=_("Save draft"),
        submit_label=_("Review and send"),
        stored_papers=_stored_papers(dossier, request.user),
    )
    return render(
        request,
        "portal/dossiers/edit.html",
        {**context, "form_html": html, "has_errors": bool(state.errors)},
        status=400 if state.errors else 200,
    )


@never_cache
@login_required
def review(request, reference):
    """Everything once more, then "Send": the only page that sends a dossier."""
    dossier = own_draft(request, reference)
    if not dossier.is_draft:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    form = published_form(dossier.procedure)
    errors: dict[str, list[str]] = {}
    agencies = selectors.receiving_agencies(dossier.procedure)
    delivery = result_delivery.initial(dossier, request.user)
    fee_choices = _fee_choices(dossier)
    if request.method == "POST":
        chosen = request.POST.get("agency")
        agency = next((a for a in agencies if a.slug == chosen), None) if chosen else None
        delivery = result_delivery.from_post(request.POST)
        try:
            if agency is not None and agency.pk != dossier.agency_id:
                dossier = services.update_draft(dossier, by=request.user, agency=agency)
            if "result_delivery" in request.POST:
                dossier = services.update_draft(
                    dossier, by=request.user, **result_delivery.update_kwargs(delivery)
                )
            if fee_choices["groups"] or fee_choices["entered"]:
                dossier = services.update_draft(
                    dossier, by=request.user, fee_declaration=_fee_declaration_from(request.POST, fee_choices)
                )
            if request.POST.get("recalculate"):
                # Without JavaScript the total is recalculated by posting the page: show it again.
                return redirect(
                    f"{reverse('portal:dossier_review', kwargs={'reference': dossier.uuid})}#fees"
                )
            sent = services.submit(dossier, by=request.user, request=request)
        except ValidationError as exc:
            errors = validation_messages(exc)
        except services.ActionRefused:
            return after_form("portal:dossier_detail", reference=dossier.reference)
        else:
            messages.success(
                request,
                _("Your dossier has been sent. Its code is %(code)s; keep it to follow the dossier.")
                % {"code": sent.code},
            )
            return after_form("portal:dossier_detail", reference=sent.code)
    edit_url = reverse("portal:dossier_edit", kwargs={"reference": dossier.uuid})
    error_steps = []  # in the order of the form's pages, each with a link to its step and field
    own = {"agency", fee_services.FIELD}  # errors shown by this page's own fields, not the form's
    form_errors = {p: m for p, m in errors.items() if p not in own and not p.startswith(DELIVERY_KEYS)}
    for path, msgs in form_services.page_order(form, form_errors):
        place = form_services.locate(form, path)
        fragment = "" if path == form_services.NON_FIELD else f"#{rendering.field_id(path)}"
        error_steps.append(
            {"label": place.label, "messages": msgs, "url": f"{edit_url}?buoc={place.step}{fragment}"}
        )
    now = dossier.updated_at
    estimate = clock.dossier_deadline(dossier.procedure, dossier.channel, now) if now else None
    return render(
        request,
        "portal/dossiers/review.html",
        {
            "dossier": dossier,
            "procedure": dossier.procedure,
            "summary": rendering.render_summary(form, dossier.data, edit_url=edit_url),
            "attachments": dossier.attachments.all(),
            "agencies": agencies,
            "errors": errors,
            "error_steps": error_steps,
            "estimate": estimate,
            "delivery_errors": {
                p.replace("delivery_address.", "delivery_"): m
                for p, m in errors.items()
                if p.startswith(DELIVERY_KEYS)
            },
            **result_delivery.context(dossier, delivery),
            "fees": _fee_context(dossier, fee_choices, request.POST if errors else None),
            "amount_due": result_delivery.amount_due(dossier, fee_services.quote_of(dossier).get("total", 0)),
        },
        status=400 if errors else 200,
    )


def _fee_choices(dossier) -> dict:
    """What the applicant may declare on the review page: exemption groups and quantities of fees per unit."""
    return {
        "groups": catalog_fees.exempt_groups(dossier.procedure, dossier.channel),
        "entered": fee_services.entered_fees(dossier.procedure, dossier.channel),
    }


def _fee_declaration_from(post, choices) -> dict:
    quantities = {}
    for fee in choices["entered"]:
        value = post.get(f"fee_qty_{fee.quantity_key}", "").strip()
        if value:
            quantities[fee.quantity_key] = value
    return {"groups": post.getlist("fee_group"), "quantities": quantities}


def _fee_context(dossier, choices, post=None) -> dict:
    """The "Phí, lệ phí" section: the live quote, and the choices with what is declared (or was just posted,
    when the page comes back with errors)."""
    declaration = dossier.fee_declaration or {}
    declared = post.getlist("fee_group") if post is not None else declaration.get("groups", [])
    entered = declaration.get("quantities", {})
    return {
        **catalog_fees.readable(fee_services.quote_of(dossier)),
        "groups": [
            {"value": g, "label": ExemptionGroup(g).label, "checked": g in declared}
            for g in choices["groups"]
        ],
        "entered": [
            {
                "key": fee.quantity_key,
                "name": fee.name,
                "unit": fee.unit_label,
                "value": post.get(f"fee_qty_{fee.quantity_key}", "")
                if post is not None
                else entered.get(fee.quantity_key, 1),
            }
            for fee in choices["entered"]
        ],
        "max_quantity": catalog_fees.MAX_QUANTITY,
    }
