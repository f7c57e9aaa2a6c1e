"""Addresses under ``/thanh-toan/``: gateway notifications, the payer's return, the VietQR transfer page."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("chuyen-khoan/<str:reference>/", views.vietqr_page, name="vietqr"),
    path("chuyen-khoan/<str:reference>/phieu/", views.vietqr_slip, name="vietqr_slip"),
    path("<slug:gateway>/ipn/", views.ipn, name="ipn"),
    path("<slug:gateway>/tra-ve/", views.return_page, name="return"),
]
