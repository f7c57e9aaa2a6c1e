from django.urls import path

from . import views
from .contrib.sandbox import views as sandbox

app_name = "delivery"

urlpatterns = [
    path("sandbox/", sandbox.tester, name="sandbox_home"),
    path("sandbox/api/orders/", sandbox.orders, name="sandbox_orders"),
    path("sandbox/<str:tracking_number>/<slug:status>/", sandbox.advance, name="sandbox_advance"),
    path("<slug:service>/webhook/", views.webhook, name="webhook"),
]
