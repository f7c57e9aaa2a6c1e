"""The public pages of online dialogue sessions (đối thoại trực tuyến): the sessions (upcoming, live,
finished) with a search across the finished transcripts, one session (its announcement, the question form
while it takes questions, the answered questions, newest first while live, and the commitments), and the
thank-you page after a question.

Thin: writes through ``engagement.services.dialogues``, which checks what a visitor typed (its messages
come back on the form's fields); reads through ``engagement.selectors.dialogues``, whose ``public_question``
decides what the public reads. Never cached: a reload shows the new answers, with or without JavaScript
(the live script, when there is one, attaches to ``#dialogue-live`` and follows its ``data-revision``).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import condition, require_POST

from motcua.core.net import client_ip
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import SessionStatus
from motcua.engagement.selectors import dialogues as selectors
from motcua.engagement.services import dialogues as services

from .dialogue_forms import QuestionForm, TranscriptSearchForm
from .live.app import events_path

PAGE_SIZE = 20
FINISHED_SHOWN = 20
ASKED_KEY = "dialogue_questions_sent"  # the sessions this browser session asked in (the thank-you page)


def _session(pk: int):
    found = selectors.public_session(pk) if pk < 2**62 else None
    if found is None:
        raise Http404(_("No dialogue session has this number."))
    return found


@never_cache
def sessions(request):
    """Đối thoại trực tuyến: the sessions live now, upcoming, and finished; ``?q=`` searches the finished
    transcripts (accents optional)."""
    form = TranscriptSearchForm(request.GET or None)
    context = {"form": form, "page_obj": None, **selectors.public_lists(finished_limit=FINISHED_SHOWN)}
    if form.is_bound and not form.is_valid():
        return render(request, "portal/dialogues/list.html", context, status=400)
    q = form.cleaned_data.get("q", "") if form.is_bound else ""
    if q:
        context["page_obj"] = Paginator(selectors.search(q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "portal/dialogues/list.html", context)


def _version(request, pk) -> str | None:
    """The ETag of a session's page for a signed-out visitor with no search: the page changes only with
    the session's revision, its status and the language, so a client asking again with ``If-None-Match``
    gets 304 Not Modified at the cost of one query (short conditional polling; ``bench/dialogue.py``
    measures it against the live stream)."""
    if request.user.is_authenticated or request.GET or pk >= 2**62:
        return None
    version = selectors.public_version(pk)
    return None if version is None else f'"{pk}-{version[0]}-{version[1]}-{get_language()}"'


@never_cache
@condition(etag_func=_version)
def session(request, pk):
    """One session: what it is about, when, who takes part; the form to ask while it takes questions; the
    answered questions (newest first while live, in order when finished, grouped by theme if asked) and
    the commitments."""
    return _page(request, _session(pk))


def _page(request, found, *, form=None, status=200):
    now = timezone.now()
    state = selectors.session_status(found, now)
    search = TranscriptSearchForm(request.GET or None)
    q = search.cleaned_data.get("q", "") if search.is_bound and search.is_valid() else ""
    theme = (request.GET.get("chu-de") or "").strip()[:100]
    leaders = selectors.leaders(found)
    answered = selectors.titled(
        selectors.transcript(found, q, theme=theme, newest_first=state == SessionStatus.LIVE), found
    )
    accepting = rules.accepting_questions(found, now)
    if form is None and accepting:
        form = QuestionForm(signed_in=request.user.is_authenticated)
    context = {
        "session": found,
        "state": state,
        "leaders": leaders,
        "agencies": found.agencies.order_by("order", "name"),
        "accepting": accepting,
        "form": form if accepting else None,
        "not_signed_in": not request.user.is_authenticated,
        "answered": answered,
        "themes": selectors.themes(found),
        "theme": theme,
        "search": search,
        "query": q,
        "commitments": list(selectors.commitments(found)),
        # The live stream (portal.live), while answers may still come and the whole transcript is shown.
        "events_url": "" if state == SessionStatus.FINISHED or q or theme else _events_url(found),
        "today": timezone.localdate(),
    }
    return render(request, "portal/dialogues/detail.html", context, status=status)


def _events_url(found) -> str:
    """Where the page's script opens the session's event stream: this site's own address (production's
    nginx sends it to the live service), or the live service's own (``MOTCUA_LIVE_URL``, the demo)."""
    return settings.MOTCUA_LIVE_URL + events_path(found.pk)


@never_cache
@require_POST
def ask(request, pk):
    """Gửi câu hỏi: the form posted to the service as typed; refused, the session's page comes back with
    each message on its field (400); sent, the browser goes to the thank-you page (post, redirect, get)."""
    found = _session(pk)
    signed_in = request.user.is_authenticated
    form = QuestionForm(request.POST, signed_in=signed_in)
    if form.is_valid():
        try:
            services.ask_question(
                found, **form.values(), by=request.user if signed_in else None,
                client_ip=client_ip(request) or "", request=request,
            )  # fmt: skip
        except services.TooManyQuestions as exc:
            return _too_many(request, found, exc)
        except ActionRefused as exc:
            messages.error(request, str(exc))
            return redirect("portal:dialogue", pk=found.pk)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            asked = [p for p in request.session.get(ASKED_KEY, []) if p != found.pk]
            request.session[ASKED_KEY] = [*asked, found.pk][-20:]
            return redirect("portal:dialogue_sent", pk=found.pk)
    return _page(request, found, form=form, status=400)


def _too_many(request, found, exc):
    minutes = max(1, -(-exc.retry_after // 60))
    response = render(
        request, "portal/dialogues/too_many.html",
        {"session": found, "message": str(exc), "minutes": minutes}, status=429,
    )  # fmt: skip
    response["Retry-After"] = str(exc.retry_after)
    return response


@never_cache
def sent(request, pk):
    """Thank you: the question waits for moderation; only the browser session that asked sees this page."""
    found = _session(pk)
    if found.pk not in request.session.get(ASKED_KEY, []):
        return redirect("portal:dialogue", pk=found.pk)
    return render(
        request,
        "portal/dialogues/sent.html",
        {"session": found, "rate": settings.MOTCUA_DIALOGUE_QUESTION_RATE},
    )
