"""The applicant's pages about a dossier once started: the list of their dossiers, a dossier's page (its
history, papers, fees and payments, parcel and result, and its satisfaction rating), supplements,
withdrawal, rating, the files it holds, and the public tracking page.

Thin: changes go through ``dossiers.services``; what a person may see through ``dossiers.selectors``
(another person's dossier is "not found", never "forbidden"). Every page works without JavaScript.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from rest_framework.exceptions import Throttled

from motcua.catalog import fees as catalog_fees
from motcua.core.text import whole_number
from motcua.delivery import selectors as delivery_selectors
from motcua.dossiers import downloads, rules, selectors, services
from motcua.dossiers.api import check_tracking_rate
from motcua.dossiers.models import Dossier, DossierAction, DossierStatus
from motcua.dossiers.papers import result as result_paper
from motcua.dossiers.papers import slips as slip_papers
from motcua.engagement import rules as rating_rules
from motcua.engagement import selectors as rating_selectors
from motcua.engagement import services as rating_services
from motcua.engagement.models import CRITERION_QUESTIONS, RatingCriterion, Score
from motcua.forms import rendering
from motcua.payments import rules as payment_rules
from motcua.payments import selectors as payment_selectors

from .dossier_access import own_dossier, own_draft, validation_messages

PAGE_SIZE = 20


@require_POST
@login_required
def delete(request, reference):
    dossier = own_draft(request, reference)
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
    dossier = own_dossier(request, reference)
    if dossier.is_draft and rules.may_edit(dossier, request.user):
        return redirect("portal:dossier_edit", reference=dossier.uuid)
    services.record_reading(dossier, by=request.user, request=request)
    return _detail_page(request, dossier)


def _detail_page(request, dossier, *, errors=None, status=200, rating_form=None):
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
            **_rating_section(request, dossier, rating_form),
        },
        status=status,
    )


@require_POST
@login_required
def supplement(request, reference):
    """Bổ sung hồ sơ: the applicant attaches the papers asked for and sends them, on the same code."""
    dossier = own_draft(request, reference)
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
                errors[key] = [m for ms in validation_messages(exc).values() for m in ms]
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
    dossier = own_draft(request, reference)
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
    dossier = own_dossier(request, reference)
    response = downloads.result_response(request, dossier, result_paper.for_applicant(dossier))
    services.collect_online(dossier, by=request.user, request=request)  # downloading it is receiving it
    return response


@never_cache
@login_required
def slip_file(request, reference, kind):
    dossier = own_dossier(request, reference)
    if kind in slip_papers.INTERNAL:  # an internal record of the agencies
        raise Http404
    return downloads.slip_response(request, dossier, kind)


@never_cache
@login_required
def receipt(request, reference):
    dossier = own_dossier(request, reference)
    if dossier.is_draft:
        raise Http404(_("A draft has no receipt yet."))
    return downloads.receipt_response(request, dossier)


@never_cache
@login_required
def attachment_file(request, reference, attachment):
    dossier = own_dossier(request, reference)
    row = dossier.attachments.filter(uuid=attachment).first()
    if row is None:
        raise Http404(_("This dossier has no such file."))
    return downloads.attachment_response(request, dossier, row, inline=request.GET.get("xem") == "1")


# --- the satisfaction rating (đánh giá mức độ hài lòng) -----------------------------------------------------


def _rating_section(request, dossier, form=None) -> dict:
    """The rating section: the form while the applicant may rate (with what they posted and the errors),
    the rating once given (to its applicant only), nothing otherwise."""
    if not rating_rules.may_rate(dossier, request.user):
        return {"can_rate": False, "rating": None}
    rating = rating_selectors.rating_of(dossier)
    if rating is not None:
        return {"can_rate": False, "rating": rating, "rating_lines": rating_selectors.lines(rating)}
    if not rating_rules.rateable_now(dossier):
        return {"can_rate": False, "rating": None}
    form = form or {"values": {}, "errors": {}}
    values, errors = form["values"], form["errors"]
    questions = [("overall", _("Overall satisfaction"), _("Overall, how satisfied are you?"))] + [
        (c.value, c.label, CRITERION_QUESTIONS[c]) for c in RatingCriterion
    ]
    return {
        "can_rate": True,
        "rating": None,
        "rating_questions": [
            {
                "name": name,
                "legend": legend,
                "hint": hint,
                "value": values.get(name, ""),
                "errors": errors.get(name, []),
            }
            for name, legend, hint in questions
        ],
        "rating_scores": Score.choices,
        "rating_comment": values.get("comment", ""),
        "rating_errors": errors,
        "rating_comment_max": rating_services.COMMENT_MAX_LENGTH,
    }


@require_POST
@login_required
def rate(request, reference):
    """Đánh giá: the applicant rates their finished dossier once; errors come back beside the fields, with
    everything they chose kept."""
    dossier = own_dossier(request, reference)
    post = request.POST
    criteria = {c.value: post.get(c.value, "") for c in RatingCriterion}
    comment = post.get("comment", "")
    try:
        rating_services.rate_dossier(
            dossier, by=request.user, overall=post.get("overall", ""), criteria=criteria, comment=comment,
            request=request,
        )  # fmt: skip
    except ValidationError as exc:
        form = {"values": {"overall": post.get("overall", ""), **criteria, "comment": comment},
                "errors": validation_messages(exc)}  # fmt: skip
        return _detail_page(request, dossier, rating_form=form, status=400)
    except services.ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Thank you: your rating has been recorded."))
    return redirect(f"{reverse('portal:dossier_detail', kwargs={'reference': dossier.reference})}#danh-gia")


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
