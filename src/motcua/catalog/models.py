"""The catalogue of administrative procedures (thủ tục hành chính) and the agencies that run them.

The record follows Decree 63/2010 Art. 8 and the national procedure database: code, name, level of
authority, sector, implementing agencies, applicant types, steps, methods with their own time and fees,
dossier components, requirements, result, legal basis and service level.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from motcua.core.money import format_vnd
from motcua.core.text import fold, words
from motcua.workcalendar.officehours import hours_to_days


class AuthorityLevel(models.TextChoices):
    """Cấp thẩm quyền / cấp hành chính."""

    CENTRAL = "central", _("Central")
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee")
    DEPARTMENT = "department", _("Department")
    SERVICE_CENTRE = "service_centre", _("Public administration service centre")
    POLICE = "police", _("Police")
    OTHER = "other", _("Other agency")


class ApplicantType(models.TextChoices):
    """Đối tượng thực hiện."""

    CITIZEN = "citizen", _("Citizen")
    BUSINESS = "business", _("Business")
    ORGANISATION = "organisation", _("Organisation")
    FOREIGNER = "foreigner", _("Foreigner")


# The applicants an online account can be (a citizen's account: citizens and foreigners; a business's:
# businesses and organisations); a procedure for none of them is not submitted online.
ONLINE_APPLICANT_TYPES = frozenset(ApplicantType.values)


class OnlineLevel(models.IntegerChoices):
    """The four levels of online public service named in the seeds (before Decree 42/2022)."""

    LEVEL_1 = 1, _("Level 1: information")
    LEVEL_2 = 2, _("Level 2: download forms")
    LEVEL_3 = 3, _("Level 3: submit online")
    LEVEL_4 = 4, _("Level 4: submit and pay online")


class ServiceLevel(models.TextChoices):
    """Service level since Decree 42/2022: thông tin / một phần / toàn trình."""

    INFORMATION = "information", _("Information only")
    PARTIAL = "partial", _("Partial online")
    FULL = "full", _("Full online")


# Decree 42/2022 maps the four old levels onto three: 1 is information, 2 and 3 partial, 4 full.
ONLINE_LEVELS_BY_SERVICE_LEVEL = {
    ServiceLevel.INFORMATION: (OnlineLevel.LEVEL_1,),
    ServiceLevel.PARTIAL: (OnlineLevel.LEVEL_2, OnlineLevel.LEVEL_3),
    ServiceLevel.FULL: (OnlineLevel.LEVEL_4,),
}
SERVICE_LEVEL_BY_ONLINE_LEVEL = {
    level: service for service, levels in ONLINE_LEVELS_BY_SERVICE_LEVEL.items() for level in levels
}


class Channel(models.TextChoices):
    """Cách thức thực hiện / kênh nộp hồ sơ."""

    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    POSTAL = "postal", _("By post")


class TimeUnit(models.TextChoices):
    WORKING_DAY = "working_day", _("working days")
    DAY = "day", _("days")
    WORKING_HOUR = "working_hour", _("working hours")


def in_days(amount: Decimal | None, unit: str) -> Decimal | None:
    """A processing time in days (working hours become fractions of the configured office day)."""
    if amount is None:
        return None
    if unit == TimeUnit.WORKING_HOUR:
        return hours_to_days(Decimal(amount)).quantize(Decimal("0.01"))
    return amount


def shortest_processing_days(methods) -> Decimal | None:
    """The shortest of ``(amount, unit)`` pairs, in working days.

    Calendar days and working days cannot be compared without a date, so a time in calendar days
    counts only when no method states one in working days or hours.
    """
    timed = [(amount, unit) for amount, unit in methods if amount is not None]
    working = [(amount, unit) for amount, unit in timed if unit != TimeUnit.DAY]
    days = [in_days(amount, unit) for amount, unit in (working or timed)]
    return min(days) if days else None


class LegalDocumentKind(models.TextChoices):
    # "legal document kind": "Code" is a code of law here (Bộ luật), never a code that identifies something.
    LAW = "law", pgettext_lazy("legal document kind", "Law")
    CODE = "code", pgettext_lazy("legal document kind", "Code")
    RESOLUTION = "resolution", pgettext_lazy("legal document kind", "Resolution")
    DECREE = "decree", pgettext_lazy("legal document kind", "Decree")
    DECISION = "decision", pgettext_lazy("legal document kind", "Decision")
    CIRCULAR = "circular", pgettext_lazy("legal document kind", "Circular")
    OTHER = "other", pgettext_lazy("legal document kind", "Other document")


class Agency(models.Model):
    """Cơ quan: a node of the agency tree (central → province → district → commune).

    ``code`` is the official electronic identifier code (mã định danh điện tử, Decision 20/2020/QĐ-TTg);
    ``slug`` is short ASCII, stable, used in URLs and in the names of officer accounts.
    """

    code = models.CharField(_("identifier code"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=AuthorityLevel.choices)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices, default=AgencyKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=500, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    office_hours = models.TextField(_("office hours"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveIntegerField(_("display order"), default=0)
    # Set only through catalog.services.set_accepts_online_payment (the payments app calls it when the
    # agency gets or loses an active gateway account): the service levels of its procedures follow it.
    accepts_online_payment = models.BooleanField(
        _("accepts online payment"),
        default=False,
        editable=False,
        help_text=_("Set by the payments app when the agency has an active payment gateway account."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:agency_detail", kwargs={"slug": self.slug})

    def ancestors(self) -> list["Agency"]:
        """From the root down to the parent (the tree is a few levels deep)."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def clean(self):
        if self.parent_id and self.pk:
            node, seen = self.parent, set()
            while node is not None and node.pk not in seen:
                if node.pk == self.pk:
                    raise ValidationError({"parent": _("An agency cannot be placed under itself.")})
                seen.add(node.pk)
                node = node.parent


