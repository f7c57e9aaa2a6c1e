from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "motcua.catalog"
    label = "catalog"
    verbose_name = _("Procedure catalogue")

    def ready(self):
        from . import signals

        signals.connect()
        signals.connect_levels()
