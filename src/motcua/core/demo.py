"""Whether demonstration features are allowed: the demo accounts with their published password, the demo
certificate authority and the certificates it makes on the fly.

They are allowed in development (``DEBUG``) and on the demo site, which ``make run`` serves the way
production does (``DEBUG=0``) and names explicitly with ``MOTCUA_DEMO=1``; never in production.
"""

from django.conf import settings


def demo_allowed() -> bool:
    """True in development or on the demo site (``MOTCUA_DEMO``), False in production."""
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_DEMO", False))
