"""Real processes for the fault tests: redis-server, a Celery worker, gunicorn, a PostgreSQL cluster of the
test's own. Each listens on 127.0.0.1, dies with the test process (PR_SET_PDEATHSIG) and is stopped by the
fixture or test that started it.

A child process sees the test's own database through a settings module written for it
(``child_settings``): the test database's name (a file on SQLite, ``test_…`` on PostgreSQL) and whatever
the test overrides, on top of ``motcua.settings``.
"""

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

PR_SET_PDEATHSIG = 1
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))), None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def needed(path, message: str):
    """``path`` if it is there; else the test is skipped (failed where MOTCUA_E2E_REQUIRED says it runs)."""
    if path is None:
        if os.environ.get("MOTCUA_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def _die_with_parent():
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def start(argv: list, *, env: dict | None = None, log: Path | None = None, **options) -> subprocess.Popen:
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 (the child keeps it)
    return subprocess.Popen(  # noqa: S603
        [str(a) for a in argv], env=env, stdout=out, stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent, **options,
    )  # fmt: skip


def stop(process: subprocess.Popen, sig=signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def wait_until(check, seconds: float = 20, what: str = "the condition") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def wait_for_port(port: int, process: subprocess.Popen | None = None, seconds: float = 30, log=None) -> None:
    def up():
        if process is not None and process.poll() is not None:
            text = Path(log).read_text(errors="replace")[-3000:] if log else ""
            raise AssertionError(f"{process.args[0]} ended with {process.returncode}\n{text}")
        return port_open(port)

    wait_until(up, seconds, f"port {port} opening")


class Redis:
    """``redis-server`` on a port of its own, without persistence; ``stop`` and ``start`` again at will."""

    binary = shutil.which("redis-server")

    def __init__(self, folder: Path):
        needed(self.binary, "redis-server not found: `apt-get install redis-server` runs this test")
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "Redis":
        argv = [self.binary, "--port", self.port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.process = start([*argv, "--dir", self.folder])
        wait_for_port(self.port, self.process)
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


@contextlib.contextmanager
def broker(url: str):
    """Tasks queued by the test process go to the broker at ``url`` (production's path) meanwhile."""
    from django.conf import settings

    from motcua.celery import app

    def fresh_connections():
        # The pools keep connections to whatever broker an earlier test used: the app's, and kombu's own
        # registries of connections and producers, shared by every app of the process.
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
            app._pool = None
        app.amqp._producer_pool = None
        pools.reset()

    previous = (settings.MOTCUA_TASKS, app.conf.broker_url)
    settings.MOTCUA_TASKS, app.conf.broker_url = "celery", url
    fresh_connections()
    try:
        yield app
    finally:
        settings.MOTCUA_TASKS, app.conf.broker_url = previous
        fresh_connections()


def child_settings(folder: Path, *, test_database: bool = True, **overrides) -> dict:
    """The environment of a child process that runs on the test's database (or, without
    ``test_database``, the one its environment names) with ``overrides`` as settings (values written with
    repr); pass it as ``env``."""
    lines = ["from motcua.settings import *  # noqa: F403"]
    if test_database:
        lines.append(f"DATABASES['default']['NAME'] = {connection.settings_dict['NAME']!r}")
    lines += [f"{name} = {value!r}" for name, value in overrides.items()]
    (folder / "fault_settings.py").write_text("\n".join(lines) + "\n")
    source = Path(__file__).resolve().parents[3]
    # The browser tests of the same process set DJANGO_ALLOW_ASYNC_UNSAFE; gunicorn's start-up checks
    # (deploy/gunicorn.conf.py) refuse to serve with it, as they should in production.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "fault_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(source)]),
        "MOTCUA_VAR_DIR": str(folder / "var"),
    }


def venv_bin(name: str) -> str:
    return str(Path(sys.executable).parent / name)


def run(argv: list, *, env: dict, seconds: float = 120) -> None:
    """Run a command to its end; its output is shown when it fails."""
    done = subprocess.run([str(a) for a in argv], env=env, capture_output=True, text=True, timeout=seconds)  # noqa: S603
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def celery_worker(env: dict, log: Path) -> subprocess.Popen:
    """One Celery worker (one process: the solo pool) on the ``motcua`` queue; stop it with ``stop``."""
    argv = [venv_bin("celery"), "-A", "motcua", "worker", "-Q", "motcua", "--pool", "solo"]
    argv += ["--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "info"]
    return start(argv, env=env, log=log)


def gunicorn(
    env: dict, port: int, log: Path, *, workers: int = 1, production: bool = False
) -> subprocess.Popen:
    """The WSGI application under gunicorn, as production serves it (without its start-up checks); with
    ``production``, under deploy/gunicorn.conf.py itself (its start-up checks, timeouts and logs), one thread
    per worker: a worker serves one request at a time."""
    argv = [venv_bin("gunicorn"), "motcua.wsgi", "-b", f"127.0.0.1:{port}", "-w", workers]
    if production:
        argv += ["-c", Path(__file__).resolve().parents[4] / "deploy" / "gunicorn.conf.py", "--threads", 1]
    else:
        argv += ["--timeout", "30"]
    process = start([*argv, "--graceful-timeout", "2"], env=env, log=log)
    wait_for_port(port, process, log=log)
    return process


def gunicorn_workers(master: subprocess.Popen) -> list[int]:
    """The process ids of the workers of the gunicorn ``master`` (Linux: its children in /proc)."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


class Postgres:
    """A throwaway PostgreSQL cluster the test owns (``stop`` and ``start`` it to play an outage; ``remove``
    it at the end). Its folder is a fresh one of /tmp: the server's user must reach it."""

    def __init__(self):
        initdb = needed(PG_BIN, "PostgreSQL binaries not found: `apt-get install postgresql` runs this test")
        folder = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
        self.bin, self.folder, self.port = initdb.parent, folder, free_port()
        self.data = folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/motcua"
        self._as_root = os.geteuid() == 0
        if self._as_root:
            shutil.chown(folder, "postgres")
        self._run(
            "initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"
        )

    def _run(self, tool: str, *args) -> None:
        argv = [str(self.bin / tool), *map(str, args)]
        if self._as_root:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(argv, check=True, capture_output=True, timeout=60)  # noqa: S603

    def start(self) -> "Postgres":
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", self.data, "-l", self.folder / "server.log", "-o", options, "-w", "start")
        return self

    def stop(self) -> None:
        self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self._run("pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    def createdb(self, name: str = "motcua") -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", name)
