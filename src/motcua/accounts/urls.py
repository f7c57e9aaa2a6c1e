from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.profile, name="profile"),
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("dang-ky/", views.register_choice, name="register"),
    path("dang-ky/cong-dan/", views.register_citizen, name="register_citizen"),
    path("dang-ky/doanh-nghiep/", views.register_business, name="register_business"),
    path("xac-minh-email/gui-lai/", views.resend_verification, name="resend_verification"),
    path("xac-minh-email/<str:token>/", views.verify_email, name="verify_email"),
    path("lien-he/", views.contact, name="contact"),
    path("api-token/<int:pk>/thu-hoi/", views.revoke_token, name="revoke_token"),
    path("mat-khau/doi/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mat-khau/quen/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mat-khau/quen/da-gui/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "mat-khau/dat-lai/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "mat-khau/dat-lai/xong/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    path("xac-thuc-hai-buoc/", views.otp_verify, name="otp_verify"),
    path("xac-thuc-hai-buoc/cai-dat/", views.otp_setup, name="otp_setup"),
    path("xac-thuc-hai-buoc/tat/", views.otp_disable, name="otp_disable"),
    path("dinh-danh/", views.oidc_start, name="oidc_start"),
    path("dinh-danh/callback/", views.oidc_callback, name="oidc_callback"),
]
