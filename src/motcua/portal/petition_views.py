"""The public pages of petitions and feedback (phản ánh, kiến nghị): the published answers (searched, and one
by one), the send form and its receipt, the tracking page by code (with the sender's own view and their word
on the answer), and a signed-in person's list of what they sent.

Thin: writes go through ``engagement.services.petitions``, which checks everything a visitor typed (its
messages come back on the form's fields); reads through ``engagement.selectors.petitions``; who may see or
do what through ``engagement.rules``. Anyone holding a code reads only ``public_record`` (no subject,
content, name or contact); the sender, signed in, reads their own. Every page works without JavaScript.
"""

from urllib.parse import quote

from django.conf import settings
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

from motcua.catalog import selectors as catalog_selectors
from motcua.core import ratelimit
from motcua.core.net import client_ip
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules
from motcua.engagement.models import PetitionStatus
from motcua.engagement.selectors import petitions as selectors
from motcua.engagement.services import petitions as services

from .petition_forms import AnswerRatingForm, AnswerSearchForm, PetitionForm

PAGE_SIZE = 20
SENT_KEY = "petitions_sent"  # the codes this session sent, whose receipt it may open again
SENT_KEPT = 20
TRACKING_SCOPE = "petition-tracking"  # look-ups by code per client address (MOTCUA_TRACKING_RATE a minute)


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def tracking_url(code: str) -> str:
    """The tracking page of ``code``: the address the e-mails carry (``services.petitions.TRACKING_PATH``)."""
    return f"{reverse('portal:petition_tracking')}?ma={quote(code, safe='')}"


# --- published answers ------------------------------------------------------------------------------------


def answers(request):
    """Trả lời phản ánh, kiến nghị: the published answers, by words (accents optional), agency, procedure
    and what they are about."""
    form = AnswerSearchForm(request.GET or None)
    context = {"form": form, "agency_tree": catalog_selectors.agency_tree(), "page_obj": None}
    if form.is_bound and not form.is_valid():
        return render(request, "portal/petitions/list.html", context, status=400)
    filters = form.filters()
    context["page_obj"] = _page(request, selectors.published(**filters))
    context["filtered"] = any(filters.values())
    return render(request, "portal/petitions/list.html", context)


def answer(request, code):
    """One published answer; any other code (unknown, unpublished, withdrawn) is "not found"."""
    petition = selectors.published_one(code)
    if petition is None:
        raise Http404(_("No published answer has this code."))
    return render(request, "portal/petitions/answer.html", {"petition": petition})


# --- sending ----------------------------------------------------------------------------------------------


@never_cache
def send(request):
    """Gửi phản ánh, kiến nghị: feedback from anyone, a petition from a signed-in person. Posted, it goes to
    the service as typed; refused, the form comes back with each message on its field (400); sent, the
    browser goes to the receipt (post, redirect, get)."""
    signed_in = rules.may_send_petition(request.user)
    status = 200
    if request.method == "POST":
        form = PetitionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                petition = services.send_petition(
                    **form.values(),
                    by=request.user if signed_in else None,
                    client_ip=client_ip(request) or "",
                    request=request,
                )
            except services.TooManyPetitions as exc:
                return _too_many(request, exc)
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                _remember(request, petition.code)
                # The form posts to #error-summary, which the browser would carry over the redirect.
                return redirect(f"{reverse('portal:petition_receipt', kwargs={'code': petition.code})}#top")
        status = 400
    else:
        form = PetitionForm(initial=_initial(request))
    context = {
        "form": form,
        "signed_in": signed_in,
        "agency_tree": catalog_selectors.agency_tree(),
        "files_dropped": request.method == "POST" and bool(request.FILES),
    }
    return render(request, "portal/petitions/send.html", context, status=status)


def _initial(request) -> dict:
    """``?procedure=<code>`` (the link on a procedure's page): about that procedure, its code filled in."""
    code = (request.GET.get("procedure") or "").strip()[:40]
    return {"kind": "feedback", **({"category": "procedure", "procedure": code} if code else {})}


