"""``make run`` serves where it says, and the portal's links (receipts, results, e-mails) point there."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]

MAKE = shutil.which("make")
pytestmark = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def run_command(**env) -> str:
    """The command ``make run`` would start (``make -n``: nothing is run)."""
    environment = {k: v for k, v in os.environ.items() if k != "MOTCUA_PUBLIC_URL"} | env
    printed = subprocess.run(  # noqa: S603  (the make found on PATH, our own Makefile)
        [MAKE, "-n", "-s", "run"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    ).stdout
    return next(line for line in printed.splitlines() if "runserver" in line)


def test_the_public_url_follows_the_port():
    """Before, ``PORT=8080 make run`` printed receipts and e-mails pointing to port 8000."""
    assert run_command(PORT="8080").startswith("MOTCUA_PUBLIC_URL=http://127.0.0.1:8080 ")


def test_a_public_url_that_is_set_is_kept():
    assert run_command(MOTCUA_PUBLIC_URL="https://dvc.example.vn").startswith(
        "MOTCUA_PUBLIC_URL=https://dvc.example.vn "
    )
