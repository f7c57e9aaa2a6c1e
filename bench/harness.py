"""What the benchmarks share: loopback ports, child processes that die with the benchmark, gunicorn with the
production configuration, one HTTP request per connection, client threads, percentiles."""

import contextlib
import ctypes
import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def die_with_parent():
    """Children get SIGTERM if this process dies without its clean-up (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Processes:
    """Everything started here, stopped in reverse order at the end (also on Ctrl-C or failure)."""

    def __init__(self):
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(argv, preexec_fn=die_with_parent, start_new_session=True, **kwargs)
        self.running.append((name, process))
        return process

    def stop(self, process: subprocess.Popen, timeout: float = 20) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        self.running = [(n, p) for n, p in self.running if p is not process]

    def stop_all(self) -> None:
        for _name, process in reversed(list(self.running)):
            self.stop(process)


def gunicorn_argv(port: int, workers: int, threads: int, access_log: Path) -> list[str]:
    """gunicorn as in production: deploy/gunicorn.conf.py, whose on_starting runs Django's checks (the demo
    accounts' motcua.E001 included); no worker recycling in the middle of a measurement; an access log."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--max-requests", "0",
        "--access-logfile", str(access_log),
        "--log-level", "warning",
        "motcua.wsgi:application",
    ]  # fmt: skip


def wait_until_healthy(server: subprocess.Popen, port: int, seconds: float = 60) -> None:
    """Until ``/healthz`` answers 200; a server that stops or stays silent ends the benchmark."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start (exit code {server.returncode})")
        if raw_request(port, "GET", "/healthz")[0] == 200:
            return
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start within {seconds:.0f} s")


def raw_request(port, method, path, body=None, headers=None, language="vi"):
    """One request on a new connection (gunicorn's sync workers close it): status (0 when the connection
    failed), seconds, body bytes, response headers and the response."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request(method, path, body=body, headers={"Accept-Language": language, **(headers or {})})
        response = connection.getresponse()
        raw = response.read()
        return response.status, time.perf_counter() - started, raw, response.getheaders()
    except OSError as exc:
        return 0, time.perf_counter() - started, repr(exc).encode(), []
    finally:
        connection.close()


def run_threads(concurrency: int, worker) -> float:
    """Run ``worker`` in ``concurrency`` client threads at once; the wall time until the last one ends."""
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def production_environment(tmp: Path) -> dict:
    """The environment of a gunicorn started here: production settings (DEBUG=0) on loopback, every folder
    in ``tmp``, e-mail to files there, no server of this machine's own configuration (Redis, SMTP, S3)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-" + "x" * 20,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "HTTPS": "0",
            "MOTCUA_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "PRIVATE_MEDIA_ROOT": str(tmp / "private"),
            "STATIC_ROOT": str(tmp / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp / "outbox"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    # DJANGO_ALLOW_ASYNC_UNSAFE: set by the browser tests of a test process that starts these servers (the
    # topology test); the production checks of deploy/gunicorn.conf.py refuse to start with it.
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "MOTCUA_CACHE_DIR", "EMAIL_HOST", "MOTCUA_S3_BUCKET",
                 "DJANGO_ALLOW_ASYNC_UNSAFE"):  # fmt: skip
        env.pop(name, None)
    return env


# --- Redis: a private one on loopback, for the cache or the broker ------------------------------------


def redis_command(port: int, db: int, *words: str) -> bytes:
    """One command to the Redis started here, in database ``db`` (RESP, no client library)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        reply = b""
        for command in (("SELECT", str(db)), words):
            s.sendall((f"*{len(command)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in command)).encode())
            reply = s.recv(65536)
            if reply.startswith(b"$"):  # a bulk string (INFO): read all of its announced length
                head, _, body = reply.partition(b"\r\n")
                while len(body) < int(head[1:]) + 2:
                    body += s.recv(65536)
                reply = body[: int(head[1:])]
        return reply


def start_redis(procs: Processes, tmp: Path) -> int:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("--tasks celery needs redis-server (apt-get install -y redis-server)")
    port = free_port()
    folder = tmp / "redis"
    folder.mkdir()
    procs.start(
        "redis",
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), "--save", "",
         "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if redis_command(port, 0, "PING").startswith(b"+PONG"):
                return port
        time.sleep(0.1)
    raise SystemExit("redis-server did not start within 15 s")


# --- CPU accounting: what the server, the database and the client each used -------------------------


def _ticks(path: str) -> int:
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(path).read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    return 0


def backend_ticks(database: str) -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend serving ``database`` (their process title names it)."""
    hz = os.sysconf("SC_CLK_TCK")
    found = {}
    if database:
        for proc in Path("/proc").glob("[0-9]*"):
            with contextlib.suppress(OSError):
                title = (proc / "cmdline").read_bytes()
                if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
                    found[int(proc.name)] = _ticks(f"{proc}/stat") / hz
    return found


class BackendWatch(threading.Thread):
    """Samples the backends twice a second: CONN_MAX_AGE replaces them during a long phase, and the CPU of
    a backend that has exited can no longer be read (at most the last half second of each is missed)."""

    def __init__(self, database: str):
        super().__init__(daemon=True)
        self.database, self.seen, self.done = database, {}, threading.Event()
        self.before = backend_ticks(database)

    def run(self):
        while not self.done.wait(0.5):
            self.seen.update(backend_ticks(self.database))

    def stop(self) -> float:
        self.done.set()
        self.join()
        self.seen.update(backend_ticks(self.database))
        return sum(t - self.before.get(pid, 0.0) for pid, t in self.seen.items())


def cpu_snapshot(parents: list[int]) -> dict:
    """CPU seconds so far: the whole machine (busy), this process, and each started process with children."""
    hz = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(values) - values[3] - values[4]  # all but idle and iowait
    children = defaultdict(list)
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            children[int(stat.read_text().rsplit(")", 1)[1].split()[1])].append(int(stat.parent.name))
    started = {}
    for pid in parents:
        family = [pid, *children.get(pid, [])]
        started[pid] = sum(_ticks(f"/proc/{p}/stat") for p in family) / hz
    mine = os.times()
    return {"machine": busy / hz, "client": mine.user + mine.system, "started": started}


def cpu_used(before: dict, after: dict) -> dict:
    return {
        "machine": after["machine"] - before["machine"],
        "client": after["client"] - before["client"],
        "started": {pid: after["started"][pid] - before["started"].get(pid, 0.0) for pid in after["started"]},
    }
