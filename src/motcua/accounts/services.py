"""Writes about accounts: registration, e-mail verification, contact changes, two-factor devices, API
tokens, the password reset's rate limit, national e-ID links and the security log. Views, the API and the
admin call these, never the ORM."""

import contextvars
import hashlib
import logging
import secrets
from collections.abc import Callable
from contextlib import suppress
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.audit import services as audit
from motcua.core import ratelimit
from motcua.core.identity import validate_personal_id, validate_phone, validate_tax_code
from motcua.core.net import client_ip

from . import selectors
from .models import (
    AccountKind,
    ApiToken,
    BusinessProfile,
    CitizenProfile,
    ExternalIdentity,
    SecurityEvent,
    SecurityEventKind,
    User,
)

logger = logging.getLogger("motcua.security")

EMAIL_SALT = "motcua.accounts.email-verification"
# Writing last_used_at on every API call would turn each read into a write; a minute is precise enough.
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


# --- Security log ---------------------------------------------------------------------------------------

WARNING_EVENTS = {
    SecurityEventKind.LOGIN_FAILED,
    SecurityEventKind.LOCKED,
    SecurityEventKind.UNLOCKED,
    SecurityEventKind.OTP_FAILED,
    SecurityEventKind.OTP_REMOVED,
}


def record_security_event(kind: str, *, user=None, username: str = "", request=None, ip=None, **detail):
    """One row in ``SecurityEvent``, one ``auth.<kind>`` entry in the audit log (the account as target,
    the signed-in user of ``request`` as actor) and one line in the ``motcua.security`` log, alike."""
    username = username or (user.get_username() if user is not None else "")
    ip = ip or client_ip(request)
    with transaction.atomic():  # both logs or neither
        event = SecurityEvent.objects.create(
            kind=kind, user=user, username=username[:150], ip=ip, detail=detail
        )
        audit.record(f"auth.{kind}", request=request, ip=ip, target=user, target_label=username, **detail)
    level = logging.WARNING if kind in WARNING_EVENTS else logging.INFO
    logger.log(
        level, "security event=%s username=%s ip=%s detail=%s", kind, username, ip or "-", detail or {}
    )
    return event


# --- Registration ---------------------------------------------------------------------------------------


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from None


def _register(
    *,
    key_field: str,
    validate_key,
    taken,
    taken_message: str,
    phone: str,
    password: str,
    make_user,
    make_profile,
) -> User:
    """Shared steps of a registration whose username is an identifier (personal ID or tax code).

    ``validate_key()`` returns the normalised identifier or raises; ``taken(key)`` says whether an account
    has it; ``make_user(key, phone)`` builds the unsaved user; ``make_profile(user, key)`` saves its profile.
    Every field error is collected before anything is written; a race with a concurrent registration ends
    in the same message as the check before it.
    """
    errors, key = {}, ""
    try:
        key = validate_key()
    except ValidationError as exc:
        errors[key_field] = exc.messages
    try:
        phone = validate_phone(phone)
    except ValidationError as exc:
        errors["phone"] = exc.messages
    if key_field not in errors and (taken(key) or User.objects.filter(username=key).exists()):
        errors[key_field] = [taken_message]
    if errors:
        raise ValidationError(errors)
    user = make_user(key, phone)
    _check_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            make_profile(user, key)
    except IntegrityError:  # registered by a concurrent request a moment ago
        raise ValidationError({key_field: [taken_message]}) from None
    return user


@transaction.atomic
def register_citizen(
    *,
    full_name: str,
    personal_id: str,
    birth_date: date,
    phone: str,
    email: str,
    password: str,
    address: str = "",
) -> User:
    """A citizen's account; the username is the personal ID. Raises ValidationError keyed by field."""

    def make_user(key, valid_phone):
        return User(
            username=key,
            kind=AccountKind.CITIZEN,
            full_name=full_name.strip(),
            phone=valid_phone,
            email=email,
        )

    return _register(
        key_field="personal_id",
        validate_key=lambda: validate_personal_id(personal_id, birth_date),
        taken=selectors.personal_id_taken,
        taken_message=_("An account with this personal ID already exists. Sign in or reset the password."),
        phone=phone,
        password=password,
        make_user=make_user,
        make_profile=lambda user, key: CitizenProfile.objects.create(
            user=user, personal_id=key, birth_date=birth_date, address=address.strip()
        ),
    )


