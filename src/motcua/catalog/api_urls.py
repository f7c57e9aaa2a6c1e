from django.urls import path

from motcua.core.pagecache import cache_public_page

from . import api, calendar_api
from .selectors import catalogue_revision

# Everyone gets the same catalogue answers; they are cached until the catalogue changes.
cached = cache_public_page(catalogue_revision)

urlpatterns = [
    path("procedures/", cached(api.ProcedureListView.as_view()), name="procedure-list"),
    path("procedures/<str:code>/", cached(api.ProcedureDetailView.as_view()), name="procedure-detail"),
    path("agencies/", cached(api.AgencyListView.as_view()), name="agency-list"),
    path("sectors/", cached(api.SectorListView.as_view()), name="sector-list"),
    # Not cached: the answer depends on the calendar's days off as well as on the catalogue.
    path("calendar/due-date/", calendar_api.DueDateView.as_view(), name="calendar-due-date"),
]
