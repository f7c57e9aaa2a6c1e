"""Account pages: registration, e-mail verification, login with a second step, password reset, contact
details, two-step verification, national e-ID login. Thin: rules live in ``services`` and ``selectors``."""

import base64
import time

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from motcua.core import ratelimit
from motcua.core.net import client_ip

from . import selectors, services
from .forms import BusinessRegistrationForm, CitizenRegistrationForm, ContactForm, LoginForm, OTPForm
from .models import AccountKind, User
from .oidc import IdentityError, configured_provider

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PENDING_KEY = "accounts_pending_login"
# The second step must follow the password within this time, in this many tries.
PENDING_SECONDS = 300
PENDING_TRIES = 5


def _safe_next(request, url: str | None) -> str:
    """Where a user goes once signed in: ``url`` when it is a page of this site, else where their kind of
    account works (officers to the back office's queues, everyone else to their account page)."""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return url
    if getattr(request.user, "kind", "") == AccountKind.OFFICER:
        return reverse("backoffice:home")
    return reverse(settings.LOGIN_REDIRECT_URL)


def _verification_url(request):
    return lambda token: request.build_absolute_uri(reverse("accounts:verify_email", args=[token]))


def _apply_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Login in two steps ---------------------------------------------------------------------------------


def finish_login(request, user: User, backend: str, next_url: str | None):
    """Log in now, or first ask for a one-time code (setting one up when an officer has none).

    Until the code is right nobody is logged in: only the user's id waits in the session, briefly.
    """
    if not selectors.second_factor_required(user):
        auth_login(request, user, backend=backend)
        return HttpResponseRedirect(_safe_next(request, next_url))
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": backend,
        "next": next_url or "",
        "expires": time.time() + PENDING_SECONDS,
        "tries": 0,
    }
    if selectors.confirmed_totp_device(user) is None:
        return redirect("accounts:otp_setup")
    return redirect("accounts:otp_verify")


def _pending_user(request) -> User | None:
    pending = request.session.get(PENDING_KEY)
    if not pending or pending["expires"] < time.time() or pending["tries"] >= PENDING_TRIES:
        request.session.pop(PENDING_KEY, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _complete_pending(request, user: User, device):
    pending = request.session.pop(PENDING_KEY)
    auth_login(request, user, backend=pending["backend"])
    django_otp.login(request, device)
    return HttpResponseRedirect(_safe_next(request, pending["next"]))


def _count_try(request) -> None:
    pending = request.session[PENDING_KEY]
    pending["tries"] += 1
    request.session[PENDING_KEY] = pending


class PortalName:
    """Django's login and logout views put the host name ("127.0.0.1:8000") in the context as
    ``site_name``, over the portal's name that every page's title and header show: keep the portal's."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["site_name"] = settings.MOTCUA_SITE_NAME
        return context


class LoginView(PortalName, auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = LoginForm

    def form_valid(self, form):
        return finish_login(self.request, form.get_user(), MODEL_BACKEND, self.get_redirect_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = configured_provider() is not None
        context["oidc_name"] = settings.MOTCUA_OIDC_NAME
        return context


def admin_login(request):
    """The admin signs in through the same page (lockout, two-step verification) as everyone."""
    query = request.GET.copy()
    query.setdefault("next", reverse("admin:index"))
    return redirect(f"{reverse('accounts:login')}?{query.urlencode()}")


def otp_verify(request):
    user = _pending_user(request)
    if user is None:
        messages.error(request, _("Sign in again: the time for the code is over."))
        return redirect("accounts:login")
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.check_second_factor(user, form.cleaned_data["token"], request=request)
        if device is not None:
            return _complete_pending(request, user, device)
        _count_try(request)
        form.add_error(
            "token", _("The code is not right. Check the time on your phone and try the new code.")
        )
    return render(request, "accounts/otp_verify.html", {"form": form, "pending_user": user})


def otp_setup(request):
    """Set up an authenticator app: during login (officers without one) or from "my account"."""
    pending = request.session.get(PENDING_KEY)
    user = _pending_user(request) if pending else (request.user if request.user.is_authenticated else None)
    if user is None:
        return redirect("accounts:login")
    device = services.totp_device_for_setup(user)
    form = OTPForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.confirm_totp_device(device, form.cleaned_data["token"], request=request):
            if pending:
                return _complete_pending(request, user, device)
            django_otp.login(request, device)
            messages.success(request, _("Two-step verification is on. Each login will ask for a code."))
            return redirect("accounts:profile")
        if pending:
            _count_try(request)
        form.add_error(
            "token", _("The code is not right. Check the time on your phone and try the new code.")
        )
    secret = base64.b32encode(device.bin_key).decode("ascii")
    context = {
        "form": form,
        "qr_data_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "during_login": bool(pending),
    }
    return render(request, "accounts/otp_setup.html", context)


@login_required
@require_POST
def otp_disable(request):
    user = request.user
    if selectors.is_officer(user) and settings.MOTCUA_OFFICER_2FA_REQUIRED and not user.otp_exempt:
        messages.error(request, _("Officers must keep two-step verification."))
        return redirect("accounts:profile")
    form = OTPForm(request.POST)
    if form.is_valid() and services.check_second_factor(user, form.cleaned_data["token"], request=request):
        services.remove_totp_devices(user, request=request)
        messages.success(request, _("Two-step verification is off."))
    else:
        messages.error(request, _("The code is not right; two-step verification stays on."))
    return redirect("accounts:profile")


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked account: JSON under /api/, a page elsewhere; 429 either way."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = _(
        "Too many failed logins: this account is locked for %(minutes)s minutes. "
        "Wait, or reset the password by e-mail."
    ) % {"minutes": minutes}
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/locked.html", {"message": message}, status=429)


# --- Registration and e-mail ----------------------------------------------------------------------------


def _register(request, form_class, service, template):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "password2"}
        data["password"] = data.pop("password1")
        try:
            user = service(**data)
        except ValidationError as exc:
            _apply_service_errors(form, exc)
        else:
            email = services.send_verification_email(user, _verification_url(request))
            auth_login(request, user, backend=MODEL_BACKEND)
            messages.success(
                request,
                _("Your account is ready. We sent a link to %(email)s: open it to confirm your address.")
                % {"email": email},
            )
            # Back to what they were doing (e.g. a procedure's online submission), else their account.
            return HttpResponseRedirect(_safe_next(request, request.POST.get("next")))
    return render(request, template, {"form": form, "next": _next_param(request)})


def register_citizen(request):
    return _register(
        request, CitizenRegistrationForm, services.register_citizen, "accounts/register_citizen.html"
    )


def register_business(request):
    return _register(
        request, BusinessRegistrationForm, services.register_business, "accounts/register_business.html"
    )


def register_choice(request):
    return render(request, "accounts/register.html", {"next": _next_param(request)})


def _next_param(request) -> str:
    """A ``next`` address of this site carried through registration; anything else is dropped."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    return (
        url if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()) else ""
    )


