from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DossiersConfig(AppConfig):
    name = "motcua.dossiers"
    label = "dossiers"
    verbose_name = _("Dossiers")

    def ready(self):
        # The papers e-mails carry are made by name when the e-mail is sent: register their makers.
        from .papers import mail  # noqa: F401
