"""Demo accounts for a demonstration site (``manage.py load_demo``); never for production."""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "Demo@12345"  # noqa: S105 - documented demo password, only in demo data


def ensure_demo_admin() -> bool:
    """Create the ``admin`` system administrator if no account has that name; True when created.

    An existing ``admin`` (whose password someone may have changed) is left exactly as it is.
    """
    User = get_user_model()
    if User.objects.filter(username="admin").exists():
        return False
    User.objects.create_superuser(username="admin", email="admin@haidong.gov.vn", password=DEMO_PASSWORD)
    return True
