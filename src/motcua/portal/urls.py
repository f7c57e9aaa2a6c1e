from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.search, name="search"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure_detail"),
    path("co-quan/", views.agency_list, name="agency_list"),
    path("co-quan/<slug:slug>/", views.agency_detail, name="agency_detail"),
    path("linh-vuc/", views.sector_list, name="sector_list"),
    path("linh-vuc/<slug:slug>/", views.sector_detail, name="sector_detail"),
]
