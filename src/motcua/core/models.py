"""The core app's one table: tasks the broker could not take, kept until it can (``core.tasks``)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PendingDispatch(models.Model):
    """A task queued while the broker (Redis) was down: ``tasks.redispatch`` hands it over once it is back."""

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    countdown = models.FloatField(_("countdown (seconds)"), null=True, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("task waiting for the broker")
        verbose_name_plural = _("tasks waiting for the broker")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.task} {self.args}"
