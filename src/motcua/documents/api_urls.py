from django.urls import path

from . import api

urlpatterns = [
    path("verify/", api.VerifyFileView.as_view(), name="verify"),
    path("verify/<str:verification_code>/", api.VerifyCodeView.as_view(), name="verify-code"),
]
