"""The gateways' addresses under ``/thanh-toan/``: notifications and the payer's return."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("<slug:gateway>/ipn/", views.ipn, name="ipn"),
    path("<slug:gateway>/tra-ve/", views.return_page, name="return"),
]
