from django.urls import path

from motcua.core.pagecache import cache_public_page

from . import api
from .selectors import catalogue_revision

# Everyone gets the same catalogue answers; they are cached until the catalogue changes.
cached = cache_public_page(catalogue_revision)

urlpatterns = [
    path("procedures/", cached(api.ProcedureListView.as_view()), name="procedure-list"),
    path("procedures/<str:code>/", cached(api.ProcedureDetailView.as_view()), name="procedure-detail"),
    path("agencies/", cached(api.AgencyListView.as_view()), name="agency-list"),
    path("sectors/", cached(api.SectorListView.as_view()), name="sector-list"),
]