class Sector(models.Model):
    """Lĩnh vực: the field a procedure belongs to (civil status, residence, land…)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveIntegerField(_("display order"), default=0)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:sector_detail", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The sector's name is part of each of its procedures' search text.
        for procedure in self.procedures.all():
            procedure.refresh_search_text(save=True)


class LegalDocument(models.Model):
    """Văn bản quy phạm pháp luật: a law, decree or circular cited as legal basis (căn cứ pháp lý)."""

    number = models.CharField(_("number"), max_length=80, unique=True, help_text=_("e.g. 60/2014/QH13"))
    kind = models.CharField(_("kind"), max_length=16, choices=LegalDocumentKind.choices)
    title = models.CharField(_("title"), max_length=500, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        ordering = ["kind", "number"]

    def __str__(self):
        label = f"{self.get_kind_display()} {self.number}"
        return f"{label}: {self.title}" if self.title else label


procedure_code_validator = RegexValidator(
    r"^\d{1,2}\.\d{6}$",
    _("A procedure code looks like 1.001193: one or two digits, a dot and six digits."),
)


class ProcedureQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def offering_online_submission(self):
        """Candidates for ``Procedure.accepts_online_submission`` (active, with an online method), their
        methods prefetched; that property has the last word (applicant types)."""
        online = self.filter(is_active=True, methods__channel=Channel.ONLINE)
        return online.distinct().prefetch_related("methods")

    def with_service_level(self, service_level: str):
        return self.filter(online_level__in=ONLINE_LEVELS_BY_SERVICE_LEVEL[ServiceLevel(service_level)])


class Procedure(models.Model):
    """Thủ tục hành chính: one administrative procedure as published in the national database."""

    code = models.CharField(_("code"), max_length=20, unique=True, validators=[procedure_code_validator])
    name = models.CharField(_("name"), max_length=1000)
    authority_level = models.CharField(_("level of authority"), max_length=16, choices=AuthorityLevel.choices)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="procedures"
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("implementing agencies"), related_name="procedures", blank=True
    )
    implementing_body = models.CharField(
        _("implementing body (as published)"),
        max_length=500,
        blank=True,
        help_text=_("The authority as the national database words it, e.g. 'UBND cấp xã'."),
    )
    applicant_types = models.JSONField(_("applicant types"), default=list, blank=True)
    requirements = models.TextField(_("requirements and conditions"), blank=True)
    result_type = models.CharField(_("result"), max_length=1000, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    legal_basis = models.ManyToManyField(
        LegalDocument, verbose_name=_("legal basis"), related_name="procedures", blank=True
    )
    # Derived from what the procedure really offers here (catalog.levels), stored so that filters, the API
    # and exports agree; recomputed by catalog.services.refresh_online_level whenever its inputs change.
    online_level = models.PositiveSmallIntegerField(
        _("online service level (1–4)"),
        choices=OnlineLevel.choices,
        default=OnlineLevel.LEVEL_1,
        editable=False,
        help_text=_("Derived from what the portal offers: online submission, online payment, forms."),
    )
    declared_online_level = models.PositiveSmallIntegerField(
        _("online service level declared in the national database"),
        choices=OnlineLevel.choices,
        null=True,
        blank=True,
    )
    fee_before_processing = models.BooleanField(
        _("fee paid before processing"),
        default=False,
        help_text=_("The fee is paid when the dossier is sent, before processing."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    cutoff_time = models.TimeField(
        _("cut-off time"),
        null=True,
        blank=True,
        help_text=_("Reception after this hour counts from the next working day."),
    )
    popularity = models.PositiveIntegerField(
        _("popularity"), default=0, help_text=_("How often the procedure is used; orders 'most used'.")
    )
    # Folded (ASCII, lower-case, space-padded) copies used by search; see refresh_search_text.
    search_name = models.CharField(max_length=1100, editable=False, default="")
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["is_active", "sector"]),
            models.Index(fields=["is_active", "authority_level"]),
            models.Index(fields=["-popularity"]),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("portal:procedure_detail", kwargs={"code": self.code})

    @property
    def service_level(self) -> str:
        return SERVICE_LEVEL_BY_ONLINE_LEVEL[OnlineLevel(self.online_level)]

    def get_service_level_display(self) -> str:
        return str(ServiceLevel(self.service_level).label)

    @property
    def accepts_online_submission(self) -> bool:
        """Whether the record offers online submission (nộp hồ sơ trực tuyến): the procedure is active, one
        of its methods is the online channel, and it is for applicants an online account can be.

        Judged from the methods, never from ``online_level``: the service level is derived from this.
        Reads ``methods.all()``, so a list prefetches them."""
        if not self.is_active:
            return False
        types = set(self.applicant_types or [])
        if types and not types & ONLINE_APPLICANT_TYPES:
            return False
        return any(method.channel == Channel.ONLINE for method in self.methods.all())

    @cached_property
    def processing_days(self) -> Decimal | None:
        """The shortest processing time over the methods, in working days (None when not published).

        A cached property so that a list can set it from one compact query (see ``selectors``).
        """
        return shortest_processing_days((m.processing_time, m.time_unit) for m in self.methods.all())

    def clean(self):
        unknown = [t for t in self.applicant_types or [] if t not in ApplicantType.values]
        if not isinstance(self.applicant_types, list) or unknown:
            raise ValidationError(
                {
                    "applicant_types": _("Unknown applicant type: %(types)s. Use: %(allowed)s.")
                    % {"types": ", ".join(map(str, unknown)), "allowed": ", ".join(ApplicantType.values)}
                }
            )

    # --- search index -------------------------------------------------------------------------------
    @staticmethod
    def fold_name(name: str) -> str:
        """Folded name padded with spaces; the customary 'Thủ tục' prefix is not part of what people type."""
        folded = fold(name)
        if folded.startswith("thu tuc "):
            folded = folded[len("thu tuc ") :]
        return f" {folded} "

    def build_search_text(self) -> str:
        parts = [self.code, self.name, self.result_type, self.requirements, self.implementing_body]
        if self.sector_id:
            parts.append(self.sector.name)
        if self.pk:
            parts.extend(self.agencies.values_list("name", flat=True))
            parts.extend(self.components.values_list("name", flat=True))
        # Each distinct word once: whole-word matching needs no more, and the scan stays short.
        return f" {' '.join(words(' '.join(p for p in parts if p)))} "

    def refresh_search_text(self, save: bool = False):
        self.search_name = self.fold_name(self.name)
        self.search_text = self.build_search_text()
        if save:
            type(self).objects.filter(pk=self.pk).update(
                search_name=self.search_name, search_text=self.search_text
            )

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        super().save(*args, **kwargs)


class ProcedureStep(models.Model):
    """Trình tự thực hiện: one step as the applicant experiences it."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="unique_step_order")]

    def __str__(self):
        return f"{self.order}. {self.title}"


