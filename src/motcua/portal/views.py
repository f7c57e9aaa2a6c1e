"""Public portal pages (placeholder views until the portal is built)."""

from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError


def home(request):
    return HttpResponse("Motcua")


def search(request):
    return HttpResponse("search")


def procedure_detail(request, code):
    return HttpResponse(code)


def agency_list(request):
    return HttpResponse("agencies")


def agency_detail(request, slug):
    return HttpResponse(slug)


def sector_list(request):
    return HttpResponse("sectors")


def sector_detail(request, slug):
    return HttpResponse(slug)


def page_not_found(request, exception=None):
    return HttpResponseNotFound("404")


def server_error(request):
    return HttpResponseServerError("500")
