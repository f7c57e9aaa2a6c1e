"""Accounts: citizens (công dân), businesses (doanh nghiệp), officers (cán bộ) and system administrators.

One ``User`` table for every kind of account, so that logins, lockout, two-factor and API tokens work alike.
What only one kind has lives in a one-to-one profile: ``CitizenProfile`` (personal ID, birth date, address)
and ``BusinessProfile`` (tax code, business name, representative). Separate profiles keep the personal ID
and the tax code NOT NULL and UNIQUE where they exist (a nullable unique column on ``User`` would have to
allow blanks for officers), keep personal data out of the rows that officers' accounts load on every
request, and let later issues add fields of one kind without touching the others. Contact details that
every kind has (e-mail, phone) stay on ``User``, so one "change contact details" page serves all.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.core.identity import personal_id_gender
from motcua.forms import units


class AccountKind(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")
    OFFICER = "officer", _("Officer")
    ADMIN = "admin", _("System administrator")


class UserManager(DjangoUserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("kind", AccountKind.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """An account. ``username`` is the personal ID for citizens and the tax code for businesses who
    registered on the portal (what they know by heart); officers get names such as ``motcua.tthcc-tinh``."""

    kind = models.CharField(_("account kind"), max_length=16, choices=AccountKind.choices, default="citizen")
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    pending_email = models.EmailField(
        _("new e-mail awaiting verification"),
        blank=True,
        help_text=_("A changed e-mail address replaces the current one only once its link is opened."),
    )
    otp_exempt = models.BooleanField(
        _("two-step verification not enforced"),
        default=False,
        help_text=_("Demo officers only: the officer may sign in without a one-time code."),
    )
    is_demo = models.BooleanField(
        _("demo account"),
        default=False,
        help_text=_("Created by the demo data with a published password; production refuses to start."),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self):
        return self.full_name or self.username

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None and bool(self.email)


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class StructuredAddress(models.Model):
    """An address as its parts: province code, commune (the code of a listed commune, else its name) and
    the rest (house number, street, hamlet). ``address`` reads it as one line with the units' names and,
    set to a line of text (a registration form, a national e-ID claim), parses it (``units.parse_address``);
    ``address_value`` is the dict an online form's address field takes, so a form fills each part."""

    address_province = models.CharField(_("province or city"), max_length=8, blank=True)
    address_commune = models.CharField(_("commune or ward"), max_length=120, blank=True)
    address_detail = models.CharField(_("house number, street, hamlet"), max_length=255, blank=True)

    class Meta:
        abstract = True

    @property
    def address_value(self) -> dict:
        parts = {
            "province": self.address_province,
            "commune": self.address_commune,
            "detail": self.address_detail,
        }
        return {k: v for k, v in parts.items() if v}

    @property
    def address(self) -> str:
        return units.address_text(self.address_value)

    @address.setter
    def address(self, text: str) -> None:
        value = units.parse_address(text or "")
        self.address_province = value.get("province", "")
        self.address_commune = value.get("commune", "")[:120]
        self.address_detail = value.get("detail", "")[:255]


class CitizenProfile(StructuredAddress):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen", verbose_name=_("user")
    )
    personal_id = models.CharField(_("personal ID number"), max_length=12, unique=True)
    birth_date = models.DateField(_("date of birth"))

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self):
        return self.personal_id

    @property
    def gender(self) -> str:
        """From the fourth digit of the personal ID: never stored, so it can never disagree with it."""
        return personal_id_gender(self.personal_id)

    def get_gender_display(self):
        return Gender(self.gender).label


class BusinessProfile(StructuredAddress):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="business", verbose_name=_("user")
    )
    tax_code = models.CharField(_("tax code"), max_length=13, unique=True)
    business_name = models.CharField(_("business name"), max_length=255)
    representative_name = models.CharField(_("legal representative"), max_length=150)

    class Meta:
        verbose_name = _("business profile")
        verbose_name_plural = _("business profiles")

    def __str__(self):
        return f"{self.tax_code} {self.business_name}"


class OfficerRole(models.TextChoices):
    DESK = "desk", _("Desk officer (one-stop)")
    SPECIALIST = "specialist", _("Specialist")
    LEADER = "leader", _("Leader")
    RECORDS = "records", _("Records office")
    AGENCY_ADMIN = "agency_admin", _("Agency administrator")
    FINANCE = "finance", _("Finance officer (accountant)")
    # Engagement: reception and moderation of petitions, dialogue questions and consultation comments; and
    # the handling of the petitions routed to the agency.
    MODERATOR = "moderator", _("Moderator (petitions, dialogues, consultations)")
    HANDLER = "handler", _("Petition handler")


class OfficerMembership(models.Model):
    """An officer's role in one agency; an officer may hold several roles in several agencies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("officer"),
    )
    agency = models.ForeignKey(
        "catalog.Agency", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agency")
    )
    role = models.CharField(_("role"), max_length=16, choices=OfficerRole.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("agency membership")
        verbose_name_plural = _("agency memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="accounts_membership_unique"),
        ]
        ordering = ["agency__order", "agency__code", "role"]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.agency}"


class ExternalIdentity(models.Model):
    """A login at an external identity provider (national e-ID) linked to one account."""

    provider = models.CharField(_("provider"), max_length=255, help_text=_("The issuer URL."))
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identities",
        verbose_name=_("user"),
    )
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login"), null=True, blank=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="accounts_external_identity_unique"),
        ]

    def __str__(self):
        return f"{self.provider}:{self.subject}"


class ApiToken(models.Model):
    """A Bearer token for the API. Only its SHA-256 is stored: a leaked database reveals no usable token.

    Tokens are 256 random bits, so a plain (unsalted, fast) hash is enough and allows a lookup by hash.
    A token is live until it is revoked, it expires (``MOTCUA_API_TOKEN_DAYS``), its owner's password
    changes or the account is deactivated: ``selectors.live_tokens`` and ``selectors.active_token`` say so.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("first characters"), max_length=8, editable=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # A keyed hash of the owner's password hash when the token was made (``selectors.token_fingerprint``):
    # any change of the password, by whatever path, ends the token.
    password_fingerprint = models.CharField(max_length=64, editable=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.user})"


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("Signed in")
    LOGIN_FAILED = "login_failed", _("Sign-in failed")
    LOGOUT = "logout", _("Signed out")
    LOCKED = "locked", _("Account locked")
    UNLOCKED = "unlocked", _("Account unlocked")
    OTP_FAILED = "otp_failed", _("Wrong one-time code")
    OTP_CONFIRMED = "otp_confirmed", _("Two-step verification set up")
    OTP_REMOVED = "otp_removed", _("Two-step verification turned off")
    EMAIL_VERIFIED = "email_verified", _("E-mail verified")
    CONTACT_CHANGED = "contact_changed", _("Contact details changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    TOKEN_CREATED = "token_created", _("API token created")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    EXTERNAL_LINKED = "external_linked", _("National e-ID linked")


class SecurityEvent(models.Model):
    """What happened to an account's security, kept until the audit app (hash chain) takes it over.

    Flat columns and a JSON ``detail``, so each row moves to the audit log as it is.
    """

    kind = models.CharField(_("event"), max_length=20, choices=SecurityEventKind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="security_events",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
