"""``make run`` serves where it says, the way production runs, and the portal's links (receipts, results,
e-mails) point there."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def printed_commands(**env) -> list[str]:
    """The commands ``make run`` would run (``make -n``: nothing is run)."""
    environment = {
        k: v for k, v in os.environ.items() if k not in {"MOTCUA_PUBLIC_URL", "MOTCUA_CACHE_DIR"}
    } | env
    return subprocess.run(  # noqa: S603  (the make found on PATH, our own Makefile)
        [MAKE, "-n", "-s", "run"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout.splitlines()


def run_command(**env) -> str:
    """The command that serves the portal."""
    return next(line for line in printed_commands(**env) if "bin/gunicorn" in line)


def variables(command: str) -> dict:
    words = command.split()
    return dict(word.split("=", 1) for word in words[: next(i for i, w in enumerate(words) if "=" not in w)])


def test_the_public_url_follows_the_port():
    """Before, ``PORT=8080 make run`` printed receipts and e-mails pointing to port 8000."""
    assert run_command(PORT="8080").startswith("MOTCUA_PUBLIC_URL=http://127.0.0.1:8080 ")


def test_a_public_url_that_is_set_is_kept():
    assert run_command(MOTCUA_PUBLIC_URL="https://dvc.example.vn").startswith(
        "MOTCUA_PUBLIC_URL=https://dvc.example.vn "
    )


def test_the_demo_runs_as_production_does():
    """Before, ``make run`` was Django's development server with DEBUG on: a 404 listed every URL pattern
    and static files went out uncompressed, never cached."""
    command = run_command(PORT="18080")
    env = variables(command)
    assert "runserver" not in command
    assert " -c deploy/gunicorn.conf.py " in command  # the production configuration and its start-up check
    assert env["DEBUG"] == "0"
    assert env["GUNICORN_BIND"] == "127.0.0.1:18080"
    assert env["MOTCUA_DEMO"] == "1"  # the demo accounts are allowed because it is the demo, and only so
    assert env["HTTPS"] == "0"  # plain HTTP on this machine, said explicitly
    assert int(env["GUNICORN_WORKERS"]) * int(env["GUNICORN_THREADS"]) >= 4
    assert env["MOTCUA_CACHE_DIR"]  # one cache for the workers (rate limits, cached pages)


def test_static_files_are_collected_for_the_same_settings_first():
    commands = printed_commands()
    collect = next(i for i, line in enumerate(commands) if "manage.py collectstatic" in line)
    serve = next(i for i, line in enumerate(commands) if "bin/gunicorn" in line)
    assert collect < serve
    assert {"DEBUG": "0", "MOTCUA_DEMO": "1"}.items() <= variables(commands[collect]).items()


STATIC_SCRIPT = """
import django
from django.core.management import call_command
from django.test import Client
from django.templatetags.static import static

django.setup()
# The portal's files only (the admin's and the API's would take long to compress, and are alike).
ignored = ["-i", "admin", "-i", "rest_framework", "-i", "drf_spectacular*"]
call_command("collectstatic", "--noinput", *ignored, verbosity=0)
url = static("vendor/bootstrap/bootstrap.min.css")
client = Client()
for encoding in ("br", "gzip"):
    response = client.get(url, HTTP_ACCEPT_ENCODING=encoding)
    size = sum(len(chunk) for chunk in response.streaming_content)
    print(url, response.status_code, response.get("Content-Encoding"), response["Cache-Control"], size)
"""


def test_static_files_go_out_compressed_and_cached_for_good(tmp_path):
    """What ``make run`` serves: before, bootstrap.min.css went out whole (232 KB) with max-age=0."""
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "SECRET_KEY", "STATIC_ROOT"}},
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DEBUG": "0",
        "MOTCUA_DEMO": "1",
        "HTTPS": "0",
    }
    done = subprocess.run(  # noqa: S603  (this interpreter, our own script)
        [sys.executable, "-c", STATIC_SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line.split() for line in done.stdout.strip().splitlines()]
    for (url, status, encoding, *cache_control, size), wanted in zip(lines, ("br", "gzip"), strict=True):
        assert status == "200" and encoding == wanted
        assert url != "/static/vendor/bootstrap/bootstrap.min.css"  # a hashed name: it can be kept for good
        assert "immutable" in " ".join(cache_control)
        assert int(" ".join(cache_control).split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
        assert int(size) < 40_000
