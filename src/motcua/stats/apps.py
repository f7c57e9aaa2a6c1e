from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "motcua.stats"
    label = "stats"
    verbose_name = _("Statistics and service indicators")

    def ready(self):
        from . import listeners, loadtest, metrics

        listeners.connect()
        loadtest.connect()  # the facts rebuilt after ``seed_load``
        metrics.connect()  # dossiers received and finished, at /metrics
