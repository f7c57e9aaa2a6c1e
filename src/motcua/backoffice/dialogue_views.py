"""The officers' pages of online dialogue sessions (``/mot-cua/doi-thoai/``, đối thoại trực tuyến): the
sessions they work on and the questions waiting for their answer; a session's preparation (create, edit,
announce, close or reopen its questions); its moderation (one small form per action allowed on each
question: approve and give to a leader, reject with a reason, merge, theme, assign); the leaders' answers
(a secretary answers on their leader's behalf); the commitments (recorded on an answered question, marked
done).

Who may do what is ``engagement.rules`` (``DIALOGUE_RULES``); writes go through
``engagement.services.dialogues``, reads through ``engagement.selectors.dialogues``. Someone who works on no
session and may organise none gets 403; a session they do not work on is "not found".
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from motcua.catalog import selectors as catalog_selectors
from motcua.core.text import whole_number
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import DialogueAction, DialogueSession, QuestionStatus
from motcua.engagement.selectors import dialogues as selectors
from motcua.engagement.services import dialogues as services
from motcua.engagement.services.dialogues.common import check

from .dialogue_forms import SessionForm, initial_of

A = DialogueAction
S = QuestionStatus
TABS = (S.PENDING, S.APPROVED, S.ANSWERED, S.MERGED, S.REJECTED)

VERBS = {
    A.ANNOUNCE: gettext_lazy("Announce the session"),
    A.OPEN_QUESTIONS: gettext_lazy("Take questions again"),
    A.CLOSE_QUESTIONS: gettext_lazy("Stop taking questions"),
    A.APPROVE: gettext_lazy("Approve"),
    A.REJECT: gettext_lazy("Reject"),
    A.MERGE: gettext_lazy("Merge into another question"),
    A.SET_THEME: gettext_lazy("Set the theme"),
    A.ASSIGN: gettext_lazy("Give to a leader"),
    A.ANSWER: gettext_lazy("Publish the answer"),
    A.EDIT_ANSWER: gettext_lazy("Correct the answer"),
    A.COMMIT: gettext_lazy("Record a commitment"),
}
# The fields of each question action's form, as the services name them.
FIELDS = {
    A.APPROVE: ("leader", "theme"),
    A.REJECT: ("reason",),
    A.MERGE: ("into", "note"),
    A.SET_THEME: ("theme",),
    A.ASSIGN: ("leader",),
    A.ANSWER: ("answer",),
    A.EDIT_ANSWER: ("answer",),
    A.COMMIT: ("text", "due_date", "agency"),
}


def _officer(request) -> None:
    user = request.user
    if not user.is_active or not (rules.organiser_choices(user) or rules.visible_sessions(user).exists()):
        raise PermissionDenied(_("This area is for the officers who run dialogue sessions."))


def _session(request, pk) -> DialogueSession:
    _officer(request)
    found = DialogueSession.objects.select_related("organiser").filter(pk=pk).first() if pk < 2**62 else None
    if found is None or not rules.may_open_session(found, request.user):
        raise Http404(_("No dialogue session of yours has this number."))
    return found


@never_cache
@login_required
def sessions(request):
    """The sessions the officer works on, newest first, and the questions waiting for their answer."""
    _officer(request)
    now = timezone.now()
    found = list(selectors.visible_sessions(request.user)[:100])
    for item in found:
        item.state = selectors.session_status(item, now)
    return render(
        request,
        "backoffice/dialogues.html",
        {
            "sessions": found,
            "may_create": bool(rules.organiser_choices(request.user)),
            "to_answer": selectors.leader_queue(request.user)[:100],
        },
    )


@never_cache
@login_required
def create(request):
    """Tạo buổi đối thoại (a draft; announced from its page)."""
    _officer(request)
    organisers = rules.organiser_choices(request.user)
    if not organisers:
        raise PermissionDenied(_("You may not organise dialogue sessions."))
    form = SessionForm(request.POST or None, organisers=organisers)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.create_session(**form.values(), by=request.user, request=request)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error("organiser", str(exc))
        else:
            messages.success(request, _("The session was created as a draft: announce it when it is ready."))
            return redirect("backoffice:dialogue", pk=session.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/dialogue_form.html", {"form": form, "session": None}, status=status)


@never_cache
@login_required
def edit(request, pk):
    found = _session(request, pk)
    if not rules.dialogue_action_allowed(found, A.UPDATE, request.user):
        raise PermissionDenied(_("You may not edit this session."))
    form = SessionForm(request.POST or None, initial=None if request.POST else initial_of(found))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_session(found, **form.values(), by=request.user, request=request)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("backoffice:dialogue", pk=found.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/dialogue_form.html", {"form": form, "session": found}, status=status)


@never_cache
@login_required
def session(request, pk):
    """One session as its officers see it: its state and actions, its questions by status with the forms
    of the actions the officer may take on each, and its commitments."""
    return _page(request, _session(request, pk))


def _page(request, found, *, failed=None, errors=None, values=None, status=200):
    user, now = request.user, timezone.now()
    tab = request.GET.get("trang-thai", "")
    moderator = rules.is_moderator(found, user)
    if tab not in TABS:
        tab = S.PENDING if moderator else S.APPROVED
    questions = list(selectors.moderation_queue(found, tab)[:200])
    if not moderator:  # a leader or secretary: the questions of the leaders they answer for
        questions = [
            q for q in questions if rules.acts_for(found, q.assigned_to_id or q.answered_by_id, user)
        ]
    leaders = selectors.leaders(found)
    for question in questions:
        question.forms = [
            {
                "action": action,
                "label": VERBS[action],
                "fields": FIELDS[action],
                "errors": (errors or {}) if failed == (question.pk, action) else {},
                "values": (values or {}) if failed == (question.pk, action) else {},
            }
            for action in rules.dialogue_actions_for(question, user, now)
        ]
    session_forms = [
        (action, VERBS[action]) for action in rules.dialogue_actions_for(found, user, now) if action in VERBS
    ]
    return render(
        request,
        "backoffice/dialogue.html",
        {
            "session": found,
            "state": selectors.session_status(found, now),
            "leaders": leaders,
            "moderator": moderator,
            "may_edit": rules.dialogue_action_allowed(found, A.UPDATE, user, now),
            "session_forms": session_forms,
            "tabs": [(key, S(key).label, count) for key, count in selectors.status_counts(found).items()],
            "tab": tab,
            "questions": questions,
            "agencies": catalog_selectors.agencies(),
            "commitments": [(c, rules.may_mark_done(c, user)) for c in selectors.commitments(found)],
            "events": found.events.select_related("actor", "question").order_by("-at", "-id")[:50],
            "failed": failed,
        },
        status=status,
    )


@require_POST
@login_required
def session_act(request, pk):
    found = _session(request, pk)
    action = request.POST.get("action", "")
    calls = {
        A.ANNOUNCE: services.announce,
        A.OPEN_QUESTIONS: services.open_questions,
        A.CLOSE_QUESTIONS: services.close_questions,
    }
    if action not in calls:
        messages.error(request, _("There is no such action."))
        return _page(request, found, status=400)
    try:
        calls[action](found, by=request.user, request=request)
    except (ValidationError, ActionRefused, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        return _page(request, found, status=409 if isinstance(exc, ActionRefused) else 400)
    messages.success(request, _("Done: %(action)s.") % {"action": VERBS[action]})
    return redirect("backoffice:dialogue", pk=found.pk)


@require_POST
@login_required
def question_act(request, pk, qid):
    """One action on one question, through its service; then back to the session's page."""
    found = _session(request, pk)
    question = found.questions.filter(pk=qid).first() if qid < 2**62 else None
    action = request.POST.get("action", "")
    if question is None or action not in FIELDS:
        raise Http404(_("This session has no such question or action."))
    question.session = found
    values = {field: request.POST.get(field, "") for field in FIELDS[action]}
    tab = request.POST.get("tab", "")
    try:
        check(question, action, request.user)  # the moment (409) and the person (403) before any value (400)
        _call(found, question, action, request.user, values, request)
    except ValidationError as exc:
        found_errors = exc.message_dict if hasattr(exc, "error_dict") else {"all": exc.messages}
        errors: dict[str, list] = {}
        for field, texts in found_errors.items():  # a message about no field of the form goes on its top
            errors.setdefault(field if field in FIELDS[action] else "all", []).extend(texts)
        return _page(request, found, failed=(question.pk, action), errors=errors, values=values, status=400)
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return _page(request, found, status=409)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not do this."))
        return _page(request, found, status=403)
    messages.success(request, _("Done: %(action)s.") % {"action": VERBS[action]})
    page = reverse("backoffice:dialogue", kwargs={"pk": found.pk})
    suffix = f"?trang-thai={tab}" if tab in TABS else ""
    return redirect(f"{page}{suffix}#cau-hoi-{question.pk}")


