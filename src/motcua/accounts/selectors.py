"""Reads about accounts: who an officer works for, what they may do, whether they need a second factor,
which API tokens still work."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django_otp.plugins.otp_totp.models import TOTPDevice

from motcua.catalog.models import Agency

from .models import AccountKind, ApiToken, CitizenProfile, OfficerMembership, User


def officer_agencies(user, role: str | None = None) -> QuerySet[Agency]:
    """The agencies whose work ``user`` sees (optionally only where they hold ``role``).

    A system administrator sees every agency; anyone else only the agencies of their memberships.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Agency.objects.none()
    if user.is_superuser and role is None:
        return Agency.objects.all()
    memberships = OfficerMembership.objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return Agency.objects.filter(pk__in=memberships.values("agency_id"))


def has_role(user, agency: Agency | int, role: str) -> bool:
    """Whether ``user`` holds ``role`` in ``agency`` (an Agency or its primary key)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    agency_id = agency.pk if isinstance(agency, Agency) else agency
    return OfficerMembership.objects.filter(user=user, agency_id=agency_id, role=role).exists()


def memberships_of(user) -> QuerySet[OfficerMembership]:
    return OfficerMembership.objects.filter(user=user).select_related("agency")


def is_officer(user) -> bool:
    """Officers and administrators: staff of the administration rather than its public."""
    return (
        user.kind in (AccountKind.OFFICER, AccountKind.ADMIN)
        or user.is_staff
        or user.is_superuser
        or OfficerMembership.objects.filter(user=user).exists()
    )


def idle_limit(user) -> timedelta:
    """How long a signed-in session of ``user`` may stay unused: officers' (and administrators') sessions
    open dossiers and personal data, so they end sooner than citizens' and businesses'."""
    if is_officer(user):
        return timedelta(minutes=settings.MOTCUA_OFFICER_IDLE_MINUTES)
    return timedelta(minutes=settings.MOTCUA_CITIZEN_IDLE_MINUTES)


def confirmed_totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def second_factor_required(user) -> bool:
    """A one-time code is asked of anyone who set one up, and of every officer unless exempted."""
    if confirmed_totp_device(user) is not None:
        return True
    return bool(settings.MOTCUA_OFFICER_2FA_REQUIRED) and not user.otp_exempt and is_officer(user)


def citizen_by_personal_id(personal_id: str) -> User | None:
    profile = CitizenProfile.objects.select_related("user").filter(personal_id=personal_id).first()
    return profile.user if profile else None


def personal_id_taken(personal_id: str) -> bool:
    return CitizenProfile.objects.filter(personal_id=personal_id).exists()


def tax_code_taken(tax_code: str) -> bool:
    from .models import BusinessProfile

    return BusinessProfile.objects.filter(tax_code=tax_code).exists()


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


# The migration 0002 keeps a frozen copy of this salt and formula.
TOKEN_FINGERPRINT_SALT = "motcua.accounts.ApiToken.password_fingerprint"  # noqa: S105 (a name)


def token_fingerprints(user) -> list[str]:
    """The fingerprints of ``user``'s password hash that a live token may carry: keyed with SECRET_KEY (the
    one new tokens get) and each of SECRET_KEY_FALLBACKS, so rotating the key does not end every token.

    A keyed hash, so the stored value is no copy of the password hash; it changes with any new password,
    whoever sets it (the account page, a password reset, the admin, ``set_password``)."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [
        salted_hmac(TOKEN_FINGERPRINT_SALT, user.password, secret=key, algorithm="sha256").hexdigest()
        for key in secrets
    ]


def token_fingerprint(user) -> str:
    return token_fingerprints(user)[0]


def token_is_live(token: ApiToken) -> bool:
    """Not revoked, not expired, its owner active and with the password the token was made under."""
    user = token.user
    return (
        token.revoked_at is None
        and token.expires_at > timezone.now()
        and user.is_active
        and any(constant_time_compare(token.password_fingerprint, fp) for fp in token_fingerprints(user))
    )


def live_tokens(user) -> QuerySet[ApiToken]:
    """``user``'s tokens that still work (see ``token_is_live``), newest first."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(
        user=user,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
        password_fingerprint__in=token_fingerprints(user),
    )


def active_token(raw: str) -> ApiToken | None:
    """The live token whose hash matches ``raw``, with its user, or None."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    return token if token is not None and token_is_live(token) else None


def demo_accounts() -> QuerySet[User]:
    return User.objects.filter(is_demo=True)


def applicant_profile(user) -> dict:
    """What an online form may prefill for ``user`` (keys as ``forms.services.initial_data`` reads them),
    plus ``kind``, ``id_number`` (personal ID or tax code) and ``name`` (person or business), which a
    dossier copies when it is sent. ``address`` is the profile's structured address
    (``{"province", "commune", "detail"}``, empty parts left out), so a form fills each part."""
    if not getattr(user, "is_authenticated", False):
        return {}
    profile = {
        "kind": user.kind,
        "full_name": user.full_name or user.get_full_name(),
        "name": user.full_name or user.get_full_name(),
        "phone": user.phone,
        "email": user.email,
        "id_number": "",
        "address": "",
    }
    citizen = getattr(user, "citizen", None) if user.kind == AccountKind.CITIZEN else None
    business = getattr(user, "business", None) if user.kind == AccountKind.BUSINESS else None
    if citizen is not None:
        profile.update(
            personal_id=citizen.personal_id,
            id_number=citizen.personal_id,
            birth_date=citizen.birth_date,
            address=citizen.address_value,
        )
    elif business is not None:
        profile.update(
            tax_code=business.tax_code,
            id_number=business.tax_code,
            name=business.business_name,
            full_name=business.representative_name,
            address=business.address_value,
        )
    return profile
