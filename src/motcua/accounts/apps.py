from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "motcua.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        # Signal receivers (lockout log), the deploy check and the OpenAPI description of Bearer tokens.
        from . import checks, schema, signals  # noqa: F401
