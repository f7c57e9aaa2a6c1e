from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "motcua.core"
    label = "core"
    verbose_name = "Motcua core"

    def ready(self):
        from . import checks  # noqa: F401  (registers the start-up check of production)
        from .net import trusted_proxies

        # A malformed MOTCUA_TRUSTED_PROXIES stops the process at start-up, not at the first request.
        trusted_proxies()
