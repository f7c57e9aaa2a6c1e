"""The one-stop desk (bộ phận một cửa): where officers register counter dossiers and see their agency's files.

Thin: the rules are in ``dossiers.services`` and ``dossiers.selectors``; an officer reaches only the agencies
of their memberships (anything else is "not found").
"""

from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.accounts import selectors as account_selectors
from motcua.accounts.models import OfficerRole, User
from motcua.audit import services as audit
from motcua.catalog import fees as catalog_fees
from motcua.catalog.models import Channel, Procedure
from motcua.core.spreadsheets import append_row
from motcua.core.text import whole_number
from motcua.delivery import rules as delivery_rules
from motcua.delivery import selectors as delivery_selectors
from motcua.dossiers import downloads, preconditions, queues, rules, selectors, services
from motcua.dossiers.models import Dossier, DossierAction, DossierStatus
from motcua.dossiers.papers import result as result_paper
from motcua.dossiers.papers import slips as slip_papers
from motcua.engagement import rules as engagement_rules
from motcua.engagement.selectors import petitions as petition_selectors
from motcua.forms.rendering import render_summary
from motcua.payments import rules as payment_rules
from motcua.payments import selectors as payment_selectors
from motcua.payments import services as payment_services

from .forms import CounterDossierForm


def _desk_agency(request, slug):
    agency = account_selectors.officer_agencies(request.user, role=OfficerRole.DESK).filter(slug=slug).first()
    if agency is None:
        raise Http404(_("You are not a desk officer of this agency."))
    return agency


PAGE_SIZE = 25


def _filters(request) -> queues.Filters:
    get = request.GET
    status = get.get("trang-thai", "")

    def day(name):
        try:
            return date.fromisoformat(get.get(name, ""))
        except ValueError:
            return None

    return queues.Filters(
        procedure=get.get("thu-tuc", "").strip()[:20],
        status=selectors.status_code(status),
        channel=get.get("kenh", "") if get.get("kenh", "") in Channel.values else "",
        since=day("tu-ngay"),
        until=day("den-ngay"),
        q=get.get("q", "").strip()[:64],
    )