def _too_many(request, exc):
    minutes = max(1, -(-exc.retry_after // 60))
    response = render(
        request, "portal/petitions/too_many.html", {"message": str(exc), "minutes": minutes}, status=429
    )
    response["Retry-After"] = str(exc.retry_after)
    return response


def _remember(request, code: str) -> None:
    sent = [c for c in request.session.get(SENT_KEY, []) if c != code]
    request.session[SENT_KEY] = [*sent, code][-SENT_KEPT:]


@never_cache
def receipt(request, code):
    """The receipt, only for the session that sent it (anyone else is sent to the public tracking page,
    which shows what the code shows to anyone)."""
    if code not in request.session.get(SENT_KEY, []):
        return redirect(tracking_url(code))
    petition = selectors.by_code(code)
    if petition is None:
        raise Http404(_("No petition has this code."))
    return render(
        request,
        "portal/petitions/receipt.html",
        {"petition": petition, "tracking_url": tracking_url(petition.code)},
    )


# --- tracking by code -------------------------------------------------------------------------------------


@never_cache
def tracking(request):
    """Tra cứu phản ánh, kiến nghị (``?ma=<code>``, the link of the e-mails): what anyone with the code may
    read, and, for its signed-in sender, their own text, the answer and their word on it."""
    code = (request.GET.get("ma") or "").strip()
    if not code:
        return render(request, "portal/petitions/tracking.html", {"code": ""})
    if not ratelimit.hit(TRACKING_SCOPE, client_ip(request) or "-", settings.MOTCUA_TRACKING_RATE):
        error = _("Too many look-ups from your connection; try again in a minute.")
        response = render(
            request, "portal/petitions/tracking.html", {"code": code, "error": error}, status=429
        )
        response["Retry-After"] = str(ratelimit.retry_after())
        return response
    petition = selectors.by_code(code)
    if petition is None:
        error = _("No petition or feedback has the code %(code)s. Check the code on your receipt.") % {
            "code": code
        }
        return render(request, "portal/petitions/tracking.html", {"code": code, "error": error}, status=404)
    return _tracking_page(request, petition)


def _tracking_page(request, petition, *, rating_form=None, status=200):
    context = {"code": petition.code, "record": selectors.public_record(petition), "sender_view": False}
    if rules.is_sender(petition, request.user):
        may_rate = rules.may_rate_answer(petition, request.user)
        context.update(
            sender_view=True,
            petition=petition,
            answer_text=_answer_for_sender(petition),
            may_rate=may_rate,
            rating_form=rating_form or (AnswerRatingForm() if may_rate else None),
        )
    return render(request, "portal/petitions/tracking.html", context, status=status)


def _answer_for_sender(petition) -> str:
    """The answer its sender reads: once a leader approved it (a draft is never shown), on this petition or
    on the one it was merged into (whose answer is copied onto its duplicates when approved)."""
    if petition.status == PetitionStatus.ANSWERED:
        return petition.answer
    target = petition.merged_into
    if (
        petition.status == PetitionStatus.MERGED
        and target is not None
        and target.status == PetitionStatus.ANSWERED
    ):
        return target.answer
    return ""


@require_POST
@login_required
def rate(request, code):
    """Đánh giá trả lời: the sender says once whether the answer satisfies them; anyone else finds nothing."""
    petition = selectors.by_code(code)
    if petition is None or not rules.is_sender(petition, request.user):
        raise Http404(_("You have sent nothing with this code."))
    form = AnswerRatingForm(request.POST)
    if form.is_valid():
        try:
            services.rate_answer(petition, by=request.user, request=request, **form.values())
        except ValidationError as exc:
            form.add_service_errors(exc)
        except (ActionRefused, PermissionDenied) as exc:
            messages.error(request, str(exc))
            return redirect(f"{tracking_url(petition.code)}#danh-gia")
        else:
            messages.success(request, _("Thank you: we have noted whether the answer satisfies you."))
            return redirect(f"{tracking_url(petition.code)}#danh-gia")
    return _tracking_page(request, petition, rating_form=form, status=400)


# --- the signed-in person's own -----------------------------------------------------------------------------


@never_cache
@login_required
def mine(request):
    """Phản ánh, kiến nghị của tôi: what the signed-in person sent from their account, newest first."""
    return render(
        request,
        "portal/petitions/mine.html",
        {"page_obj": _page(request, selectors.own_petitions(request.user))},
    )
