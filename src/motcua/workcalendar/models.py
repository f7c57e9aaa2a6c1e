"""Exceptions to the national calendar that an administrator records (ngày nghỉ, ngày làm bù)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .national import FIRST_YEAR, LAST_YEAR, is_national_working_day


class ExceptionKind(models.TextChoices):
    DAY_OFF = "day_off", _("extra day off")
    WORKING_DAY = "working_day", _("working day")


class CalendarException(models.Model):
    """One date that is off although the national calendar says it is worked, or the reverse.

    ``day_off``: a swap the government announces, a local holiday. ``working_day``: a make-up working
    Saturday, or a holiday the province works. An exception always wins over the national calendar.
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=ExceptionKind.choices)
    reason = models.CharField(
        _("reason"), max_length=255, help_text=_("e.g. the announcement that decides it.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}"

    def clean(self):
        if self.date is None or self.kind not in ExceptionKind.values:
            return
        if not FIRST_YEAR <= self.date.year <= LAST_YEAR:
            raise ValidationError(
                {
                    "date": _("The working calendar covers the years %(first)s to %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR}
                }
            )
        # An exception that changes nothing is most likely a mistyped date.
        worked = is_national_working_day(self.date)
        if self.kind == ExceptionKind.WORKING_DAY and worked:
            raise ValidationError({"date": _("This date is already a working day.")})
        if self.kind == ExceptionKind.DAY_OFF and not worked:
            raise ValidationError({"date": _("This date is already a day off.")})