@transaction.atomic
def register_business(
    *,
    tax_code: str,
    business_name: str,
    representative_name: str,
    phone: str,
    email: str,
    password: str,
    address: str = "",
) -> User:
    """A business's account; the username is the tax code. Raises ValidationError keyed by field."""

    def make_user(key, valid_phone):
        return User(
            username=key,
            kind=AccountKind.BUSINESS,
            full_name=business_name.strip(),
            phone=valid_phone,
            email=email,
        )

    return _register(
        key_field="tax_code",
        validate_key=lambda: validate_tax_code(tax_code),
        taken=selectors.tax_code_taken,
        taken_message=_("An account with this tax code already exists. Sign in or reset the password."),
        phone=phone,
        password=password,
        make_user=make_user,
        make_profile=lambda user, key: BusinessProfile.objects.create(
            user=user,
            tax_code=key,
            business_name=business_name.strip(),
            representative_name=representative_name.strip(),
            address=address.strip(),
        ),
    )


# --- E-mail verification --------------------------------------------------------------------------------


def email_verification_token(user: User, email: str) -> str:
    return signing.dumps({"u": user.pk, "e": email}, salt=EMAIL_SALT, compress=True)


def send_verification_email(user: User, url_for_token: Callable[[str], str]) -> str:
    """Send a link that verifies the address waiting for it (a new one, or the first one); returns it."""
    email = user.pending_email or user.email
    url = url_for_token(email_verification_token(user, email))
    context = {
        "user": user,
        "url": url,
        "days": settings.MOTCUA_EMAIL_VERIFICATION_DAYS,
        "site_name": settings.MOTCUA_SITE_NAME,
    }
    subject = render_to_string("accounts/email/verify_subject.txt", context).strip()
    body = render_to_string("accounts/email/verify_body.txt", context)
    send_mail(subject, body, None, [email])
    return email


def verify_email(token: str) -> User:
    """Mark the address in ``token`` verified. Raises ValidationError for a bad, old or outdated link."""
    try:
        data = signing.loads(
            token, salt=EMAIL_SALT, max_age=timedelta(days=settings.MOTCUA_EMAIL_VERIFICATION_DAYS)
        )
    except signing.SignatureExpired:
        raise ValidationError(
            _("This link has expired. Sign in and ask for a new one."), code="expired"
        ) from None
    except signing.BadSignature:
        raise ValidationError(
            _("This link is not valid. Copy the whole link from the e-mail."), code="bad"
        ) from None
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=data.get("u"), is_active=True).first()
        if user is None:
            raise ValidationError(
                _("This link is not valid. Copy the whole link from the e-mail."), code="bad"
            )
        email = data.get("e")
        if user.pending_email and email == user.pending_email:
            user.email = email
            user.pending_email = ""
        elif email != user.email:
            # A link for an address the account no longer has (changed again since).
            raise ValidationError(
                _("This link is for an e-mail address the account no longer uses."), code="old"
            )
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email", "pending_email", "email_verified_at"])
    record_security_event(SecurityEventKind.EMAIL_VERIFIED, user=user, email=email)
    return user


def change_contact(user: User, *, phone: str, email: str, url_for_token: Callable[[str], str], request=None):
    """Update the phone at once; a new e-mail waits as ``pending_email`` until its link is opened, so mail
    (password resets included) keeps going to the verified address. Returns True when a link was sent."""
    phone = validate_phone(phone)
    changes = {}
    if phone != user.phone:
        changes["phone"] = [user.phone, phone]
        user.phone = phone
    sent = False
    email = email.strip()
    if email.lower() == user.email.lower():
        if user.pending_email:
            user.pending_email = ""
            changes["pending_email"] = "cancelled"
    else:  # a new address (or the same one again: the link is sent anew)
        changes["email"] = [user.email, email]
        user.pending_email = email
        sent = True
    user.save(update_fields=["phone", "pending_email"])
    if sent:
        send_verification_email(user, url_for_token)
    if changes:
        record_security_event(SecurityEventKind.CONTACT_CHANGED, user=user, request=request, **changes)
    return sent


