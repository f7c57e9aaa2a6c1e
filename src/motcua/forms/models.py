"""A procedure's online form (biểu mẫu điện tử, tờ khai): a versioned JSON Schema plus UI hints.

A published version never changes again: dossiers keep the version they were received under, forever. To
change a form, copy it to a new draft version and publish that; publishing retires the previous version.
"""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class FormKind(models.TextChoices):
    """A form written for its procedure, or the generic one built from the procedure's record."""

    BESPOKE = "bespoke", _("Written for the procedure")
    GENERIC = "generic", _("Generic (built from the dossier components)")


class FormLocked(Exception):
    """A published or retired form's definition was about to change, or the form to be deleted."""


# What a published version may never change.
DEFINITION_FIELDS = ("procedure_id", "version", "schema", "ui", "kind", "fingerprint")


class OnlineForm(models.Model):
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name=_("procedure"),
        # Dossiers will point at forms forever: a procedure with forms is retired, never deleted.
        on_delete=models.PROTECT,
        related_name="online_forms",
    )
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    schema = models.JSONField(
        _("JSON Schema"), default=dict, help_text=_("The data the form collects (JSON Schema 2020-12).")
    )
    ui = models.JSONField(
        _("UI hints"),
        default=dict,
        blank=True,
        help_text=_("Field order, labels in Vietnamese and English, help texts, widgets and steps."),
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=FormKind.choices, default=FormKind.BESPOKE, db_index=True
    )
    fingerprint = models.CharField(
        _("fingerprint"),
        max_length=64,
        blank=True,
        help_text=_(
            "Of a generic form: a digest of what it was built from (the procedure's dossier components), "
            "so that a change of them gets a new version."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=FormStatus.choices, default=FormStatus.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("online form")
        verbose_name_plural = _("online forms")
        ordering = ["procedure__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "version"], name="forms_unique_version"),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(status="published"),
                name="forms_one_published_per_procedure",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="forms_version_positive"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="forms_published_at_when_published",
            ),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.version} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status == FormStatus.DRAFT

    def _stored(self):
        if self.pk is None:
            return None
        return type(self).objects.filter(pk=self.pk).values("status", *DEFINITION_FIELDS).first()

    def save(self, *args, **kwargs):
        stored = self._stored()
        if stored and stored["status"] != FormStatus.DRAFT:
            changed = [name for name in DEFINITION_FIELDS if stored[name] != getattr(self, name)]
            if changed:
                raise FormLocked(f"Form {self.pk} is {stored['status']}: {', '.join(changed)} cannot change.")
            if self.status == FormStatus.DRAFT:
                raise FormLocked(f"Form {self.pk} is {stored['status']} and cannot become a draft again.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        stored = self._stored()
        if stored and stored["status"] != FormStatus.DRAFT:
            raise FormLocked(
                f"Form {self.pk} has been published and is kept for the dossiers received under it."
            )
        return super().delete(*args, **kwargs)
