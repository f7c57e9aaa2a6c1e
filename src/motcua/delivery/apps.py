from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    name = "motcua.delivery"
    label = "delivery"
    verbose_name = _("Delivery of results by post")

    def ready(self):
        # The postal services register themselves; the receiver books a parcel when a result is ready.
        from . import receivers  # noqa: F401
        from .contrib.manual import plugin as manual  # noqa: F401
        from .contrib.sandbox import plugin as sandbox  # noqa: F401
