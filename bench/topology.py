#!/usr/bin/env python
"""Past one machine, on one machine: the deployment of several app processes behind a load balancer, with a
streaming replica of the database, brought up on loopback for a test or a person.

``Topology`` (a context manager) starts, each on 127.0.0.1 on a free port, in one temporary folder:

- PostgreSQL, the primary (``initdb``; wal_level=replica, a ``replicator`` role that may stream), and its
  streaming replica, a second cluster made with ``pg_basebackup -R`` (hot standby, read only);
  pg_stat_statements on both, so that anyone can see which server ran which query;
- Redis (the shared cache and Celery's broker) and one Celery worker;
- the database migrated and the demo data loaded on the primary, static files collected;
- gunicorn app processes with the production configuration (deploy/gunicorn.conf.py), whose settings name
  the primary (DATABASE_URL) and, with ``replica=True``, the replica (DATABASE_REPLICA_URL): the router of
  motcua.core.dbrouter sends statistics and catalogue reads there; each alias has its application_name;
- nginx (Debian's package) in front, as deploy/nginx.conf has it (static files served by nginx, the rest
  proxied), balancing over the app processes.

Everything stops at the end (also on Ctrl-C or failure; the children die with this process) and the folder
is removed. As root (CI), the database servers run as the ``postgres`` user and nginx's workers as www-data.

    .venv/bin/python bench/topology.py             # bring it up, check it, a 10 s load (the test's run)
    .venv/bin/python bench/topology.py --serve 60  # bring it up and leave it serving for 60 s
    .venv/bin/python bench/topology.py --measure   # req/s and p95: 1 app process, 2, 2 + the replica

``--measure`` loads each layout in turn with the same visitors (``--visitors``, ``--seconds``): run it on a
quiet machine for figures; ``--measure --seconds 3 --visitors 5`` is a quick check that it works.
"""

import argparse
import contextlib
import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness import ROOT, Processes, free_port, gunicorn_argv, percentile, production_environment, raw_request
from submit import form_data, json_body, make_pdf, multipart, request, start_redis

PGBIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
DATABASE = "motcua"
DEMO_CITIZEN = {
    "username": "congdan",
    "password": "Demo@12345",  # the published demo password (motcua.accounts.demo)
    "full_name": "Nguyễn Văn An",
    "personal_id": "030090012345",
    "birth_date": "1990-05-14",
    "gender": "male",
    "phone": "0912345678",
    "email": "congdan@example.com",
}
STATEMENTS_RUN = (
    "SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid "
    "WHERE d.datname = %s AND s.query ILIKE %s"
)
PROCEDURE = "1.001193"  # birth registration (demo catalogue)
# What visitors read: the home page, searches, procedure pages, statistics (the replica's share of the load).
PAGES = ["/", "/thu-tuc/?q=khai+sinh", "/thu-tuc/?q=cu+tru", f"/thu-tuc/{PROCEDURE}/", "/thu-tuc/1.004194/",
         "/co-quan/", "/thong-ke/"]  # fmt: skip


def missing_tools() -> list[str]:
    """What this machine lacks to bring the topology up (empty: all there)."""
    needed = {"initdb (PostgreSQL)": PGBIN, "redis-server": shutil.which("redis-server")}
    needed["nginx"] = shutil.which("nginx") or (
        Path("/usr/sbin/nginx") if Path("/usr/sbin/nginx").exists() else None
    )
    return [name for name, found in needed.items() if not found]


def nginx_binary() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


