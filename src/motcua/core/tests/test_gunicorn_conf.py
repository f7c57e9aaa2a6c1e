"""deploy/gunicorn.conf.py: the master runs Django's checks before forking its workers, and must not hand
them its database connection (several processes on one socket read each other's answers or wait forever)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[4]

SCRIPT = """
import runpy
import django
from django.core.management import call_command
from django.db import connection

django.setup()
call_command("migrate", verbosity=0)
connection.ensure_connection()
conf = runpy.run_path("deploy/gunicorn.conf.py")
try:
    conf["on_starting"](None)
except SystemExit as refused:  # a check error here does not matter: the connection must be closed either way
    print(refused)
print("connection open after the checks" if connection.connection is not None else "closed")
"""


def test_the_master_closes_its_database_connection_before_forking(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.settings",
        "MOTCUA_VAR_DIR": str(tmp_path),
        "DEBUG": "1",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("DATABASE_URL", None)  # a SQLite file of its own, whatever the suite runs on
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; a deployment check refuses it
    done = subprocess.run(  # noqa: S603  (this interpreter, our own script)
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "closed"
