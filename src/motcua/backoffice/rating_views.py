"""The agency's satisfaction ratings (``/mot-cua/danh-gia/``, đánh giá mức độ hài lòng): what applicants said
of the dossiers their units received, newest first, with their comments, over a period.

Who sees what is ``engagement.rules.rating_agencies`` (an officer: the agencies of their memberships; a
system administrator: all). Thin: reads through ``engagement.selectors``; ratings are never changed here.
"""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motcua.engagement import rules, selectors
from motcua.engagement.models import SATISFIED_FROM

PAGE = 25


def _day(get, name) -> date | None:
    try:
        return date.fromisoformat(get.get(name, ""))
    except ValueError:
        return None


@never_cache
@login_required
@require_GET
def ratings(request):
    agencies = rules.rating_agencies(request.user)
    if not agencies.exists():
        raise Http404(_("This area is for officers."))
    chosen = agencies.filter(slug=request.GET.get("co-quan", "")).first()
    shown = agencies.filter(pk=chosen.pk) if chosen else agencies
    since, until = _day(request.GET, "tu-ngay"), _day(request.GET, "den-ngay")
    if since and until and since > until:
        since, until = until, since
    rows = selectors.agency_ratings(shown.values("pk"), since=since, until=until)
    page_obj = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "backoffice/ratings.html",
        {
            "agencies": agencies.order_by("name"),
            "chosen": chosen,
            "since": since,
            "until": until,
            "summary": selectors.summary(rows),
            "page_obj": page_obj,
            "items": [{"rating": r, "lines": selectors.lines(r)} for r in page_obj],
            "satisfied_from": SATISFIED_FROM,
        },
    )
