"""The start-up check of production: the security warnings of Django's ``check --deploy`` that matter are
errors here, so that gunicorn (``on_starting`` in deploy/gunicorn.conf.py) and ``manage.py check --deploy``
refuse to serve without what they ask.

In production (DEBUG off) that is a strong ``SECRET_KEY``, always, and HTTPS: HSTS, the redirect from plain
HTTP and cookies sent over HTTPS only, unless ``HTTPS=0`` says that the site is served over plain HTTP on
purpose (the demo of ``make run``, a benchmark on loopback).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

# (our id, the setting that must be on, Django's warning it stands for, what is wrong)
HTTPS_REQUIREMENTS = (
    ("motcua.E102", "SECURE_HSTS_SECONDS", "security.W004", "HSTS is off (SECURE_HSTS_SECONDS is 0)"),
    ("motcua.E103", "SECURE_SSL_REDIRECT", "security.W008", "plain HTTP is not redirected to HTTPS"),
    ("motcua.E104", "SESSION_COOKIE_SECURE", "security.W012", "the session cookie may travel over HTTP"),
    ("motcua.E105", "CSRF_COOKIE_SECURE", "security.W016", "the CSRF cookie may travel over HTTP"),
)
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def weak_secret_key(key: str) -> bool:
    """Django's rule (security.W009: short, repetitive or ``django-insecure-``), and any key that says it
    is insecure (the development key of the embedded default)."""
    return (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or "insecure" in key.lower()
    )


@register(Tags.security, deploy=True)
def production_security(app_configs=None, **kwargs):
    if settings.DEBUG:
        return []  # development: Django's own security.W018 says DEBUG must be off
    errors = []
    if weak_secret_key(str(settings.SECRET_KEY)):
        errors.append(
            Error(
                "SECRET_KEY is weak (security.W009): shorter than 50 characters, repetitive, or a "
                "development key.",
                hint="Set SECRET_KEY to 50 or more random characters, e.g. from "
                "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`.",
                id="motcua.E101",
            )
        )
    if getattr(settings, "HTTPS", True):
        for check_id, name, django_id, problem in HTTPS_REQUIREMENTS:
            if not getattr(settings, name, None):
                errors.append(
                    Error(
                        f"Production must be served over HTTPS, but {problem} ({django_id}).",
                        hint=f"Leave {name} to its production default, or set HTTPS=0 if this site is "
                        "served over plain HTTP on purpose (a demonstration, never citizens' data).",
                        id=check_id,
                    )
                )
    return errors
