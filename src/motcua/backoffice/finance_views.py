"""The finance officers' page (``/mot-cua/thanh-toan/``, trang kế toán): totals per agency, day and gateway
over a period, the payments list, the bank statement upload, and the totals as XLSX.

Who sees what is ``payments.rules`` (``totals_agencies``: finance officers and leaders, their agencies and
those below; ``statement_accounts``: the VietQR accounts a finance officer imports statements of). Thin:
reads through ``payments.selectors``, the import through ``payments.services.statements``.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.audit import services as audit
from motcua.core.spreadsheets import append_row
from motcua.core.text import whole_number
from motcua.payments import registry, rules, selectors
from motcua.payments.models import PaymentState
from motcua.payments.services.statements import import_statement as import_statement_service

PAGE = 50
MAX_DAYS = 366


def _agencies(request):
    agencies = rules.totals_agencies(request.user)
    if not agencies.exists():
        raise Http404(_("This page is for finance officers and leaders."))
    return agencies


def period(get) -> tuple[date, date]:
    """``tu-ngay`` .. ``den-ngay`` from the query (this month by default), in order, at most a year."""
    today = timezone.localdate()

    def day(name, default):
        try:
            return date.fromisoformat(get.get(name, ""))
        except ValueError:
            return default

    since, until = day("tu-ngay", today.replace(day=1)), day("den-ngay", today)
    since, until = min(since, until), max(since, until)
    if (until - since).days > MAX_DAYS:
        since = until.replace(year=until.year - 1)
    return since, until


def _context(request, agencies):
    chosen = agencies.filter(slug=request.GET.get("co-quan", "")).first()
    shown = agencies.filter(pk=chosen.pk) if chosen else agencies
    since, until = period(request.GET)
    start, end = selectors.day_range(since, until)
    state = request.GET.get("trang-thai", "")
    state = state if state in PaymentState.values else ""
    gateway = request.GET.get("cong", "")
    gateway = gateway if registry.known(gateway) else ""
    number = max(whole_number(request.GET.get("trang", "1"), digits=6) or 1, 1)
    payments = list(
        selectors.finance_payments(shown, since=start, until=end, state=state, gateway=gateway)[
            (number - 1) * PAGE : number * PAGE + 1
        ]
    )
    query = request.GET.copy()
    query.pop("trang", None)
    return {
        "agencies": agencies,
        "chosen": chosen,
        "shown": shown,
        "since": since,
        "until": until,
        "state": state,
        "gateway": gateway,
        "states": PaymentState.choices,
        "gateways": registry.choices(),
        "totals": selectors.totals_table(shown, start, end),
        "payments": payments[:PAGE],
        "page_number": number,
        "has_next": len(payments) > PAGE,
        "query": query.urlencode(),
        "accounts": rules.statement_accounts(request.user),
    }


@never_cache
@login_required
@require_GET
def finance(request):
    agencies = _agencies(request)
    context = _context(request, agencies)
    if request.GET.get("dinh-dang") == "xlsx":
        audit.record(
            "payment.totals_export", actor=request.user, request=request, target=context["chosen"],
            target_label=context["chosen"].slug if context["chosen"] else "*",
        )  # fmt: skip
        return _totals_xlsx(context)
    return render(request, "backoffice/finance.html", context)


@never_cache
@login_required
@require_POST
def import_statement(request):
    """A finance officer uploads a VietQR account's bank statement; the report is shown on the page."""
    agencies = _agencies(request)
    account = (
        rules.statement_accounts(request.user)
        .filter(pk=whole_number(request.POST.get("account", "")))
        .first()
    )
    upload = request.FILES.get("file")
    report, status = None, 200
    if account is None:
        messages.error(request, _("Choose one of your agency's bank-transfer accounts."))
        status = 400
    elif upload is None:
        messages.error(request, _("Choose the statement file (CSV or XLSX) to import."))
        status = 400
    else:
        try:
            report = import_statement_service(
                account=account, data=upload.read(), filename=upload.name or "", by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            status = 400
        except PermissionDenied as exc:
            raise Http404(str(exc)) from None
    context = _context(request, agencies)
    context["report"] = report
    return render(request, "backoffice/finance.html", context, status=status)


def _totals_xlsx(context):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Tong hop thanh toan")
    since, until = context["since"], context["until"]
    append_row(sheet, ["TỔNG HỢP THANH TOÁN TRỰC TUYẾN"])
    append_row(sheet, [f"Từ ngày {since:%d/%m/%Y} đến ngày {until:%d/%m/%Y}"])
    append_row(
        sheet,
        ["Cơ quan", "Ngày", "Cổng thanh toán", "Số giao dịch", "Đã thu (đ)", "Đã hoàn (đ)", "Thực thu (đ)"],
    )
    for row in context["totals"]:
        append_row(sheet, [row["agency"], row["day"].strftime("%d/%m/%Y"), row["gateway_label"], row["count"],
                           row["paid"], row["refunded"], row["net"]])  # fmt: skip
    response = HttpResponse(content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    slug = context["chosen"].slug if context["chosen"] else "tat-ca"
    response["Content-Disposition"] = (
        f'attachment; filename="thanh-toan-{slug}-{since:%Y%m%d}-{until:%Y%m%d}.xlsx"'
    )
    book.save(response)
    return response
