"""Addresses of the sandbox gateway, under ``/thanh-toan/sandbox/`` (namespace ``payments_sandbox``)."""

from django.urls import path

from . import views

app_name = "payments_sandbox"

urlpatterns = [
    path("cong/", views.pay, name="pay"),
    path("api/transaction/", views.api, name="api"),
    path("sao-ke/", views.statement, name="statement"),
]