# --- Two-step verification (TOTP) -----------------------------------------------------------------------


def totp_device_for_setup(user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, made on the first visit and kept until confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def confirm_totp_device(device: TOTPDevice, token: str, request=None) -> bool:
    """Confirm the device with a first code from the app; False when the code is wrong."""
    if not device.verify_token(token):
        record_security_event(SecurityEventKind.OTP_FAILED, user=device.user, request=request, step="setup")
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # One authenticator per account: older ones stop working once a new one is confirmed.
        TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    record_security_event(SecurityEventKind.OTP_CONFIRMED, user=device.user, request=request)
    return True


def check_second_factor(user: User, token: str, request=None) -> TOTPDevice | None:
    """The confirmed device that accepts ``token`` (django-otp throttles repeated failures), or None."""
    device = selectors.confirmed_totp_device(user)
    if device is not None and token and device.verify_token(token):
        return device
    record_security_event(SecurityEventKind.OTP_FAILED, user=user, request=request)
    return None


def remove_totp_devices(user: User, request=None) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    record_security_event(SecurityEventKind.OTP_REMOVED, user=user, request=request)


# --- API tokens -----------------------------------------------------------------------------------------


class TokenLimitReached(ValidationError):
    """The account already holds ``MOTCUA_API_TOKEN_LIMIT`` live tokens."""


def create_api_token(user: User, *, name: str = "", request=None) -> tuple[ApiToken, str]:
    """A new token, valid for ``MOTCUA_API_TOKEN_DAYS`` and while the owner's password stays the same; the
    raw value is returned once and never stored. Raises ``TokenLimitReached`` when the account already
    holds ``MOTCUA_API_TOKEN_LIMIT`` live tokens (revoked, expired and outdated ones do not count)."""
    limit = settings.MOTCUA_API_TOKEN_LIMIT
    with transaction.atomic():
        # One mint at a time per account, so that two concurrent requests cannot both pass the count.
        User.objects.select_for_update().filter(pk=user.pk).values_list("pk").first()
        if selectors.live_tokens(user).count() >= limit:
            raise TokenLimitReached(
                _(
                    "This account already holds the most valid API tokens allowed (%(limit)s). Revoke one "
                    "(on your account page, or with DELETE /api/v1/auth/tokens/<id>/) before asking for "
                    "another."
                )
                % {"limit": limit},
                code="token_limit",
            )
        raw = secrets.token_urlsafe(32)
        token = ApiToken.objects.create(
            user=user,
            key_hash=selectors.hash_token(raw),
            prefix=raw[:8],
            name=name[:100],
            expires_at=timezone.now() + timedelta(days=settings.MOTCUA_API_TOKEN_DAYS),
            password_fingerprint=selectors.token_fingerprint(user),
        )
        record_security_event(
            SecurityEventKind.TOKEN_CREATED,
            user=user,
            request=request,
            token=token.prefix,
            expires_at=token.expires_at.isoformat(),
        )
    return token, raw


def revoke_api_token(token: ApiToken, *, by: User | None = None, request=None, reason: str = "") -> bool:
    """Revoke ``token``; False when it already was. ``reason`` goes to the security log."""
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if updated:
        detail = {"reason": reason} if reason else {}
        record_security_event(
            SecurityEventKind.TOKEN_REVOKED,
            user=token.user,
            request=request,
            token=token.prefix,
            by=by.get_username() if by is not None else token.user.get_username(),
            **detail,
        )
    return bool(updated)


def retire_api_tokens(user: User) -> int:
    """Mark revoked (and log) the unrevoked tokens of ``user`` that no longer work because the password
    changed or the account was deactivated; returns how many. The tokens stopped working at that moment
    already (``selectors.token_is_live``); this makes it visible in the admin and the security log."""
    count = 0
    now = timezone.now()
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=now):
        token.user = user
        if selectors.token_is_live(token):
            continue
        reason = "account_deactivated" if not user.is_active else "password_changed"
        count += revoke_api_token(token, reason=reason)
    return count


def mark_token_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