class ProcedureMethod(models.Model):
    """Cách thức thực hiện: a channel (in person, online, post) with its own processing time."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="methods")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    processing_time = models.DecimalField(
        _("processing time"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    time_unit = models.CharField(
        _("time unit"), max_length=16, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAY
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("The processing time as the law words it.")
    )

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["procedure", "channel"]
        constraints = [models.UniqueConstraint(fields=["procedure", "channel"], name="unique_method_channel")]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.processing_time_display}"

    @property
    def processing_days(self) -> Decimal | None:
        return in_days(self.processing_time, self.time_unit)

    @property
    def processing_time_display(self) -> str:
        if self.processing_time is None:
            return self.description or "—"
        amount = self.processing_time.normalize()
        return f"{amount:f} {self.get_time_unit_display()}"

    @property
    def fees(self) -> list["Fee"]:
        return [f for f in self.procedure.fees.all() if f.channel in ("", self.channel)]


class Fee(models.Model):
    """Phí / lệ phí: a fee or charge; ``channel`` empty means it applies to every method."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="fees")
    channel = models.CharField(
        _("channel"),
        max_length=16,
        choices=Channel.choices,
        blank=True,
        help_text=_("Leave empty when the fee is the same for every channel."),
    )
    name = models.CharField(_("name"), max_length=255)
    amount = models.PositiveBigIntegerField(
        _("amount (VND)"), null=True, blank=True, help_text=_("Empty when it varies; explain below.")
    )
    description = models.TextField(_("description"), blank=True)
    unit_label = models.CharField(
        _("unit"),
        max_length=40,
        blank=True,
        help_text=_("For a fee per unit, what one unit is, e.g. 'bản sao'; empty for a fee per dossier."),
    )
    per_unit = models.CharField(
        _("quantity field"),
        max_length=100,
        blank=True,
        help_text=_(
            "The name of the online form field that gives the number of units; when empty, the "
            "applicant enters it on the review page."
        ),
    )
    exemptions = models.JSONField(
        _("exemptions"),
        default=list,
        blank=True,
        help_text=_(
            'Rules for groups the applicant declares, e.g. [{"group": "poor_household", "waive": "all"}, '
            '{"group": "disability", "percent": 50}].'
        ),
    )

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["procedure", "channel", "id"]

    def __str__(self):
        return f"{self.name}: {self.amount_display}"

    @property
    def is_per_unit(self) -> bool:
        return bool(self.unit_label)

    @property
    def wording(self) -> list[str]:
        """How it is counted and who is exempt, in the active language (``fees.fee_wording``)."""
        from .fees import fee_wording

        return fee_wording(self)

    @property
    def quantity_key(self) -> str:
        """Where the number of units is found: the form field, else the fee's own key on the review page."""
        return self.per_unit or f"fee-{self.pk}"

    def clean(self):
        from .fees import check_exemptions

        if self.per_unit and not self.unit_label:
            raise ValidationError({"unit_label": _("Name the unit the quantity field counts.")})
        try:
            self.exemptions = check_exemptions(self.exemptions)
        except ValidationError as exc:
            raise ValidationError({"exemptions": exc.messages}) from None

    @property
    def amount_display(self) -> str:
        if self.amount is None:
            return self.description or "—"
        if self.amount == 0:
            return str(_("Free of charge"))
        return format_vnd(self.amount)


