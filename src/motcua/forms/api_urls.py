from django.urls import path

from . import api

# Below catalog's procedures/<code>/: a code never holds a slash, so the two never match the same address.
urlpatterns = [
    path("procedures/<str:code>/form/", api.FormView.as_view(), name="procedure-form"),
    path("procedures/<str:code>/form/validate/", api.ValidateView.as_view(), name="procedure-form-validate"),
    path("administrative-units/", api.AdministrativeUnitsView.as_view(), name="administrative-units"),
]
