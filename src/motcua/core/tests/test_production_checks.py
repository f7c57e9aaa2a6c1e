"""The start-up check of production refuses the security warnings that matter (motcua.core.checks), and
the settings' production defaults satisfy it; plain HTTP only where HTTPS=0 says so (the demo)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from motcua.core.checks import production_security

ROOT = Path(__file__).resolve().parents[4]
STRONG_KEY = "k3Y-for-tests-only_" + "0123456789abcdefghijklmnopqrstuvwxyz"


def our_errors():
    return sorted(m.id for m in production_security())


@pytest.fixture
def production(settings):
    """What the settings give with DEBUG=0 and HTTPS (the default)."""
    settings.DEBUG = False
    settings.HTTPS = True
    settings.SECRET_KEY = STRONG_KEY
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def test_production_with_https_passes(production):
    assert our_errors() == []


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("SECURE_HSTS_SECONDS", "motcua.E102"),
        ("SECURE_SSL_REDIRECT", "motcua.E103"),
        ("SESSION_COOKIE_SECURE", "motcua.E104"),
        ("CSRF_COOKIE_SECURE", "motcua.E105"),
    ],
)
def test_each_missing_https_protection_is_refused(production, name, error):
    setattr(production, name, 0 if name == "SECURE_HSTS_SECONDS" else False)
    assert our_errors() == [error]


def test_plain_http_must_be_said_and_then_is_accepted(production):
    production.HTTPS = False  # HTTPS=0: the demo of `make run`, a benchmark on loopback
    production.SECURE_HSTS_SECONDS = 0
    production.SECURE_SSL_REDIRECT = production.SESSION_COOKIE_SECURE = production.CSRF_COOKIE_SECURE = False
    assert our_errors() == []


@pytest.mark.parametrize(
    "key",
    [
        "short-key",
        "a" * 60,
        "django-insecure-" + "x1y2z3" * 10,
        "motcua-insecure-development-key-do-not-use-in-production",
    ],
)
def test_a_weak_secret_key_is_refused_even_over_plain_http(production, key):
    production.HTTPS = False
    production.SECRET_KEY = key
    assert our_errors() == ["motcua.E101"]


def test_development_is_not_checked(production):
    production.DEBUG = True
    production.SECURE_HSTS_SECONDS = 0
    production.SECRET_KEY = "short"
    assert our_errors() == []


# --- the settings module, as production and the demo start it ------------------------------------------


def check_deploy(tmp_path, **env):
    environment = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT / "src"),
        "DEBUG": "0",
        **env,
    }
    for name in ("SECRET_KEY", "HTTPS", "MOTCUA_DEMO", "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT"):
        if name not in env:
            environment.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_production_defaults_pass_and_a_weakened_one_is_refused(tmp_path):
    """Before, HSTS was off and plain HTTP not redirected in production: warnings that nothing refused."""
    done = check_deploy(tmp_path, SECRET_KEY=STRONG_KEY)
    assert done.returncode == 0, done.stderr[-2000:]
    done = check_deploy(tmp_path, SECRET_KEY=STRONG_KEY, SECURE_HSTS_SECONDS="0")
    assert done.returncode != 0
    assert "motcua.E102" in done.stderr


def test_the_demo_runs_over_plain_http_with_a_secret_key_of_its_own(tmp_path):
    done = check_deploy(tmp_path, MOTCUA_DEMO="1", HTTPS="0")
    assert done.returncode == 0, done.stderr[-2000:]
    key_file = tmp_path / "secret_key"
    key = key_file.read_text()
    assert len(key) >= 50
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert check_deploy(tmp_path, MOTCUA_DEMO="1", HTTPS="0").returncode == 0
    assert key_file.read_text() == key  # kept: sessions survive a restart of the demo
