from django.urls import path

from . import api

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="auth-token"),
    path("auth/tokens/", api.TokenListView.as_view(), name="auth-tokens"),
    path("auth/tokens/<int:pk>/", api.TokenRevokeView.as_view(), name="auth-token-revoke"),
]
