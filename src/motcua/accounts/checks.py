"""``motcua.E001``: production (DEBUG off, not the demo site ``MOTCUA_DEMO``) refuses to run with the demo
accounts and their published password. Reported by every management command's start-up checks (migrate…),
``check --deploy`` and gunicorn's start (deploy/gunicorn.conf.py)."""

from django.core.checks import Error, register
from django.db import DatabaseError

from motcua.core.demo import demo_allowed


@register("security", deploy=False)
def demo_accounts_in_production(app_configs=None, databases=None, **kwargs):
    if demo_allowed():
        return []
    from .selectors import demo_accounts

    try:
        names = list(demo_accounts().order_by("username").values_list("username", flat=True)[:5])
    except DatabaseError:
        return []  # no table yet (before the first migrate): nothing to refuse
    if not names:
        return []
    return [
        Error(
            "Demo accounts with the published password exist in production (DEBUG off, MOTCUA_DEMO unset): "
            f"{', '.join(names)}{'…' if len(names) == 5 else ''}.",
            hint="Delete the demo accounts (Django admin, users filtered by 'demo account') before "
            "running with DEBUG off.",
            id="motcua.E001",
        )
    ]