class Topology:
    """The whole deployment on loopback; ``port`` is nginx's. See the module's docstring."""

    def __init__(self, *, app_processes: int = 2, replica: bool = True, workers: int = 2, threads: int = 4,
                 log=print):  # fmt: skip
        self.app_processes, self.use_replica = app_processes, replica
        self.workers, self.threads, self.log = workers, threads, log
        self.procs = Processes()
        self.apps: list = []
        self.nginx = None

    # --- life cycle ------------------------------------------------------------------------------------

    def __enter__(self):
        missing = missing_tools()
        if missing:
            raise RuntimeError("the topology needs " + ", ".join(missing))
        self.tmp = Path(tempfile.mkdtemp(prefix="motcua-topology-"))
        self.tmp.chmod(0o711)  # the servers' own users go through it to their folders
        try:
            self._start()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc):
        # Quick shutdowns, the web tier's all at once (nothing is left to finish: the load is over), then the
        # servers under it in reverse order of their start.
        running = list(reversed(self.procs.running))
        for name, process in running:
            if process.poll() is None and name.startswith(("gunicorn", "celery")):
                process.send_signal(signal.SIGQUIT)
        for name, process in running:
            if name.startswith("postgres") and process.poll() is None:
                process.send_signal(signal.SIGINT)  # fast shutdown: its clients are gone already
            self.procs.stop(process)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _start(self):
        began = time.monotonic()
        self.primary_port, self.replica_port = free_port(), free_port()
        self._start_primary()
        self._start_replica()
        self.redis_port = start_redis(self.procs, self.tmp)
        self.env = self._environment()
        self._prepare_database()
        self.procs.start(
            "celery worker",
            [str(Path(sys.executable).parent / "celery"), "-A", "motcua", "worker", "-Q", "motcua",
             "--concurrency", "1", "--loglevel", "warning", "--without-gossip", "--without-mingle",
             "--without-heartbeat"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.serve(self.app_processes, self.use_replica)
        self.log(f"topology up in {time.monotonic() - began:.0f} s: nginx on port {self.port}")

    # --- PostgreSQL ----------------------------------------------------------------------------------------

    def _as_postgres(self) -> dict:
        """Popen's arguments that run a database program as ``postgres`` when this process is root."""
        if os.geteuid() != 0:
            return {}
        return {"user": "postgres", "group": pwd.getpwnam("postgres").pw_gid, "extra_groups": []}

    def _pg_folder(self, name: str) -> Path:
        folder = self.tmp / name
        folder.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(folder, "postgres")
        return folder

    def _postgres(self, name: str, data: Path, port: int, *extra: str):
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115  (the server's, closed with the process)
        self.procs.start(
            name,
            [str(PGBIN / "postgres"), "-D", str(data), "-p", str(port), "-k", str(data.parent),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
             "-c", "shared_preload_libraries=pg_stat_statements", *extra],
            stdout=log, stderr=subprocess.STDOUT, **self._as_postgres(),
        )  # fmt: skip
        self._wait(lambda: self.sql(port, "SELECT 1", database="postgres") == "1", f"{name} to start")

    def _start_primary(self):
        folder = self._pg_folder("primary")
        subprocess.run(
            [str(PGBIN / "initdb"), "-D", str(folder / "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8",
             "--locale=C.UTF-8"],
            check=True, stdout=subprocess.DEVNULL, **self._as_postgres(),
        )  # fmt: skip
        # initdb's pg_hba.conf trusts replication connections from 127.0.0.1 already (-A trust).
        self._postgres("postgres primary", folder / "data", self.primary_port,
                       "-c", "wal_level=replica", "-c", "max_wal_senders=4")  # fmt: skip
        self.sql(self.primary_port, "CREATE ROLE replicator WITH REPLICATION LOGIN", database="postgres")
        self.sql(self.primary_port, f"CREATE DATABASE {DATABASE}", database="postgres")
        self.sql(self.primary_port, "CREATE EXTENSION pg_stat_statements")

    def _start_replica(self):
        folder = self._pg_folder("replica")
        subprocess.run(
            [str(PGBIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(self.primary_port),
             "-U", "replicator", "-D", str(folder / "data"), "-R", "-X", "stream", "-c", "fast"],
            check=True, **self._as_postgres(),
        )  # fmt: skip
        # hot_standby_feedback: the primary's vacuum does not cancel a long statistics query on the replica.
        self._postgres("postgres replica", folder / "data", self.replica_port,
                       "-c", "hot_standby=on", "-c", "hot_standby_feedback=on")  # fmt: skip

    def sql(self, port: int, statement: str, params=(), database: str = DATABASE) -> str:
        """One statement on the server of ``port`` (autocommit); its first row's values joined by ``|``."""
        import psycopg

        dsn = f"host=127.0.0.1 port={port} user=postgres dbname={database} connect_timeout=5"
        try:
            with psycopg.connect(dsn, autocommit=True) as db:
                cursor = db.execute(statement, params)
                row = cursor.fetchone() if cursor.description else None
        except psycopg.OperationalError:
            return "(unreachable)"
        return "|".join("" if value is None else str(value) for value in row) if row else ""

    def wait_for_replica(self, seconds: float = 30) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.sql(self.primary_port, "SELECT pg_current_wal_lsn()")
        caught_up = f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"
        self._wait(
            lambda: self.sql(self.replica_port, caught_up) == "True", "the replica to catch up", seconds
        )

    def statements(self, port: int, like: str) -> int:
        """How many statements matching ``like`` (SQL LIKE) the server of ``port`` has run so far."""
        found = self.sql(port, STATEMENTS_RUN, (DATABASE, like))
        return int(found) if found.isdigit() else 0

    # --- the application -----------------------------------------------------------------------------------

    def _environment(self) -> dict:
        env = production_environment(self.tmp)
        redis = f"redis://127.0.0.1:{self.redis_port}"
        env.update(
            {
                "DATABASE_URL": self.database_url(self.primary_port, "motcua-primary"),
                "REDIS_URL": f"{redis}/0",
                "CELERY_BROKER_URL": f"{redis}/1",
                "MOTCUA_TASKS": "celery",
                # The demo's data and accounts (load_demo) are allowed: a demonstration, never production.
                "MOTCUA_DEMO": "1",
                "MOTCUA_TRUSTED_PROXIES": "127.0.0.1",
                # Every simulated visitor comes from 127.0.0.1: the per-address limits would stop the load.
                "MOTCUA_API_RATE_ANON": "off",
                "MOTCUA_API_RATE_CREATE": "off",
                "MOTCUA_TRACKING_RATE": "1000000",
            }
        )
        return env

    @staticmethod
    def database_url(port: int, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{DATABASE}?application_name={name}"

    def _manage(self, *words: str) -> None:
        began = time.monotonic()
        done = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), *words],
            env=self.env, cwd=ROOT, capture_output=True, text=True, check=False,
        )  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(words)} failed:\n{done.stderr[-3000:]}")
        self.log(f"manage.py {words[0]}: {time.monotonic() - began:.1f} s")

    def _prepare_database(self):
        began = time.monotonic()
        self._manage("migrate", "--noinput", "-v", "0")
        self._manage("load_demo", "--no-forms")
        # The portal's own files: the admin's and the API's (Swagger UI's 9 MB) take a minute to compress.
        ignored = ["-i", "admin", "-i", "rest_framework", "-i", "drf_spectacular*"]
        self._manage("collectstatic", "--noinput", "-v", "0", *ignored)
        for folder, _dirs, files in os.walk(self.env["STATIC_ROOT"]):
            Path(folder).chmod(0o755)
            for name in files:
                (Path(folder) / name).chmod(0o644)
        self.log(f"database migrated and demo data loaded in {time.monotonic() - began:.0f} s")

    def serve(self, app_processes: int, replica: bool) -> None:
        """(Re)start the app processes and nginx: ``app_processes`` of them, reading the replica or not."""
        for process in [self.nginx, *self.apps]:
            if process is not None:
                self.procs.stop(process)
        env = dict(self.env, MOTCUA_PUBLIC_URL="http://127.0.0.1")
        if replica:
            env["DATABASE_REPLICA_URL"] = self.database_url(self.replica_port, "motcua-replica")
        self.app_ports = [free_port() for _ in range(app_processes)]
        self.apps = [
            self.procs.start(
                f"gunicorn {port}",
                gunicorn_argv(port, self.workers, self.threads, self.tmp / f"access-{port}.log"),
                env=env,
                cwd=ROOT,
            )
            for port in self.app_ports
        ]
        self.port = free_port()
        config = self.tmp / "nginx" / "nginx.conf"
        config.parent.mkdir(exist_ok=True)
        config.write_text(self.nginx_config())
        if os.geteuid() == 0:
            shutil.chown(config.parent, "www-data")
        self.nginx = self.procs.start(
            "nginx",
            [
                nginx_binary(),
                "-c",
                str(config),
                "-p",
                str(config.parent),
                "-e",
                str(config.parent / "error.log"),
            ],
        )
        for port in [*self.app_ports, self.port]:
            self._wait(
                lambda port=port: raw_request(port, "GET", "/healthz")[0] == 200, f"port {port} to serve", 90
            )

    def nginx_config(self) -> str:
        """deploy/nginx.conf's shape on loopback: static files from the folder collected, the rest balanced
        over the app processes (plain HTTP: TLS is the real site's, not this machine's)."""
        folder = self.tmp / "nginx"
        upstreams = "\n".join(f"        server 127.0.0.1:{port};" for port in self.app_ports)
        user = "user www-data;" if os.geteuid() == 0 else ""
        temp = "\n".join(
            f"    {kind}_temp_path {folder / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        return f"""{user}
worker_processes 1;
daemon off;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
{temp}
    upstream motcua {{
{upstreams}
    }}
    server {{
        listen 127.0.0.1:{self.port};
        client_max_body_size 60m;
        location /static/ {{
            alias {self.env["STATIC_ROOT"]}/;
            gzip_static on;
            expires 1y;
            add_header Cache-Control "public, immutable";
        }}
        location / {{
            proxy_pass http://motcua;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 60s;
        }}
    }}
}}
"""

    def _wait(self, ready, what: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for name, process in self.procs.running:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{name} stopped (exit code {process.returncode}) while waiting for {what}"
                    )
            if ready():
                return
            time.sleep(0.2)
        raise RuntimeError(f"timed out after {seconds:.0f} s waiting for {what}")


# --- what a test or a person does through nginx ------------------------------------------------------------


def sign_in(port: int) -> str:
    """The demo citizen's API token."""
    body, headers = json_body({"username": DEMO_CITIZEN["username"], "password": DEMO_CITIZEN["password"]})
    status, _seconds, answer = request(port, "POST", "/api/v1/auth/token/", body, headers)
    if status != 201:
        raise RuntimeError(f"signing in answered {status}: {answer!r:.300}")
    return answer["token"]


def submit_dossier(port: int, token: str, code: str = PROCEDURE) -> dict:
    """A dossier sent through the API as the citizen would (draft, the papers its form requires, submit);
    the submission's answer (its ``id`` and ``code``)."""
    auth = {"Authorization": f"Bearer {token}"}
    _status, _seconds, procedure = request(port, "GET", f"/api/v1/procedures/{code}/")
    _status, _seconds, form = request(port, "GET", f"/api/v1/procedures/{code}/form/")
    required = set(form["schema"].get("required") or [])
    papers = [c["order"] for c in form["components"] if c["field"] and c["field"] in required]
    body, headers = json_body(
        {"procedure": code, "agency": procedure["agencies"][0]["code"], "data": form_data(code, DEMO_CITIZEN)}
    )
    status, _seconds, draft = request(port, "POST", "/api/v1/dossiers/", body, {**headers, **auth})
    if status != 201:
        raise RuntimeError(f"creating the draft answered {status}: {draft!r:.500}")
    pdf = make_pdf(20_000)
    for order in papers:
        upload, upload_headers = multipart({"component": order}, f"giay-to-{order}.pdf", pdf)
        status, _seconds, answer = request(
            port, "POST", f"/api/v1/dossiers/{draft['id']}/attachments/", upload, {**upload_headers, **auth}
        )
        if status != 201:
            raise RuntimeError(f"attaching a paper answered {status}: {answer!r:.500}")
    status, _seconds, sent = request(port, "POST", f"/api/v1/dossiers/{draft['id']}/submit/", b"", auth)
    if status != 200:
        raise RuntimeError(f"submitting answered {status}: {sent!r:.500}")
    return {**sent, "id": draft["id"]}


def visit(port: int, seconds: float, visitors: int, pages=PAGES, think=(0.05, 0.5), seed: int = 13) -> dict:
    """``visitors`` simulated visitors, each reading ``pages`` at random with ``think`` seconds between
    clicks, for ``seconds``: requests, req/s, p50/p95 (seconds) and the failures (status not 200).

    Small on purpose: bench/burst.py (the burst client: citizens with think time) can take its place."""
    lock, latencies, failures = threading.Lock(), [], []
    deadline = time.monotonic() + seconds

    def visitor(number):
        rng = random.Random(seed + number)
        while time.monotonic() < deadline:
            path = rng.choice(pages)
            status, spent, body, _headers = raw_request(port, "GET", path)
            with lock:
                latencies.append(spent)
                if status != 200:
                    failures.append((path, status, body[:200]))
            time.sleep(rng.uniform(*think))

    threads = [threading.Thread(target=visitor, args=(n,), daemon=True) for n in range(visitors)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 130)
    wall = time.perf_counter() - began
    return {
        "requests": len(latencies),
        "per_second": len(latencies) / wall,
        "p50": percentile(latencies, 0.5),
        "p95": percentile(latencies, 0.95),
        "failures": failures,
    }


def report(name: str, result: dict) -> str:
    return (
        f"{name:<28} {result['requests']:>6} requests  {result['per_second']:7.1f} req/s  "
        f"p50 {result['p50'] * 1000:6.0f} ms  p95 {result['p95'] * 1000:6.0f} ms  "
        f"{len(result['failures'])} failed"
    )


def measure(seconds: float, visitors: int, workers: int, threads: int) -> int:
    """The same load on one app process, two, and two reading the replica; one line each."""
    layouts = [
        ("1 app process", 1, False),
        ("2 app processes", 2, False),
        ("2 app processes + replica", 2, True),
    ]
    failed = 0
    with Topology(app_processes=1, replica=False, workers=workers, threads=threads) as topology:
        topology.wait_for_replica()
        for index, (name, processes, replica) in enumerate(layouts):
            if index:  # the first layout is the one the topology started with
                topology.serve(processes, replica)
            visit(topology.port, min(2.0, seconds), visitors)  # warm: connections, templates, page cache
            result = visit(topology.port, seconds, visitors)
            print(report(name, result), flush=True)
            failed += len(result["failures"])
    return 1 if failed else 0


def prove(topology: Topology) -> dict:
    """What the test asserts and ``check`` prints: a citizen's submission through nginx, where its rows
    went, whether the citizen reads it back at once, and which server ran a catalogue search and the
    statistics page (pg_stat_statements of each server, before and after)."""
    token = sign_in(topology.port)
    inserts = 'INSERT INTO "dossiers_dossier"%'
    before = {
        port: topology.statements(port, inserts) for port in (topology.primary_port, topology.replica_port)
    }
    sent = submit_dossier(topology.port, token)
    status, _seconds, own = request(
        topology.port, "GET", f"/api/v1/dossiers/{sent['id']}/", headers={"Authorization": f"Bearer {token}"}
    )
    facts = {
        "code": sent["code"],
        "inserted": {port: topology.statements(port, inserts) - n for port, n in before.items()},
        "read_back": (status, own.get("code") if isinstance(own, dict) else None),
    }
    unique = random.randrange(10**9)  # a new address each time: never an answer from the page cache
    for name, path, table in [
        ("search", f"/thu-tuc/?q=khai+sinh&n={unique}", '%"catalog_procedure"%'),
        ("statistics", f"/thong-ke/?n={unique}", '%"stats_%'),
    ]:
        ports = (topology.primary_port, topology.replica_port)
        counts = {port: topology.statements(port, table) for port in ports}
        page_status = raw_request(topology.port, "GET", path)[0]
        facts[name] = {
            "status": page_status,
            **{port: topology.statements(port, table) - n for port, n in counts.items()},
        }
    return facts


def check(seconds: float, visitors: int) -> int:
    """What the test checks, for a person: a submission on the primary, reads on the replica, a load."""
    with Topology() as topology:
        topology.wait_for_replica()
        facts = prove(topology)
        primary, replica = topology.primary_port, topology.replica_port
        print(
            f"dossier {facts['code']}: {facts['inserted'][primary]} row inserted on the primary, "
            f"{facts['inserted'][replica]} on the replica; read back at once: {facts['read_back']}"
        )
        for name in ("search", "statistics"):
            ran = facts[name]
            where = f"{ran[primary]} statements on the primary, {ran[replica]} on the replica"
            print(f"{name} ({ran['status']}): {where}")
        result = visit(topology.port, seconds, visitors)
        print(report(f"{visitors} visitors, {seconds:.0f} s", result))
        good = (
            facts["inserted"] == {primary: 1, replica: 0}
            and facts["read_back"] == (200, facts["code"])
            and all(facts[n]["status"] == 200 and facts[n][replica] > 0 for n in ("search", "statistics"))
        )
        return 0 if good and not result["failures"] else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measure", action="store_true", help="req/s and p95 of 1, 2 and 2 + replica")
    parser.add_argument("--serve", type=float, metavar="SECONDS", help="bring it up and serve that long")
    parser.add_argument("--seconds", type=float, default=10, help="length of each load (default 10)")
    parser.add_argument("--visitors", type=int, default=50, help="simulated visitors at once (default 50)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app process")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    args = parser.parse_args()
    if args.measure:
        return measure(args.seconds, args.visitors, args.workers, args.threads)
    if args.serve:
        with Topology(workers=args.workers, threads=args.threads) as topology:
            print(f"serving on http://127.0.0.1:{topology.port}/ for {args.serve:.0f} s (Ctrl-C stops it)")
            with contextlib.suppress(KeyboardInterrupt):
                time.sleep(args.serve)
        return 0
    return check(args.seconds, args.visitors)


if __name__ == "__main__":
    sys.exit(main())
