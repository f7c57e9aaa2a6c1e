from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Motcua core"

    def ready(self):
        from . import celery_signals, checks  # noqa: F401  (checks: registers the start-up check of production)
        from .metrics import allowed_networks
        from .net import trusted_proxies

        # A malformed MOTCUA_TRUSTED_PROXIES or MOTCUA_METRICS_ALLOWED_IPS stops the process at start-up, not
        # at the first request.
        trusted_proxies()
        allowed_networks()
        celery_signals.connect()
