"""The officers' pages of petitions and feedback (``/mot-cua/phan-anh/``, phản ánh, kiến nghị): the queues
with their counts, one petition with its steps and a small form per action the officer may take now, and
its attachments.

Who may open what and do what is ``engagement.rules`` (the engagement roles: moderator, handler, leader);
writes go through ``engagement.services.petitions``, reads through ``engagement.selectors.petitions``.
Someone without an engagement role gets 403 here; a petition outside the officer's part of the agency tree
is "not found", as a dossier of another agency is.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from motcua.catalog import selectors as catalog_selectors
from motcua.core.files import private_file_response
from motcua.core.text import whole_number
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import Petition, PetitionAction
from motcua.engagement.selectors import petitions as selectors
from motcua.engagement.services import petitions as services
from motcua.engagement.services.petitions.common import check

PAGE_SIZE = 25
A = PetitionAction

QUEUE_LABELS = {
    "open": pgettext_lazy("petitions queue", "Open"),
    "received": gettext_lazy("At the reception"),
    "overdue": gettext_lazy("Overdue"),
    "due_soon": gettext_lazy("Due within two days"),
    "awaiting_approval": gettext_lazy("Answer awaiting approval"),
    "mine": gettext_lazy("Given to me"),
    "ended": gettext_lazy("Ended"),
}

# What each button does (the steps' own labels say what was done: "Routed to an agency").
VERBS = {
    A.ROUTE: gettext_lazy("Route to an agency"),
    A.RETURN_TO_RECEPTION: gettext_lazy("Return to the reception"),
    A.DECLINE: gettext_lazy("Do not accept for handling"),
    A.MERGE: gettext_lazy("Merge into another petition"),
    A.ASSIGN: gettext_lazy("Give to a handler"),
    A.PROPOSE_ANSWER: gettext_lazy("Propose the answer"),
    A.SEND_BACK: gettext_lazy("Send the draft back"),
    A.APPROVE_ANSWER: gettext_lazy("Approve and send the answer"),
    A.PUBLISH: gettext_lazy("Publish the answer"),
    A.UNPUBLISH: gettext_lazy("Withdraw from publication"),
}
# The fields of each action's form, as the service names them (its ValidationError speaks of them).
FIELDS = {
    A.ROUTE: ("agency", "note"),
    A.RETURN_TO_RECEPTION: ("note",),
    A.DECLINE: ("note",),
    A.MERGE: ("into", "note"),
    A.ASSIGN: ("handler", "note"),
    A.PROPOSE_ANSWER: ("answer",),
    A.SEND_BACK: ("note",),
    A.APPROVE_ANSWER: ("answer",),
    A.PUBLISH: ("subject", "question", "answer"),
    A.UNPUBLISH: ("note",),
}
# Where the service needs a reason, the form says so.
REASON_REQUIRED = frozenset({A.RETURN_TO_RECEPTION, A.DECLINE, A.SEND_BACK, A.UNPUBLISH})
DANGEROUS = frozenset({A.DECLINE, A.UNPUBLISH})


def _officer(request) -> None:
    """Only someone holding an engagement role somewhere (or a system administrator) comes in."""
    user = request.user
    if not (user.is_active and (user.is_superuser or rules.PetitionRoles(user).by_agency)):
        raise PermissionDenied(_("This area is for the officers who handle petitions."))


def _petition(request, code) -> Petition:
    _officer(request)
    found = selectors.by_code(code)
    if found is None or not rules.may_open_petition(found, request.user):
        raise Http404(_("No petition of your agencies has this code."))
    return found


@never_cache
@login_required
@require_GET
def petitions(request):
    """The queues (hàng đợi) of the petitions the officer may open, with their counts; one page at a time."""
    _officer(request)
    now = timezone.now()
    counts = selectors.queue_counts(request.user, now=now)
    name = request.GET.get("hang-doi", "")
    if name not in selectors.QUEUES:
        name = "open"
    page_obj = Paginator(selectors.queue(request.user, name, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "backoffice/petitions.html",
        {
            # "ended" grows for ever: counted only when shown (by its pages), never on every tab.
            "queues": [(key, QUEUE_LABELS[key], counts.get(key)) for key in selectors.QUEUES],
            "current": name,
            "current_label": QUEUE_LABELS[name],
            "page_obj": page_obj,
            "now": now,
        },
    )


@never_cache
@login_required
@require_GET
def petition(request, code):
    """One petition as its officers see it: who sent it and how to reach them, what it is about, its files,
    every step, the answer, the publication; and the forms of the actions the officer may take now."""
    return _page(request, _petition(request, code))


def _page(request, found: Petition, *, failed="", errors=None, values=None, status=200):
    actions = rules.petition_actions_for(found, request.user)
    route_choices = [
        (agency.slug, "· " * depth + agency.name)  # the tree shown by indents, in a plain select
        for agency, depth in (selectors.route_choices(found, request.user) if A.ROUTE in actions else [])
    ]
    if not route_choices and A.ROUTE in actions:
        actions.remove(A.ROUTE)  # a moderator with no agency under them has nowhere to route it
    values = values or {}
    forms = []
    for action in actions:
        prefilled = _prefilled(found, action)
        if action == failed:
            prefilled.update(values)  # what the officer wrote stays on the form that failed
        forms.append(
            {
                "action": action,
                "label": VERBS[action],
                "fields": FIELDS[action],
                "needs_reason": action in REASON_REQUIRED,
                "dangerous": action in DANGEROUS,
                "values": prefilled,
                "errors": (errors or {}) if action == failed else {},
                "other_errors": _other_errors(action, errors) if action == failed else [],
            }
        )
    return render(
        request,
        "backoffice/petition.html",
        {
            "petition": found,
            "attachments": found.attachments.all(),
            "events": selectors.events(found),
            "duplicates": found.duplicates.order_by("received_at", "id"),
            "forms": forms,
            "route_choices": route_choices,
            "handlers": selectors.handlers(found) if A.ASSIGN in actions else [],
            "overdue": found.is_open and found.due_at < timezone.now(),
            "failed": failed,
        },
        status=status,
    )


def _prefilled(found: Petition, action: str) -> dict:
    if action in (A.PROPOSE_ANSWER, A.APPROVE_ANSWER):
        return {"answer": found.answer}
    if action == A.PUBLISH:  # a text published before (then withdrawn) was already cleaned of personal data
        return {
            "subject": found.published_subject or found.subject,
            "question": found.published_question or found.content,
            "answer": found.published_answer or found.answer,
        }
    if action == A.ASSIGN:
        return {"handler": str(found.handler_id or "")}
    return {}


def _other_errors(action: str, errors) -> list[str]:
    """Messages about no field of the action's form (the form shows them above its fields)."""
    return [m for field, ms in (errors or {}).items() if field not in FIELDS[action] for m in ms]