def form_template_path(instance, filename):
    # The stored name comes from the procedure code, not from whoever uploaded it.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"catalog/forms/{instance.procedure.code}/{instance.order:02d}.{suffix}"


class PaperKind(models.TextChoices):
    """Loại giấy tờ: the common papers a dossier component asks for, so that one stored in an applicant's
    document store (kho dữ liệu) can be offered again for a component of the same kind. Blank: unknown."""

    ID_CARD = "id_card", _("Identity card (căn cước, CCCD)")
    PASSPORT = "passport", _("Passport")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    MARRIAGE_CERTIFICATE = "marriage_certificate", _("Marriage certificate")
    MARITAL_STATUS = "marital_status", _("Marital status confirmation")
    DEATH_CERTIFICATE = "death_certificate", _("Death certificate")
    RESIDENCE = "residence", _("Residence confirmation")
    HOUSEHOLD_BUSINESS = "household_business", _("Household business registration certificate")
    LAND_USE_RIGHT = "land_use_right", _("Land use right certificate")
    JUDICIAL_RECORD = "judicial_record", _("Judicial record")
    HEALTH_CERTIFICATE = "health_certificate", _("Health certificate")
    DISABILITY_CERTIFICATE = "disability_certificate", _("Disability certificate")
    DIPLOMA = "diploma", _("Diploma")
    PHOTO_4X6 = "photo_4x6", _("Photo 4×6 cm")
    AUTHORISATION = "authorisation", _("Letter of authorisation")
    OTHER = "other", _("Other paper")


class DossierComponent(models.Model):
    """Thành phần hồ sơ: one paper of the dossier, with copies by kind and an optional form template."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=1000)
    originals = models.PositiveSmallIntegerField(_("originals"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("certified copies"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("photocopies"), default=0)
    is_required = models.BooleanField(_("required"), default=True)
    form_template = models.FileField(_("form template"), upload_to=form_template_path, blank=True)
    form_name = models.CharField(_("form name"), max_length=255, blank=True, help_text=_("e.g. Mẫu CT01"))
    note = models.TextField(_("note"), blank=True)
    paper_kind = models.CharField(
        _("kind of paper"),
        max_length=32,
        choices=PaperKind.choices,
        blank=True,
        help_text=_("A paper of this kind kept in the applicant's document store can be reused here."),
    )

    class Meta:
        verbose_name = _("dossier component")
        verbose_name_plural = _("dossier components")
        ordering = ["procedure", "order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "order"], name="unique_component_order")]

    def __str__(self):
        return self.name


class CatalogueRevision(models.Model):
    """One row whose ``token`` changes with every write to the catalogue.

    Cached search results are keyed by it, so every process (gunicorn workers, Celery) sees a change at
    once whatever the cache backend. A random token rather than a counter: after a rollback or a restore
    the old token comes back together with the data it described, and a new token is never reused.
    """

    token = models.CharField(max_length=32, default="initial")
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("catalogue revision")

    def __str__(self):
        return self.token