@never_cache
@login_required
def home(request):
    """The officer's queues with their counts; one queue shown a page at a time."""
    officer = queues.Officer.of(request.user)
    if not officer.agencies:
        raise Http404(_("This area is for officers."))
    filters = _filters(request)
    now = timezone.now()
    counts = queues.counts(officer, filters, now)
    name = request.GET.get("hang-doi", "")
    if name not in counts:  # none chosen, or one this officer's menu does not list
        name = queues.default_queue(officer, counts)
    number = request.GET.get("trang", "1")
    number = max((whole_number(number, digits=6) or 1) - 1, 0)
    rows = queues.page(queues.queue(officer, name, filters, now), number, PAGE_SIZE, counts[name])
    for row in rows:  # what a newly sent dossier waits for before the desk receives it ("Chờ nộp phí")
        sent = row.status == DossierStatus.SUBMITTED
        row.waiting = preconditions.waiting_for(row, DossierAction.RECEIVE) if sent else []
    pages = max((counts[name] + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    query = request.GET.copy()
    query.pop("trang", None)
    handles_petitions = request.user.is_superuser or any(
        roles & engagement_rules.PETITION_ROLES for roles in officer.roles.values()
    )
    return render(
        request,
        "backoffice/home.html",
        {
            "queues": [
                (key, queues.QUEUES[key], counts[key], counts.label(key)) for key in queues.available(officer)
            ],
            "current": name,
            "rows": rows,
            "filters": filters,
            "page_number": min(number, pages - 1) + 1,
            "pages": pages,
            "query": query.urlencode(),
            "statuses": DossierStatus.choices[1:],
            "channels": Channel.choices,
            "desks": account_selectors.officer_agencies(request.user, role=OfficerRole.DESK),
            "now": now,
            # Petitions (phản ánh, kiến nghị) waiting and overdue, for those who handle them: one aggregate.
            "petition_counts": petition_selectors.queue_counts(request.user, now=now)
            if handles_petitions
            else None,
        },
    )


@never_cache
@login_required
def choose_procedure(request, agency):
    agency = _desk_agency(request, agency)
    procedures = Procedure.objects.active().filter(agencies=agency).order_by("code").only("code", "name")
    return render(request, "backoffice/choose_procedure.html", {"agency": agency, "procedures": procedures})


@never_cache
@login_required
def register(request, agency, code):
    agency = _desk_agency(request, agency)
    procedure = Procedure.objects.active().filter(agencies=agency, code=code).first()
    if procedure is None:
        raise Http404(_("This agency does not receive that procedure."))
    components = list(procedure.components.order_by("order"))
    form = CounterDossierForm(request.POST or None)
    file_errors: dict[int, list[str]] = {}
    if request.method == "POST" and form.is_valid():
        files = [
            (component.order, upload)
            for component in components
            for upload in request.FILES.getlist(f"component-{component.order}")
        ]
        try:
            dossier = services.register_at_counter(
                officer=request.user,
                procedure=procedure,
                agency=agency,
                channel=form.cleaned_data["channel"],
                applicant=form.applicant(),
                files=files,
                note=form.cleaned_data["note"],
                request=request,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                if field.startswith("component."):
                    file_errors[int(field.split(".", 1)[1])] = errors
                elif field in form.fields:
                    form.add_error(field, errors)
                else:
                    form.add_error(None, errors)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Dossier %(code)s is registered. Print the receipt for the applicant.")
                % {"code": dossier.code},
            )
            return redirect("backoffice:dossier", reference=dossier.code)
    return render(
        request,
        "backoffice/register.html",
        {
            "agency": agency,
            "procedure": procedure,
            "components": components,
            "form": form,
            "file_errors": file_errors,
        },
        status=400 if form.errors or file_errors else 200,
    )


def _officer_dossier(request, reference) -> Dossier:
    try:
        return selectors.find_for_officer(request.user, reference)
    except Dossier.DoesNotExist:
        raise Http404(_("No dossier of your agencies has this code.")) from None


def _assignable(dossier):
    step = dossier.current_step
    if step is None:
        return []
    return list(
        User.objects.filter(
            memberships__agency_id=dossier.current_agency_id, memberships__role=step.role, is_active=True
        )
        .order_by("full_name", "username")
        .distinct()
    )


@never_cache
@login_required
def dossier(request, reference):
    """The officer's view of a dossier: data, papers, history, comments and the actions allowed now."""
    found = _officer_dossier(request, reference)
    services.record_reading(found, by=request.user, request=request)
    return _dossier_page(request, found)


def _dossier_page(request, found, *, errors=None, failed_action="", status=200):
    actions = selectors.available_actions(found, request.user)
    return render(
        request,
        "backoffice/dossier.html",
        {
            "dossier": found,
            "summary": render_summary(found.form, found.data) if found.form_id else "",
            "attachments": found.attachments.all(),
            "history": selectors.history(found),
            "steps": found.steps.select_related("agency", "assignee").order_by("started_at", "id"),
            "comments": found.comments.select_related("author"),
            "supplements": found.supplement_requests.order_by("requested_at"),
            "apology_draft": found.apology_letters.filter(sent_at__isnull=True).first(),
            "may_send_apology": rules.may_send_apology(found, request.user),
            "slips": slip_papers.offered_to(found, request.user),
            "result": result_paper.standing(found),
            "actions": [(a, DossierAction(a).verb, a in services.REASONS) for a in actions],
            "return_methods": services.RETURN_METHODS.items(),
            "return_method": services.default_return_method(found),
            "assignable": _assignable(found) if DossierAction.ASSIGN in actions else [],
            "components": found.procedure_record.get("components", []),
            "fees": catalog_fees.readable(found.fee_quote) if found.fee_quote else None,
            "charges": payment_selectors.charges_of(found),
            "payments": payment_selectors.with_receipts(payment_selectors.payments_of(found)),
            "receipt_view": "backoffice:payment_receipt",
            "refundable": payment_rules.allowed(payment_rules.REFUND, found, request.user),
            "waiting": preconditions.waiting_for(found, DossierAction.RECEIVE)
            if found.status == DossierStatus.SUBMITTED
            else [],
            "errors": errors or {},
            "failed_action": failed_action,
            "shipment": delivery_selectors.full_view(delivery_selectors.shipment_of(found)),
            "may_handle_shipment": delivery_rules.may_handle(found, request.user),
        },
        status=status,
    )


FIELD_NAMES = ("note", "assignee", "leader_reason", "method", "register_number", "to_agency")


@require_POST
@login_required
def act(request, reference):
    """One action from the dossier page; the same ``services.act`` as the API."""
    found = _officer_dossier(request, reference)
    action = request.POST.get("action", "")
    fields = {name: request.POST[name] for name in FIELD_NAMES if request.POST.get(name, "") != ""}
    if action == DossierAction.REQUEST_SUPPLEMENT:
        fields["papers"] = [p for p in request.POST.getlist("papers") if p.strip()]
    version = whole_number(request.POST.get("version", ""))
    if version is not None:
        fields["version"] = version
    try:
        if action == DossierAction.REQUEST_PAYMENT:  # a payment is asked with its amount (payments)
            payment_services.request_charge(
                found, by=request.user, amount=request.POST.get("amount", ""), reason=fields.get("note", ""),
                version=fields.get("version"), request=request,
            )  # fmt: skip
        else:
            services.act(found, action, by=request.user, request=request, **fields)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"note": exc.messages}
        return _dossier_page(
            request, _officer_dossier(request, reference), errors=errors, failed_action=action, status=400
        )
    except (services.ActionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return redirect("backoffice:dossier", reference=found.code)
    messages.success(request, _("Done: %(action)s.") % {"action": DossierAction(action).verb})
    if rules.may_read(found, request.user):
        return redirect("backoffice:dossier", reference=found.code)
    return redirect("backoffice:home")


@require_POST
@login_required
def add_comment(request, reference):
    found = _officer_dossier(request, reference)
    try:
        services.comment(found, by=request.user, text=request.POST.get("text", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    return redirect("backoffice:dossier", reference=found.code)


@never_cache
@login_required
def receipt(request, reference):
    found = _officer_dossier(request, reference)
    return downloads.receipt_response(request, found, inline=True)


@never_cache
@login_required
def slip(request, reference, kind):
    """A slip of the dossier as the agency prints it (forms 02 to 06, the process control sheet included)."""
    return downloads.slip_response(request, _officer_dossier(request, reference), kind, inline=True)


def _approvable(request, reference) -> Dossier:
    """The dossier, when the user may approve and sign its result now; else not found."""
    found = _officer_dossier(request, reference)
    if DossierAction.APPROVE not in selectors.available_actions(found, request.user):
        raise Http404(_("There is no result for you to approve on this dossier now."))
    return found


@never_cache
@login_required
def approval(request, reference):
    """Phê duyệt và ký: the draft result beside the form that approves and signs it, so that a leader signs
    what they have read. The form posts to ``act`` like every action."""
    found = _approvable(request, reference)
    return render(request, "backoffice/approval.html", {"dossier": found})


@never_cache
@login_required
def result_draft(request, reference):
    """The draft of the result the approval page shows (a PDF, unnumbered and unsigned)."""
    found = _approvable(request, reference)
    return downloads.draft_result_response(request, found, signer=request.user)


@never_cache
@login_required
def result(request, reference):
    found = _officer_dossier(request, reference)
    return downloads.result_response(request, found, result_paper.standing(found), inline=True)


REGISTER_PAGE = 100


def _register_period(request):
    today = timezone.localdate()

    def day(name, default):
        try:
            return date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    since = day("tu-ngay", today.replace(day=1))
    until = day("den-ngay", today)
    return min(since, until), max(since, until)


@never_cache
@login_required
def register_book(request):
    """Sổ theo dõi hồ sơ (form 07): the dossiers a unit received in a period, as a page or an XLSX file."""
    agencies = account_selectors.officer_agencies(request.user)
    if not agencies.exists():
        raise Http404(_("This area is for officers."))
    chosen = agencies.filter(slug=request.GET.get("co-quan", "")).first() or agencies.first()
    since, until = _register_period(request)
    tz = timezone.get_current_timezone()
    start = datetime.combine(since, time.min, tz)
    end = datetime.combine(until + timedelta(days=1), time.min, tz)
    rows = selectors.register_rows([chosen.pk], start, end)
    audit.record(
        "dossier.register_export",
        actor=request.user,
        request=request,
        target=chosen,
        target_label=chosen.slug,
    )
    if request.GET.get("dinh-dang") == "xlsx":
        return _register_xlsx(chosen, since, until, rows)
    number = request.GET.get("trang", "1")
    number = max(whole_number(number, digits=6) or 1, 1)
    lines = [
        selectors.register_line(r) for r in rows[(number - 1) * REGISTER_PAGE : number * REGISTER_PAGE + 1]
    ]
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "backoffice/register_book.html",
        {
            "agencies": agencies,
            "chosen": chosen,
            "since": since,
            "until": until,
            "columns": selectors.REGISTER_COLUMNS,
            "lines": lines[:REGISTER_PAGE],
            "offset": (number - 1) * REGISTER_PAGE,
            "page_number": number,
            "has_next": len(lines) > REGISTER_PAGE,
            "query": query.urlencode(),
        },
    )


def _register_xlsx(agency, since, until, rows):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("So theo doi ho so")
    # Applicants' names and addresses are their own text: never a formula in the officer's spreadsheet.
    append_row(sheet, [f"SỔ THEO DÕI HỒ SƠ — {agency.name}"])
    append_row(sheet, [f"Từ ngày {since:%d/%m/%Y} đến ngày {until:%d/%m/%Y}"])
    append_row(sheet, ["STT"] + [label for _key, label in selectors.REGISTER_COLUMNS])
    for number, row in enumerate(rows.iterator(chunk_size=2000), start=1):
        line = selectors.register_line(row)
        append_row(sheet, [number] + [line[key] for key, _label in selectors.REGISTER_COLUMNS])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="so-theo-doi-{agency.slug}-{since:%Y%m%d}-{until:%Y%m%d}.xlsx"'
    )
    book.save(response)
    return response


@require_POST
@login_required
def send_apology(request, reference):
    """A leader completes and sends the drafted apology letter (form 04) of a late dossier."""
    found = _officer_dossier(request, reference)
    letter = found.apology_letters.filter(sent_at__isnull=True).first()
    if letter is None:
        raise Http404
    new_due_at = None
    raw = request.POST.get("new_due_at", "")
    if raw:
        try:
            new_due_at = timezone.make_aware(datetime.fromisoformat(raw))
        except ValueError:
            messages.error(request, _("Enter the new appointment as a date and time."))
            return redirect("backoffice:dossier", reference=found.code)
    try:
        services.send_apology(
            letter,
            by=request.user,
            reason=request.POST.get("reason", ""),
            new_due_at=new_due_at,
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    except (services.ActionRefused, PermissionDenied) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The apology letter has been sent to the applicant."))
    return redirect("backoffice:dossier", reference=found.code)
