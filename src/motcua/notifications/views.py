"""The in-app inbox (hộp thư thông báo): a signed-in person's messages. Thin over selectors and services."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import selectors, services
from .models import Notification

PAGE_SIZE = 20


@login_required
def inbox(request):
    # get_page turns a missing, malformed or out-of-range ?page= into a valid page instead of an error.
    page_obj = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = selectors.unread_count(request.user)
    return render(request, "notifications/inbox.html", {"page_obj": page_obj, "unread": unread})


@login_required
@require_POST
def mark_read(request, pk: int):
    try:
        services.mark_read(request.user, pk)
    except Notification.DoesNotExist:
        raise Http404 from None  # someone else's message looks exactly like one that does not exist
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    services.mark_all_read(request.user)
    return _back(request)


def _back(request):
    url = request.POST.get("next")
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return HttpResponseRedirect(url)
    return redirect("notifications:inbox")
