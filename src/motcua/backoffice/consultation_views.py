"""The officers' pages of consultations on drafts (``/mot-cua/gop-y/``, góp ý dự thảo): the agency's
consultations, a draft created or edited (its articles pasted as one text, cut at their "Điều N." headings)
and published, the comments moderated (approve, reject with an internal reason) and answered, the answers
published, and the report downloaded (XLSX, PDF).

Who may do what is ``engagement.consultation_rules`` (moderator, handler, leader of the drafting agency);
writes go through ``engagement.services.consultations``, reads through ``engagement.selectors.consultations``.
Someone without an engagement role gets 403; a consultation outside the officer's agencies is "not found".
"""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog.models import Agency
from motcua.dossiers.services import ActionRefused
from motcua.engagement import consultation_report, rules
from motcua.engagement.models import CommentStatus, Consultation
from motcua.engagement.selectors import consultations as selectors
from motcua.engagement.services import consultations as services

DRAFT_FIELDS = ("title", "summary", "document_kind", "document_number", "opens_at", "closes_at", "articles")
VERBS = {
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "respond": gettext_lazy("Save the answer"),
}
FILTERS = {
    "": gettext_lazy("All"),
    CommentStatus.PENDING: gettext_lazy("Awaiting moderation"),
    CommentStatus.APPROVED: gettext_lazy("Approved"),
    CommentStatus.REJECTED: gettext_lazy("Rejected"),
}


def _officer(request) -> None:
    user = request.user
    if not (user.is_active and (user.is_superuser or rules.PetitionRoles(user).by_agency)):
        raise PermissionDenied(_("This area is for the officers who handle consultations."))


def _consultation(request, pk) -> Consultation:
    _officer(request)
    found = selectors.officer_one(pk, request.user)
    if found is None:
        raise Http404(_("No consultation of your agencies has this number."))
    return found


@never_cache
@login_required
@require_GET
def consultations(request):
    """The consultations of the officer's agencies, with their comments counted."""
    _officer(request)
    context = {
        "rows": selectors.agency_consultations(request.user),
        "may_create": bool(rules.drafting_agencies(request.user)),
    }
    return render(request, "backoffice/consultations/list.html", context)


def _moment(text: str):
    """A ``datetime-local`` value (2026-03-02T09:00) in the portal's time zone; None when it is not one (the
    service then says so)."""
    for pattern in ("%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"):
        try:
            return timezone.make_aware(datetime.strptime((text or "").strip(), pattern))
        except ValueError:
            continue
    return None


