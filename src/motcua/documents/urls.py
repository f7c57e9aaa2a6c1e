"""Public verification pages, included by the project under ``xac-minh/`` (the address results print)."""

from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.verify, name="verify"),
    path("<str:code>/", views.verify_code, name="verify_code"),
]