def verify_email(request, token: str):
    try:
        user = services.verify_email(token)
    except ValidationError as exc:
        return render(request, "accounts/verify_email.html", {"error": exc.messages[0]}, status=400)
    return render(request, "accounts/verify_email.html", {"email": user.email})


@login_required
@require_POST
def resend_verification(request):
    user = request.user
    if user.pending_email or (user.email and not user.email_verified):
        email = services.send_verification_email(user, _verification_url(request))
        messages.success(request, _("We sent a new link to %(email)s.") % {"email": email})
    return redirect("accounts:profile")


# --- My account -----------------------------------------------------------------------------------------


@login_required
def profile(request):
    user = request.user
    context = {
        "account": user,
        "citizen": getattr(user, "citizen", None) if user.kind == "citizen" else None,
        "business": getattr(user, "business", None) if user.kind == "business" else None,
        "memberships": selectors.memberships_of(user),
        "has_totp": selectors.confirmed_totp_device(user) is not None,
        "totp_required": selectors.second_factor_required(user) and selectors.is_officer(user),
        "api_tokens": selectors.live_tokens(user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def revoke_token(request, pk: int):
    """Revoke one of the signed-in account's own valid API tokens (any other id is a 404)."""
    token = selectors.live_tokens(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404(gettext_lazy("You have no valid token with this id."))
    services.revoke_api_token(token, by=request.user, request=request)
    messages.success(request, _("The API token %(prefix)s… is revoked.") % {"prefix": token.prefix})
    return redirect("accounts:profile")


@login_required
def contact(request):
    user = request.user
    initial = {"phone": user.phone, "email": user.pending_email or user.email}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        sent = services.change_contact(
            user,
            phone=form.cleaned_data["phone"],
            email=form.cleaned_data["email"],
            url_for_token=_verification_url(request),
            request=request,
        )
        if sent:
            messages.success(
                request,
                _("Saved. We sent a link to %(email)s: your new address is used once you open it.")
                % {"email": user.pending_email},
            )
        else:
            messages.success(request, _("Your contact details are saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/contact.html", {"form": form})


# --- Password reset and change (Django's views, our pages) ---------------------------------------------


class LogoutView(PortalName, auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"site_name": settings.MOTCUA_SITE_NAME}

    def form_valid(self, form):
        if services.password_reset_allowed(form.cleaned_data["email"], client_ip(self.request)):
            return super().form_valid(form)
        # The same answer for every address, known or not: it says nothing about accounts.
        wait = ratelimit.retry_after(window=services.PASSWORD_RESET_WINDOW)
        form.add_error(
            None,
            _("Too many requests for a password reset link. Try again in %(minutes)s minutes.")
            % {"minutes": max(1, -(-wait // 60))},
        )
        response = self.form_invalid(form)
        response.status_code = 429
        response["Retry-After"] = str(wait)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        services.record_security_event("password_changed", user=self.request.user, request=self.request)
        messages.success(self.request, _("Your password is changed."))
        return response


# --- National e-ID --------------------------------------------------------------------------------------


def _oidc_redirect_uri(request) -> str:
    return request.build_absolute_uri(reverse("accounts:oidc_callback"))


def oidc_start(request):
    provider = configured_provider()
    if provider is None:
        raise Http404(gettext_lazy("National e-ID login is not configured."))
    try:
        return HttpResponseRedirect(provider.authorization_url(request, _oidc_redirect_uri(request)))
    except IdentityError as exc:
        return render(request, "accounts/oidc_error.html", {"error": str(exc)}, status=502)


def oidc_callback(request):
    provider = configured_provider()
    if provider is None:
        raise Http404(gettext_lazy("National e-ID login is not configured."))
    try:
        identity = provider.complete(request, _oidc_redirect_uri(request))
        user = services.login_external_identity(
            identity.provider,
            identity.claims,
            personal_id_claim=settings.MOTCUA_OIDC_PERSONAL_ID_CLAIM,
            request=request,
        )
    except (IdentityError, services.ExternalLoginRefused) as exc:
        return render(request, "accounts/oidc_error.html", {"error": str(exc)}, status=400)
    if not user.is_active:
        return render(
            request, "accounts/oidc_error.html", {"error": _("This account is disabled.")}, status=403
        )
    return finish_login(request, user, MODEL_BACKEND, None)