def _local_input(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M") if moment else ""


def articles_text(consultation: Consultation) -> str:
    """The articles as one text, the way the form takes them back."""
    return "\n\n".join(
        f"{a.label}. {a.title}".rstrip(". ") + "\n" + a.text for a in consultation.articles.all()
    )


def _draft_form(request, *, found: Consultation | None, values: dict, errors: dict, status: int = 200):
    agencies = Agency.objects.filter(pk__in=rules.drafting_agencies(request.user)).order_by("name")
    context = {"consultation": found, "values": values, "errors": errors, "agencies": agencies}
    return render(request, "backoffice/consultations/edit.html", context, status=status)


@never_cache
@login_required
def create(request):
    """Soạn dự thảo: a new draft of one of the agencies the officer moderates (not public until published)."""
    _officer(request)
    if not rules.drafting_agencies(request.user):
        raise PermissionDenied(_("Only moderators create consultations."))
    if request.method != "POST":
        return _draft_form(request, found=None, values={}, errors={})
    values = {field: request.POST.get(field, "") for field in (*DRAFT_FIELDS, "agency")}
    agency = Agency.objects.filter(pk=_number(values["agency"])).first()
    try:
        made = services.create_consultation(
            agency=agency, by=request.user, request=request, **_draft_values(values)
        )
    except ValidationError as exc:
        return _draft_form(request, found=None, values=values, errors=exc.message_dict, status=400)
    except PermissionDenied:
        errors = {"agency": [_("Choose an agency you moderate.")]}
        return _draft_form(request, found=None, values=values, errors=errors, status=400)
    messages.success(request, _("The draft was saved. Publish it when it is ready."))
    return redirect("backoffice:consultation", pk=made.pk)


def _number(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def _draft_values(values: dict) -> dict:
    return {
        "title": values["title"],
        "summary": values["summary"],
        "document_kind": values["document_kind"],
        "document_number": values["document_number"],
        "opens_at": _moment(values["opens_at"]),
        "closes_at": _moment(values["closes_at"]),
        "articles": values["articles"],
    }


@never_cache
@login_required
def edit(request, pk):
    """Sửa dự thảo: only before publication."""
    found = _consultation(request, pk)
    if not rules.may_edit_consultation(found, request.user):
        raise PermissionDenied(_("This consultation cannot be edited (published, or not yours to edit)."))
    if request.method != "POST":
        values = {field: getattr(found, field) for field in DRAFT_FIELDS[:4]}
        values.update(
            opens_at=_local_input(found.opens_at), closes_at=_local_input(found.closes_at),
            articles=articles_text(found),
        )  # fmt: skip
        return _draft_form(request, found=found, values=values, errors={})
    values = {field: request.POST.get(field, "") for field in DRAFT_FIELDS}
    try:
        services.update_consultation(found, by=request.user, request=request, **_draft_values(values))
    except ValidationError as exc:
        return _draft_form(request, found=found, values=values, errors=exc.message_dict, status=400)
    messages.success(request, _("The draft was saved."))
    return redirect("backoffice:consultation", pk=found.pk)


@never_cache
@login_required
@require_GET
def consultation(request, pk):
    return _page(request, _consultation(request, pk))


def _page(request, found: Consultation, *, failed=None, errors=None, values=None, status=200):
    """The draft, its comments (filtered by status) with the forms of the actions the officer may take."""
    shown = request.GET.get("trang-thai", "")
    shown = shown if shown in FILTERS else ""
    roles = rules.PetitionRoles(request.user)
    comments = []
    for row in selectors.comments_of(found, shown or None):
        actions = rules.comment_actions_for(row, request.user, roles)
        mine = failed == row.pk
        comments.append(
            {
                "row": row,
                "actions": [(action, VERBS[action]) for action in actions],
                "errors": (errors or {}) if mine else {},
                "values": (values or {}) if mine else {"response": row.response},
            }
        )
    context = {
        "consultation": found,
        "articles": found.articles.all(),
        "comments": comments,
        "filters": list(FILTERS.items()),
        "shown": shown,
        "may_edit": rules.may_edit_consultation(found, request.user, roles),
        "may_publish": rules.may_publish_consultation(found, request.user, roles),
        "may_publish_responses": rules.may_publish_responses(found, request.user, roles),
        "may_read_report": rules.may_read_report(found, request.user, roles),
        "events": selectors.events(found),
    }
    return render(request, "backoffice/consultations/detail.html", context, status=status)


def _refused(request, found, exc):
    messages.error(request, str(exc) or _("You may not do this."))
    return _page(request, found, status=409 if isinstance(exc, ActionRefused) else 403)


@require_POST
@login_required
def publish(request, pk):
    found = _consultation(request, pk)
    try:
        services.publish_consultation(found, by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
        return _page(request, found, status=400)
    except (ActionRefused, PermissionDenied) as exc:
        return _refused(request, found, exc)
    messages.success(request, _("The draft is published."))
    return redirect("backoffice:consultation", pk=found.pk)


@require_POST
@login_required
def act(request, pk, comment):
    """Approve, reject (with the reason) or answer one comment; then back to the page."""
    found = _consultation(request, pk)
    row = selectors.officer_comment(found, comment)
    if row is None:
        raise Http404(_("This consultation has no such comment."))
    action = request.POST.get("action", "")
    if action not in VERBS:
        messages.error(request, _("There is no such action."))
        return _page(request, found, status=400)
    values = {"reason": request.POST.get("reason", ""), "response": request.POST.get("response", "")}
    extra = {"approve": {}, "reject": {"reason": values["reason"]}, "respond": {"text": values["response"]}}
    try:
        services.COMMENT_ACTIONS[action](row, by=request.user, request=request, **extra[action])
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"reason": exc.messages}
        return _page(request, found, failed=row.pk, errors=errors, values=values, status=400)
    except (ActionRefused, PermissionDenied) as exc:
        return _refused(request, found, exc)
    messages.success(request, _("Done: %(action)s.") % {"action": VERBS[action]})
    return redirect(f"{reverse('backoffice:consultation', kwargs={'pk': found.pk})}#comment-{row.pk}")


@require_POST
@login_required
def publish_responses(request, pk):
    found = _consultation(request, pk)
    try:
        services.publish_responses(found, by=request.user, request=request)
    except (ActionRefused, PermissionDenied) as exc:
        return _refused(request, found, exc)
    messages.success(request, _("The answers are published."))
    return redirect("backoffice:consultation", pk=found.pk)


@never_cache
@login_required
@require_GET
def report(request, pk, extension):
    """The report, downloaded (XLSX or PDF)."""
    found = _consultation(request, pk)
    if extension not in consultation_report.RENDERERS:
        raise Http404(_("The report is downloaded as XLSX or PDF."))
    if not rules.may_read_report(found, request.user):
        raise PermissionDenied(_("You may not read the report of this consultation."))
    content, content_type, name = consultation_report.download(
        found, extension, by=request.user, request=request
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
