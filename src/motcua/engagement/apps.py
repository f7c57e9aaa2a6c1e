from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "motcua.engagement"
    label = "engagement"
    verbose_name = _("Engagement with citizens")

    def ready(self):
        # The invitation to rate a dossier once its result has been handed over.
        from . import loadtest, receivers  # noqa: F401

        loadtest.connect()  # ratings of the dossiers ``seed_load`` writes
