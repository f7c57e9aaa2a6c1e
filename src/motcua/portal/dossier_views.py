"""The applicant's pages: start a dossier, fill in its form step by step, attach papers, send it, follow it.

Thin: drafts, files and sending go through ``dossiers.services``; what a person may see through
``dossiers.selectors`` (another person's dossier is "not found", never "forbidden"). Every page works
without JavaScript: each button is a form post.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.exceptions import Throttled

from motcua.accounts import selectors as account_selectors
from motcua.catalog import fees as catalog_fees
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.fees import ExemptionGroup
from motcua.catalog.models import Procedure
from motcua.core.text import whole_number
from motcua.delivery import selectors as delivery_selectors
from motcua.dossiers import clock, downloads, rules, selectors, services
from motcua.dossiers.api import check_tracking_rate
from motcua.dossiers.models import Dossier, DossierAction, DossierStatus
from motcua.dossiers.papers import result as result_paper
from motcua.dossiers.papers import slips as slip_papers
from motcua.dossiers.services import fees as fee_services
from motcua.forms import rendering
from motcua.forms import services as form_services
from motcua.forms.models import OnlineForm
from motcua.forms.schema import file_fields
from motcua.payments import rules as payment_rules
from motcua.payments import selectors as payment_selectors

from . import result_delivery

PAGE_SIZE = 20
DELIVERY_KEYS = ("result_delivery", "delivery_address")


def _own(request, reference) -> Dossier:
    try:
        dossier = selectors.find_visible(request.user, reference)
    except Dossier.DoesNotExist:
        raise Http404(_("You have no dossier with this code.")) from None
    return dossier


def _own_draft(request, reference) -> Dossier:
    dossier = _own(request, reference)
    if not rules.may_edit(dossier, request.user):
        raise Http404(_("You have no dossier with this code."))
    return dossier


def _published_form(procedure: Procedure) -> OnlineForm:
    """The form the procedure is filled in with now: its own, else its generic one."""
    try:
        return form_services.form_for(procedure)
    except OnlineForm.DoesNotExist:
        raise Http404(_("This procedure cannot be submitted online yet.")) from None


def _after_form(to: str, **kwargs):
    """The page after a form of the draft was posted. Those forms post to ``#error-summary`` (where the
    browser lands when errors come back), and a browser keeps a fragment across a redirect without one:
    ``#top`` (the top of the page, by the HTML standard) replaces it."""
    return redirect(f"{reverse(to, kwargs=kwargs)}#top")


def _validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}


# --- start -----------------------------------------------------------------------------------------------


@never_cache
@login_required
def start(request, code):
    """Choose the receiving agency (when several receive the procedure) and open a draft."""
    try:
        procedure = catalog_selectors.procedure_detail(code)
    except Procedure.DoesNotExist:
        raise Http404(_("No procedure has the code %(code)s.") % {"code": code}) from None
    form = _published_form(procedure)
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
                errors = _validation_messages(exc)
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
            errors[name] = [m for messages in _validation_messages(exc).values() for m in messages]
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
            errors[name] = [m for messages in _validation_messages(exc).values() for m in messages]
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
    dossier = _own_draft(request, reference)
    if not dossier.is_draft:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    form = _published_form(dossier.procedure)
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
            return _after_form("portal:dossier_detail", reference=dossier.reference)
        except ValidationError as exc:  # data no database keeps (a NUL character): nothing is saved
            state.errors = {**state.errors, **_validation_messages(exc)}
            state.complete = state.saved = False
        if state.complete:
            return _after_form("portal:dossier_review", reference=dossier.uuid)
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
    dossier = _own_draft(request, reference)
    if not dossier.is_draft:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    form = _published_form(dossier.procedure)
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
            errors = _validation_messages(exc)
        except services.ActionRefused:
            return _after_form("portal:dossier_detail", reference=dossier.reference)
        else:
            messages.success(
                request,
                _("Your dossier has been sent. Its code is %(code)s; keep it to follow the dossier.")
                % {"code": sent.code},
            )
            return _after_form("portal:dossier_detail", reference=sent.code)
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


@require_POST
@login_required
def delete(request, reference):
    dossier = _own_draft(request, reference)
    try:
        services.delete_draft(dossier, by=request.user)
    except services.ActionRefused:
        return redirect("portal:dossier_detail", reference=dossier.reference)
    messages.success(request, _("The draft has been deleted."))
    return redirect("portal:my_dossiers")


# --- following a dossier -----------------------------------------------------------------------------------


@never_cache
@login_required
def my_dossiers(request):
    raw = request.GET.get("trang-thai", "")
    status = selectors.status_code(raw)
    rows = selectors.applicant_dossiers(request.user, status=status)
    page_obj = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/dossiers/list.html",
        {"page_obj": page_obj, "status": status, "statuses": DossierStatus.choices},
    )


@never_cache
@login_required
def detail(request, reference):
    dossier = _own(request, reference)
    if dossier.is_draft and rules.may_edit(dossier, request.user):
        return redirect("portal:dossier_edit", reference=dossier.uuid)
    services.record_reading(dossier, by=request.user, request=request)
    return _detail_page(request, dossier)


