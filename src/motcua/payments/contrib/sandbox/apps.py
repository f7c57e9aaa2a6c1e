from django.apps import AppConfig
from django.core.checks import register
from django.utils.translation import gettext_lazy as _


class SandboxGatewayConfig(AppConfig):
    name = "motcua.payments.contrib.sandbox"
    label = "payments_sandbox"
    verbose_name = _("Sandbox payment gateway")

    def ready(self):
        from .checks import TAGS, sandbox_off_in_production

        register(sandbox_off_in_production, *TAGS, deploy=True)