@require_POST
@login_required
def act(request, code):
    """One action from the petition's page, through its service; then back to the page (or, when the
    officer may no longer open it, to the queues)."""
    found = _petition(request, code)
    action = request.POST.get("action", "")
    if action not in FIELDS:
        messages.error(request, _("There is no such action."))
        return _page(request, found, status=400)
    values = {field: request.POST.get(field, "") for field in FIELDS[action]}
    try:
        check(found, action, request.user)  # the moment (409) and the person (403) before any value (400)
        _call(found, action, request.user, values, request)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"note": exc.messages}
        return _page(request, found, failed=action, errors=errors, values=values, status=400)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _page(request, _petition(request, code), status=409)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return _page(request, found, status=403)
    messages.success(request, _("Done: %(action)s.") % {"action": VERBS[action]})
    if rules.may_open_petition(found, request.user):
        return redirect("backoffice:petition", code=found.code)
    return redirect("backoffice:petitions")


def _call(found: Petition, action: str, user, values: dict, request):
    """The service of ``action`` with the form's values, the chosen agency, handler or petition found."""
    note = values.get("note", "")
    if action == A.ROUTE:
        agency = catalog_selectors.find_agency(values["agency"]) if values["agency"] else None
        return services.route(found, to_agency=agency, by=user, note=note, request=request)
    if action == A.RETURN_TO_RECEPTION:
        return services.return_to_reception(found, by=user, note=note, request=request)
    if action == A.DECLINE:
        return services.decline(found, by=user, note=note, request=request)
    if action == A.MERGE:
        into = selectors.by_code(values["into"])
        if into is None:
            raise ValidationError({"into": [_("No petition has this code.")]})
        return services.merge(found, into=into, by=user, note=note, request=request)
    if action == A.ASSIGN:
        number = whole_number(values["handler"])
        handler = selectors.handlers(found).filter(pk=number).first() if number else None
        return services.assign(found, handler=handler, by=user, note=note, request=request)
    if action == A.PROPOSE_ANSWER:
        return services.propose_answer(found, answer=values["answer"], by=user, request=request)
    if action == A.SEND_BACK:
        return services.send_back(found, by=user, note=note, request=request)
    if action == A.APPROVE_ANSWER:
        return services.approve_answer(found, by=user, answer=values["answer"], request=request)
    if action == A.PUBLISH:
        return services.publish(found, by=user, request=request, **values)
    return services.unpublish(found, by=user, note=note, request=request)


@never_cache
@login_required
@require_GET
def attachment(request, code, number):
    """A file sent with the petition, downloaded (never shown inline: it is the sender's, unchecked
    beyond its kind) by an officer who may open the petition."""
    found = _petition(request, code)
    file = found.attachments.filter(pk=number).first()
    if file is None:
        raise Http404(_("This petition has no such file."))
    return private_file_response(file.file, filename=file.original_name, content_type=file.content_type)