def _detail_page(request, dossier, *, errors=None, status=200):
    summary = rendering.render_summary(dossier.form, dossier.data) if dossier.form_id else ""
    actions = selectors.available_actions(dossier, request.user)
    return render(
        request,
        "portal/dossiers/detail.html",
        {
            "dossier": dossier,
            "procedure": dossier.procedure,
            "summary": summary,
            "attachments": dossier.attachments.all(),
            "history": selectors.history(dossier),
            "can_supplement": DossierAction.SUPPLEMENT in actions,
            "can_withdraw": DossierAction.WITHDRAW in actions,
            "pending_supplement": selectors.pending_supplement(dossier),
            "components": dossier.procedure_record.get("components", []),
            "result": result_paper.for_applicant(dossier),
            "slips": slip_papers.issued(dossier),
            "shipment": delivery_selectors.full_view(delivery_selectors.shipment_of(dossier)),
            "charges": payment_selectors.charges_of(dossier),
            "payments": payment_selectors.with_receipts(payment_selectors.payments_of(dossier)),
            "receipt_view": "portal:payment_receipt",
            "owed": payment_selectors.owed_total(dossier),
            "can_pay": payment_rules.allowed(payment_rules.PAY, dossier, request.user),
            "errors": errors or {},
            "fees": catalog_fees.readable(dossier.fee_quote) if dossier.fee_quote else None,
        },
        status=status,
    )


@require_POST
@login_required
def supplement(request, reference):
    """Bổ sung hồ sơ: the applicant attaches the papers asked for and sends them, on the same code."""
    dossier = _own_draft(request, reference)
    errors: dict[str, list[str]] = {}
    orders = {c.get("order") for c in dossier.procedure_record.get("components", [])}
    for key in request.FILES:
        order = key.removeprefix("paper-")
        if not key.startswith("paper-") or whole_number(order, digits=3) not in orders:
            continue
        for upload in request.FILES.getlist(key):
            try:
                services.add_attachment(dossier, component_order=order, upload=upload, by=request.user)
            except ValidationError as exc:
                errors[key] = [m for ms in _validation_messages(exc).values() for m in ms]
            except services.ActionRefused:
                return redirect("portal:dossier_detail", reference=dossier.reference)
    if not errors:
        try:
            services.supplement(
                dossier, by=request.user, note=request.POST.get("note", "")[:2000], request=request
            )
        except (services.ActionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your supplement has been sent; the processing resumes."))
        return redirect("portal:dossier_detail", reference=dossier.reference)
    return _detail_page(
        request, selectors.find_visible(request.user, dossier.reference), errors=errors, status=400
    )


@require_POST
@login_required
def withdraw(request, reference):
    dossier = _own_draft(request, reference)
    try:
        services.withdraw(dossier, by=request.user, note=request.POST.get("note", "")[:2000], request=request)
    except (services.ActionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your dossier has been withdrawn."))
    return redirect("portal:dossier_detail", reference=dossier.reference)


@never_cache
@login_required
def result_file(request, reference):
    """The signed result, once the dossier's status says it is ready and while it stands."""
    dossier = _own(request, reference)
    response = downloads.result_response(request, dossier, result_paper.for_applicant(dossier))
    services.collect_online(dossier, by=request.user, request=request)  # downloading it is receiving it
    return response


@never_cache
@login_required
def slip_file(request, reference, kind):
    dossier = _own(request, reference)
    if kind in slip_papers.INTERNAL:  # an internal record of the agencies
        raise Http404
    return downloads.slip_response(request, dossier, kind)


@never_cache
@login_required
def receipt(request, reference):
    dossier = _own(request, reference)
    if dossier.is_draft:
        raise Http404(_("A draft has no receipt yet."))
    return downloads.receipt_response(request, dossier)


@never_cache
@login_required
def attachment_file(request, reference, attachment):
    dossier = _own(request, reference)
    row = dossier.attachments.filter(uuid=attachment).first()
    if row is None:
        raise Http404(_("This dossier has no such file."))
    return downloads.attachment_response(request, dossier, row, inline=request.GET.get("xem") == "1")


# --- public tracking ---------------------------------------------------------------------------------------


@never_cache
def tracking(request):
    """Tra cứu hồ sơ: anyone with a code sees its status and steps, never the applicant's data."""
    code = (request.GET.get("code") or "").strip()
    context = {"code": code, "dossier": None, "steps": [], "error": ""}
    status = 200
    if code:
        try:
            check_tracking_rate(request)
        except Throttled:
            context["error"] = _("Too many look-ups from your connection; try again in a minute.")
            return render(request, "portal/dossiers/tracking.html", context, status=429)
        try:
            dossier = selectors.tracked(code)
        except Dossier.DoesNotExist:
            context["error"] = _("No dossier has the code %(code)s. Check the code on your receipt.") % {
                "code": code
            }
            status = 404
        else:
            context.update(
                dossier=dossier,
                steps=selectors.public_steps(dossier),
                shipment=delivery_selectors.public_view(delivery_selectors.shipment_of(dossier)),
            )
    return render(request, "portal/dossiers/tracking.html", context, status=status)