# --- Password reset -------------------------------------------------------------------------------------

PASSWORD_RESET_WINDOW = 3600  # the limits below count per hour


def password_reset_allowed(email: str, ip: str | None) -> bool:
    """Count one request for a password reset e-mail to ``email`` from ``ip``; False when the address
    (``MOTCUA_PASSWORD_RESET_PER_EMAIL``) or the client (``MOTCUA_PASSWORD_RESET_PER_IP``) asked too often
    this hour. Counted before any account is looked up, so the answer is the same whether the address
    belongs to an account or not; a client already over its own limit does not use up the address's."""
    if not ratelimit.hit(
        "password-reset-ip", ip or "-", settings.MOTCUA_PASSWORD_RESET_PER_IP, window=PASSWORD_RESET_WINDOW
    ):
        return False
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return ratelimit.hit(
        "password-reset-email", digest, settings.MOTCUA_PASSWORD_RESET_PER_EMAIL, window=PASSWORD_RESET_WINDOW
    )


# --- Lockout --------------------------------------------------------------------------------------------

# Who is lifting a lock right now (set by unlock_account), for the unlock's log entry that
# signals.log_unlock writes when the attempt record goes.
unlocked_by: contextvars.ContextVar[str] = contextvars.ContextVar("unlocked_by", default="")


def unlock_account(username: str, *, by: User | None = None) -> int:
    """Lift a lockout before its time; the unlock itself is logged by the AccessAttempt deletion."""
    from axes.utils import reset

    token = unlocked_by.set(by.get_username() if by is not None else "")
    try:
        return reset(username=username)
    finally:
        unlocked_by.reset(token)


# --- National e-ID (OIDC) -------------------------------------------------------------------------------


class ExternalLoginRefused(Exception):
    """The provider's claims cannot make or find an account; the message is for the citizen."""


@transaction.atomic
def login_external_identity(provider: str, claims: dict, *, personal_id_claim: str, request=None) -> User:
    """The account for a verified identity: the one already linked to (provider, sub); else the citizen
    with the same personal ID, now linked; else a new citizen made from the claims."""
    subject = str(claims["sub"])
    link = ExternalIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    if link is not None:
        link.last_login_at = timezone.now()
        link.save(update_fields=["last_login_at"])
        return link.user

    birth_date = None
    if claims.get("birthdate"):
        try:
            birth_date = date.fromisoformat(str(claims["birthdate"]))
        except ValueError:
            birth_date = None
    try:
        personal_id = validate_personal_id(str(claims.get(personal_id_claim) or ""), birth_date)
    except ValidationError as exc:
        raise ExternalLoginRefused(
            _("The national e-ID did not send a valid personal ID: %(reason)s") % {"reason": exc.messages[0]}
        ) from None

    user = selectors.citizen_by_personal_id(personal_id)
    created = user is None
    if created:
        if birth_date is None:
            raise ExternalLoginRefused(_("The national e-ID did not send a date of birth."))
        if User.objects.filter(username=personal_id).exists():
            raise ExternalLoginRefused(
                _("An account named after this personal ID is not a citizen's. Call the help desk.")
            )
        phone = ""
        with suppress(ValidationError):  # a number the portal cannot use is left for the citizen to enter
            phone = validate_phone(claims.get("phone_number") or "")
        email = str(claims.get("email") or "")
        user = User(
            username=personal_id,
            kind=AccountKind.CITIZEN,
            full_name=str(claims.get("name") or "")[:150],
            phone=phone,
            email=email,
            # The provider vouches for the address only when it says so.
            email_verified_at=timezone.now() if email and claims.get("email_verified") is True else None,
        )
        user.set_unusable_password()
        user.save()
        address = claims.get("address") or ""
        if isinstance(address, dict):
            address = address.get("formatted", "")
        CitizenProfile.objects.create(
            user=user, personal_id=personal_id, birth_date=birth_date, address=str(address)[:500]
        )
    ExternalIdentity.objects.create(
        provider=provider, subject=subject, user=user, last_login_at=timezone.now()
    )
    record_security_event(
        SecurityEventKind.EXTERNAL_LINKED, user=user, request=request, provider=provider, created=created
    )
    return user
