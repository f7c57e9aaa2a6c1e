"""Public portal pages: thin views over ``catalog.selectors``, server-rendered, usable without JavaScript."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    HttpResponseRedirect,
    HttpResponseServerError,
)
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from motcua.catalog import selectors
from motcua.catalog.forms import ProcedureSearchForm
from motcua.catalog.models import Agency, Procedure, Sector
from motcua.catalog.selectors import ProcedureFilters
from motcua.engagement.selectors import petitions as petition_selectors
from motcua.forms import selectors as form_selectors
from motcua.stats import selectors as stats

PAGE_SIZE = 20
PROCEDURE_ANSWERS = 5  # published answers about a procedure shown on its page


def _page(request, queryset):
    # get_page turns a missing, malformed or out-of-range ?page= into a valid page instead of an error.
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "form": ProcedureSearchForm(),
            "sectors": selectors.sectors_with_counts(),
            "most_used": selectors.most_used_procedures(),
            "agencies": selectors.top_agencies(),
            "headline": stats.headline(),  # one report: the province's year so far
        },
    )


def search(request):
    form = ProcedureSearchForm(request.GET or None)
    context = {
        "form": form,
        "sectors": selectors.sectors(),
        "agency_tree": selectors.agency_tree(),
        "page_obj": None,
    }
    if form.is_bound and not form.is_valid():
        # Bad filters get the form's messages and no results; 400 tells crawlers and clients it was refused.
        return render(request, "portal/search.html", context, status=400)
    filters = form.filters() if form.is_bound else ProcedureFilters()
    context["page_obj"] = _page(request, selectors.procedure_list(filters))
    context["filtered"] = filters != ProcedureFilters()
    return render(request, "portal/search.html", context)


def procedure_detail(request, code):
    try:
        procedure = selectors.procedure_detail(code)
    except Procedure.DoesNotExist:
        raise Http404(_("No procedure has the code %(code)s.") % {"code": code}) from None
    online_form = form_selectors.has_published_form(procedure)
    # One query. The page is cached under the catalogue's revision, which a publication does not change:
    # an answer shows here within MOTCUA_PAGE_CACHE_SECONDS (ten minutes by default), at once on its own list.
    answers = petition_selectors.published(procedure=procedure)[:PROCEDURE_ANSWERS]
    return render(
        request,
        "portal/procedure_detail.html",
        {
            "procedure": procedure,
            "online_form": online_form,
            "answers": answers,
        },
    )


def agency_list(request):
    return render(request, "portal/agency_list.html", {"agency_tree": selectors.agency_tree()})


def agency_detail(request, slug):
    try:
        agency = selectors.agency_by_slug(slug)
    except Agency.DoesNotExist:
        raise Http404(_("No such agency.")) from None
    page_obj = _page(request, selectors.procedure_list(ProcedureFilters(agency=agency)))
    return render(request, "portal/agency_detail.html", {"agency": agency, "page_obj": page_obj})


def sector_list(request):
    return render(request, "portal/sector_list.html", {"sectors": selectors.sectors_with_counts()})


def sector_detail(request, slug):
    try:
        sector = selectors.sector_by_slug(slug)
    except Sector.DoesNotExist:
        raise Http404(_("No such sector.")) from None
    page_obj = _page(request, selectors.procedure_list(ProcedureFilters(sector=sector)))
    return render(request, "portal/sector_detail.html", {"sector": sector, "page_obj": page_obj})


@requires_csrf_token
def switch_language(request, code):
    """Choose the portal's language with a plain link (no form, no token, so pages stay cacheable).

    Only sets the visitor's language cookie and goes back to ``next`` when that is a page of this site.
    """
    languages = dict(settings.LANGUAGES)
    if code not in languages:
        raise Http404(_("Unknown language."))
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE or "Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", {"request_path": request.path}, status=404)


def server_error(request):
    # No request context: the database, the session or a context processor may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"site_name": settings.MOTCUA_SITE_NAME}))


def service_unavailable(request):
    # Standalone, like the 500 page: the database may be what is out of reach.
    template = loader.get_template("503.html")
    return HttpResponse(template.render({"site_name": settings.MOTCUA_SITE_NAME}), status=503)


def bad_request(request, exception=None):
    # No request context either: the request itself is in doubt (a Host header not allowed, a broken body).
    template = loader.get_template("400.html")
    return HttpResponseBadRequest(template.render({"site_name": settings.MOTCUA_SITE_NAME}))


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token: most often a page left open too long, or cookies blocked."""
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))