def _leader(found, value):
    number = whole_number(value or "")
    row = found.leader_rows.filter(leader_id=number).select_related("leader").first() if number else None
    return row.leader if row else None


def _call(found, question, action, user, values, request):
    kwargs = {"by": user, "request": request}
    if action == A.APPROVE:
        return services.approve(
            question, leader=_leader(found, values["leader"]), theme=values["theme"], **kwargs
        )
    if action == A.REJECT:
        return services.reject(question, reason=values["reason"], **kwargs)
    if action == A.MERGE:
        number = whole_number(values["into"].strip().lstrip("#"))
        into = found.questions.filter(pk=number).first() if number else None
        return services.merge(question, into=into, note=values["note"], **kwargs)
    if action == A.SET_THEME:
        return services.set_theme(question, theme=values["theme"], **kwargs)
    if action == A.ASSIGN:
        leader = _leader(found, values["leader"])
        if leader is None:
            raise ValidationError({"leader": [_("Choose one of the leaders taking part in this session.")]})
        return services.assign(question, leader=leader, **kwargs)
    if action == A.ANSWER:
        return services.answer(question, text=values["answer"], **kwargs)
    if action == A.EDIT_ANSWER:
        return services.edit_answer(question, text=values["answer"], **kwargs)
    due = _date(values["due_date"])
    agency = catalog_selectors.find_agency(values["agency"]) if values["agency"] else None
    return services.commit(question, text=values["text"], due_date=due, agency=agency, **kwargs)


def _date(value):
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        return None


@require_POST
@login_required
def commitment_done(request, pk, cid):
    found = _session(request, pk)
    commitment = found.commitments.filter(pk=cid).first() if cid < 2**62 else None
    if commitment is None:
        raise Http404(_("This session has no such commitment."))
    commitment.session = found
    try:
        services.mark_done(commitment, by=request.user, note=request.POST.get("note", ""), request=request)
    except (ValidationError, ActionRefused, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        status = 409 if isinstance(exc, ActionRefused) else 403 if isinstance(exc, PermissionDenied) else 400
        return _page(request, found, status=status)
    messages.success(request, _("The commitment is marked done."))
    return redirect(f"{reverse('backoffice:dialogue', kwargs={'pk': found.pk})}#cam-ket-{commitment.pk}")
