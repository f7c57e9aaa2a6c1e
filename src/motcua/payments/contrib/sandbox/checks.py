"""The start-up check of production: the sandbox gateway must not be served there.

Anyone can "pay" on the sandbox's page, and its secret is published; a production site that served it, with
a gateway account pointing at it, would accept payments no money stands behind.
"""

from django.conf import settings
from django.core.checks import Error, Tags


def sandbox_off_in_production(app_configs=None, **kwargs):
    if settings.DEBUG or getattr(settings, "MOTCUA_DEMO", False) or not settings.MOTCUA_PAYMENT_SANDBOX:
        return []
    return [
        Error(
            "The sandbox payment gateway is on in production (MOTCUA_PAYMENT_SANDBOX).",
            hint="Unset MOTCUA_PAYMENT_SANDBOX; the sandbox is for development, tests and the demo site.",
            id="payments_sandbox.E001",
        )
    ]


TAGS = (Tags.security,)
