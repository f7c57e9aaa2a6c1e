from django.urls import path

from motcua.catalog.selectors import catalogue_revision
from motcua.core.pagecache import cache_public_page

from . import views

app_name = "portal"

# Catalogue pages are the same for every anonymous visitor; cached until the catalogue changes.
cached = cache_public_page(catalogue_revision)

urlpatterns = [
    path("", cached(views.home), name="home"),
    path("thu-tuc/", cached(views.search), name="search"),
    path("thu-tuc/<str:code>/", cached(views.procedure_detail), name="procedure_detail"),
    path("co-quan/", cached(views.agency_list), name="agency_list"),
    path("co-quan/<slug:slug>/", cached(views.agency_detail), name="agency_detail"),
    path("linh-vuc/", cached(views.sector_list), name="sector_list"),
    path("linh-vuc/<slug:slug>/", cached(views.sector_detail), name="sector_detail"),
    path("ngon-ngu/<str:code>/", views.switch_language, name="switch_language"),
]
