from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "motcua.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self):
        # Receivers: admin LogEntry -> audit entry, and the client address of the request being served.
        from . import signals  # noqa: F401
