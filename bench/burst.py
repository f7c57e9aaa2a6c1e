#!/usr/bin/env python
"""Deadline-day benchmark: N citizens on the portal at once, each clicking every 1–3 seconds.

It builds its own database (a temporary SQLite file, or the PostgreSQL of DATABASE_URL, which it migrates
and fills: give it a throwaway database) with the demo data and a catalogue varied up to 2,000 procedures,
registers the signed-in share of the citizens (each with a draft dossier), starts gunicorn on 127.0.0.1
with the production configuration (deploy/gunicorn.conf.py) and a shared page cache (a folder, or the
Redis of REDIS_URL), then:

1. measures ``/healthz`` alone (the baseline: a request that only asks the database for SELECT 1), from
   a few connections as fast as the server answers: requests per second;
2. lets N citizens arrive over ``--ramp`` seconds and browse for ``--seconds``: the home page, search
   (portal and API), procedure pages (portal and API), agencies, sectors, statistics, tracking a dossier by
   its code; a share of them (``--signed-in``) are signed in and also open their dossiers and a step of
   their draft's form. Each citizen waits 1–3 s (uniformly) between clicks, like a person reading.

It prints p50/p95/p99 latency over the measured phase (after the ramp), per kind of page and overall,
errors, requests per second, the CPU the server and the client used, and /healthz's requests per second
in the same run. Target (issue 13): 1,000 citizens on one 2-core machine, p95 under 200 ms, no error.

The client is one asyncio process (uvloop when installed) with one keep-alive connection per citizen when
the server allows it, as a browser keeps one; it shares the machine's cores with the server, as on the
machine the target names.

    .venv/bin/python bench/burst.py [--citizens 1000] [--seconds 60] [--ramp 10] [--signed-in 0.1]
                                    [--workers 5] [--threads 1] [--cache shared|off]
    .venv/bin/python bench/burst.py --citizens 50 --seconds 10       # a quick check
    DATABASE_URL=postgres://… .venv/bin/python bench/burst.py
"""

import argparse
import asyncio
import contextlib
import io
import itertools
import os
import random
import re
import shutil
import sys
import tempfile
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

from harness import (
    ROOT,
    Processes,
    cpu_snapshot,
    cpu_used,
    free_port,
    gunicorn_argv,
    percentile,
    production_environment,
    raw_request,
    redis_command,
    start_redis,
    wait_until_healthy,
)
from search import BROAD, QUERIES, build_catalogue
from submit import personal_id

sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "bench-Burst-2026!"  # noqa: S105 (the benchmark's own throwaway accounts)
# What a citizen clicks, with how often (weights): mostly reading, as on a deadline day.
ANONYMOUS_MIX = {
    "home": 18,
    "search": 18,
    "procedure": 20,
    "api_search": 8,
    "api_procedure": 6,
    "agencies": 4,
    "agency": 5,
    "sectors": 3,
    "stats": 6,
    "tracking": 6,
    "petitions": 3,
    "dialogues": 3,
}
SIGNED_IN_MIX = {**ANONYMOUS_MIX, "my_dossiers": 12, "form_step": 8}


# --- Setup -----------------------------------------------------------------------------------------------


def setup_environment(tmp: Path, cache: str, redis_port: int | None) -> dict:
    env = production_environment(tmp)
    if redis_port:
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/1"  # production shares one cache: Redis
    elif cache == "folder":
        env["MOTCUA_CACHE_DIR"] = str(tmp / "cache")  # one machine's workers share it without a server
    if cache == "off":
        env["MOTCUA_PAGE_CACHE_SECONDS"] = "0"
    # Every citizen comes from 127.0.0.1 here; in life they come from a thousand addresses.
    env["MOTCUA_TRACKING_RATE"] = "1000000"
    env["MOTCUA_API_RATE_ANON"] = env["MOTCUA_API_RATE_USER"] = "1000000/min"
    os.environ.update(env)
    return env


def build_database(procedures: int, signed_in: int, dossiers: int) -> dict:
    """The catalogue, the demo's data, ``signed_in`` citizens with a draft each and a session cookie each;
    returns what the citizens click on."""
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client

    with contextlib.redirect_stdout(io.StringIO()):  # load_demo lists the demo accounts
        build_catalogue(procedures)
        # Dossiers of two years, for tracking by code and for the statistics (dossiers.loadtest).
        call_command("seed_load", "--dossiers", str(dossiers), "--if-empty", verbosity=0)
    from motcua.accounts import services as accounts
    from motcua.accounts.models import User
    from motcua.catalog.models import Agency, Procedure, Sector
    from motcua.dossiers import services as dossiers
    from motcua.dossiers.models import Dossier, DossierStatus
    from motcua.dossiers.selectors import receiving_agencies

    # DEBUG=0 refuses to start with demo accounts (motcua.E001): they stay, without a password.
    User.objects.filter(is_demo=True).update(is_demo=False, password=make_password(None))
    online = list(Procedure.objects.filter(code__in=["1.001193", "1.004194"]))
    sessions = []
    for i in range(signed_in):
        number, birth, _gender = personal_id(i)
        user = accounts.register_citizen(
            full_name=f"Công dân thử tải {i + 1}", personal_id=number, birth_date=birth,
            phone=f"0913{i:06d}", email=f"burst{i + 1}@example.com", password=PASSWORD,
            address="Số 1, phường Hải An, tỉnh Hải Đông",
        )  # fmt: skip
        procedure = online[i % len(online)]
        agency = receiving_agencies(procedure)[i % len(receiving_agencies(procedure))]
        draft = dossiers.create_draft(
            procedure=procedure, applicant=user, agency=agency, idempotency_key=f"burst-{i}"
        )
        client = Client()
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        sessions.append({"cookie": cookie, "draft": draft.reference})
    sent = Dossier.objects.exclude(status=DossierStatus.DRAFT).exclude(code="")
    tracked = list(sent.order_by("?").values_list("code", flat=True)[:500])
    ranked = Procedure.objects.active().order_by("-popularity", "code")
    targets = {
        # Most popular first: citizens ask for a few procedures far more often than for the rest.
        "procedures": list(ranked.values_list("code", flat=True)),
        "agencies": list(Agency.objects.filter(is_active=True).values_list("slug", flat=True)),
        "sectors": list(Sector.objects.values_list("slug", flat=True)),
        "tracked": tracked or ["H00.00-000000-0000"],
        "sessions": sessions,
    }
    connections.close_all()
    return targets


# --- The citizens ----------------------------------------------------------------------------------------


def click(kind: str, rng: random.Random, targets: dict, session: dict | None) -> str:
    """The address of one click of ``kind``."""
    if kind == "home":
        return "/"
    if kind in ("search", "api_search"):
        prefix = "/thu-tuc/" if kind == "search" else "/api/v1/procedures/"
        params = {"q": rng.choice(QUERIES)} if rng.random() < 0.9 else {"q": rng.choice(BROAD), "page": "2"}
        return f"{prefix}?{urllib.parse.urlencode(params)}"
    if kind == "procedure":
        return f"/thu-tuc/{popular(rng, targets['procedures'])}/"
    if kind == "api_procedure":
        return f"/api/v1/procedures/{popular(rng, targets['procedures'])}/"
    if kind == "agencies":
        return "/co-quan/"
    if kind == "agency":
        return f"/co-quan/{rng.choice(targets['agencies'])}/"
    if kind == "sectors":
        return f"/linh-vuc/{rng.choice(targets['sectors'])}/" if rng.random() < 0.5 else "/linh-vuc/"
    if kind == "stats":
        return "/thong-ke/"
    if kind == "tracking":
        return f"/tra-cuu/?{urllib.parse.urlencode({'code': rng.choice(targets['tracked'])})}"
    if kind == "petitions":
        return "/phan-anh-kien-nghi/"
    if kind == "dialogues":
        return "/doi-thoai/"
    if kind == "my_dossiers":
        return "/ho-so/"
    if kind == "form_step":
        return f"/ho-so/{session['draft']}/soan/"
    raise ValueError(kind)


def popular(rng: random.Random, ranked: list[str]) -> str:
    """One of ``ranked`` (most asked for first) by Zipf's law, s = 1: the n-th is asked for 1/n as often as
    the first; with 2,000 procedures the first 20 get 44 % of the visits, and every one gets some."""
    weights = _ZIPF.get(len(ranked))
    if weights is None:
        weights = _ZIPF[len(ranked)] = list(itertools.accumulate(1 / n for n in range(1, len(ranked) + 1)))
    return rng.choices(ranked, cum_weights=weights)[0]


_ZIPF: dict[int, list[float]] = {}


class Connection:
    """One HTTP/1.1 connection, kept alive while the server keeps it (a browser's)."""

    def __init__(self, port: int):
        self.port, self.reader, self.writer = port, None, None

    async def get(self, path: str, headers: dict) -> tuple[int, bytes]:
        reused = self.writer is not None and not self.reader.at_eof()
        if not reused:
            self.close()  # the server closed it while the citizen read (its keep-alive timeout)
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            return await self._exchange(path, headers)
        except (ConnectionError, asyncio.IncompleteReadError) as exc:
            # A browser sends again, once, when a kept-alive connection was closed as it reused it.
            if not reused or getattr(exc, "partial", b""):
                raise
            self.close()
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            return await self._exchange(path, headers)

    async def _exchange(self, path: str, headers: dict) -> tuple[int, bytes]:
        lines = [f"GET {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Accept-Language: vi"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        status = int(status_line.split()[1])
        fields = {}
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                fields[name.strip().lower()] = value.strip()
        if "content-length" in fields:
            body = await self.reader.readexactly(int(fields["content-length"]))
        elif fields.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.read()
            fields["connection"] = "close"
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, body

    async def _chunked(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            parts.append(await self.reader.readexactly(size + 2))
            if size == 0:
                return b"".join(parts)

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


class Recorder:
    """Latencies and errors of the measured phase, and the CPU used from its start (``pids``: the server)."""

    def __init__(self, pids: list[int] = ()):
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[tuple[str, int | str]] = []
        self.measuring = False
        self.pids, self.cpu_before = list(pids), None

    on_start = staticmethod(dict)  # what else to note when the measured phase starts
    started_with: dict = {}

    def start(self) -> None:
        self.cpu_before = cpu_snapshot(self.pids)
        self.started_with = self.on_start()
        self.measuring = True

    def cpu(self) -> dict:
        return cpu_used(self.cpu_before, cpu_snapshot(self.pids))

    def add(self, kind: str, path: str, seconds: float, status: int | str) -> None:
        if not self.measuring:
            return
        self.latencies[kind].append(seconds)
        if status != 200:
            self.errors.append((path, status))


async def citizen(port, index, args, targets, rec: Recorder, stop_at: float) -> None:
    rng = random.Random(args.seed * 100_003 + index)
    session = None
    if index < len(targets["sessions"]):
        session = targets["sessions"][index]
    mix = SIGNED_IN_MIX if session else ANONYMOUS_MIX
    kinds, weights = list(mix), list(mix.values())
    headers = {"Cookie": session["cookie"]} if session else {}
    connection = Connection(port)
    await asyncio.sleep(rng.uniform(0, args.ramp))  # arrivals spread over the ramp
    try:
        while time.monotonic() < stop_at:
            kind = rng.choices(kinds, weights)[0]
            path = click(kind, rng, targets, session)
            started = time.perf_counter()
            try:
                status, _body = await asyncio.wait_for(connection.get(path, headers), timeout=30)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                status = type(exc).__name__
                connection.close()
            rec.add(kind, path, time.perf_counter() - started, status)
            await asyncio.sleep(rng.uniform(1.0, 3.0))
    finally:
        connection.close()


async def healthz_alone(port: int, seconds: float, connections: int) -> float:
    """Requests per second of /healthz from ``connections`` busy connections."""
    count = 0
    stop_at = time.monotonic() + seconds

    async def loop():
        nonlocal count
        connection = Connection(port)
        while time.monotonic() < stop_at:
            status, _ = await connection.get("/healthz", {})
            if status != 200:
                raise SystemExit(f"/healthz answered {status}")
            count += 1
        connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(loop() for _ in range(connections)))
    return count / (time.perf_counter() - started)


async def burst(port: int, args, targets: dict, rec: Recorder) -> float:
    stop_at = time.monotonic() + args.ramp + args.warm + args.seconds
    tasks = [asyncio.create_task(citizen(port, i, args, targets, rec, stop_at)) for i in range(args.citizens)]
    await asyncio.sleep(args.ramp + args.warm)
    # Off the event loop: rec.start asks the server for its /metrics, and a loop blocked on that answer
    # cannot send the requests of the connections the workers have already accepted (all of them waited,
    # until gunicorn's timeout killed them).
    await asyncio.to_thread(rec.start)
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    return time.perf_counter() - started


def py_spy_argv(pid: int, args) -> list[str]:
    """py-spy sampling every worker of the server over the measured phase (it starts during the ramp)."""
    return [
        str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pid), "--subprocesses",
        "--format", "raw", "--rate", "200", "--gil",
        "--duration", str(int(args.ramp + args.warm + args.seconds)),
        "--output", args.profile, "--nonblocking",
    ]  # fmt: skip


# --- Report ----------------------------------------------------------------------------------------------


def print_server_counters(counted: dict[str, float]) -> None:
    """The page cache's answers, and where the server's time went by route (from its own /metrics)."""
    lookups, misses = defaultdict(float), defaultdict(float)
    for name, value in counted.items():
        found = re.search(r'page_cache.*result="(\w+)",route="([^"]+)"', name)
        if found and value:
            lookups[found.group(1)] += value
            if found.group(1) == "miss":
                misses[found.group(2)] += value
    if lookups:
        total = sum(lookups.values())
        print("page cache: " + ", ".join(f"{name} {n / total:.0%}" for name, n in sorted(lookups.items())))
        rendered = sorted(misses.items(), key=lambda item: -item[1])
        print("pages rendered (misses) by route: " + ", ".join(f"{r} {n:.0f}" for r, n in rendered))
    routes = defaultdict(dict)
    for name, value in counted.items():
        found = re.search(r'_(sum|count)\{.*route="([^"]+)"', name)
        if found:
            kind, route = found.group(1), found.group(2)
            routes[route][kind] = routes[route].get(kind, 0) + value
    spent = sorted(routes.items(), key=lambda item: -item[1].get("sum", 0))
    total = sum(r.get("sum", 0) for _, r in spent) or 1
    shares = [
        f"{route} {r.get('sum', 0) / total:.0%} ({r.get('sum', 0) / max(r.get('count', 1), 1) * 1000:.1f} ms)"
        for route, r in spent[:8]
    ]
    print("server time by route (wall time in Django; share, mean): " + "; ".join(shares))


def report(
    args, database: str, rec: Recorder, elapsed: float, healthz_rps: float, cpu: dict, cache: dict
) -> int:
    every = [s for values in rec.latencies.values() for s in values]
    total = len(every)
    print(
        f"\n{args.citizens} citizens ({args.signed_in:.0%} signed in), 1–3 s between clicks, "
        f"{args.seconds:.0f} s measured after a {args.ramp:.0f} s ramp and {args.warm:.0f} s unmeasured; "
        f"{database}; gunicorn "
        f"{args.workers} workers × {args.threads} threads; page cache: {args.cache}"
    )
    print(f"{'page':16} {'requests':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for kind in sorted(rec.latencies, key=lambda k: -len(rec.latencies[k])):
        values = rec.latencies[kind]
        print(
            f"{kind:16} {len(values):9d} {percentile(values, 0.5) * 1000:8.1f} "
            f"{percentile(values, 0.95) * 1000:8.1f} {percentile(values, 0.99) * 1000:8.1f}"
        )
    p95 = percentile(every, 0.95) * 1000
    print(
        f"{'all':16} {total:9d} {percentile(every, 0.5) * 1000:8.1f} {p95:8.1f} "
        f"{percentile(every, 0.99) * 1000:8.1f}"
    )
    rps = total / elapsed if elapsed else 0.0
    print(f"\nrequests per second: {rps:.0f}; /healthz alone, same server: {healthz_rps:.0f} req/s")
    server = sum(cpu["started"].values())
    print(
        f"CPU over the measured phase ({elapsed:.0f} s): server {server:.1f} s "
        f"({server / max(total, 1) * 1000:.1f} ms per request), client {cpu['client']:.1f} s, "
        f"machine {cpu['machine']:.1f} s of {elapsed * os.cpu_count():.0f} s"
    )
    if "keyspace_hits" in cache:
        found, missed = cache["keyspace_hits"], cache["keyspace_misses"]
        print(f"Redis during the measured phase: {found} keys found, {missed} missed")
    print_server_counters(cache)
    print(f"errors: {len(rec.errors)}" + (f", e.g. {rec.errors[:5]}" if rec.errors else ""))
    verdict = "PASS" if p95 < 200 and not rec.errors else "MISS"
    print(f"target p95 < 200 ms, no error: {verdict} (p95 {p95:.0f} ms)")
    return 1 if rec.errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--citizens", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=60, help="the measured phase, after the ramp")
    parser.add_argument("--ramp", type=float, default=10, help="citizens arrive over this many seconds")
    parser.add_argument(
        "--warm",
        type=float,
        default=30,
        help="then browse this long unmeasured: a portal on its deadline day has been up for hours, its "
        "page cache holds what was asked for before (the long tail of rarely asked pages still misses)",
    )
    parser.add_argument("--signed-in", type=float, default=0.1, help="share of citizens signed in")
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--dossiers", type=int, default=20000, help="seeded dossiers (manage.py seed_load)")
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers (production: 2 × cores + 1)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (production: 1)")
    parser.add_argument(
        "--cache",
        choices=["redis", "folder", "off"],
        default="redis" if shutil.which("redis-server") else "folder",
        help="the shared page cache: a Redis started here (as REDIS_URL in production), a folder "
        "(MOTCUA_CACHE_DIR), or none",
    )
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="record the server's stacks with py-spy during the measured phase (collapsed stacks in FILE; "
        "bench/profile_summary.py FILE prints the top)",
    )
    args = parser.parse_args()
    random.seed(args.seed)
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())

    procs = Processes()
    with tempfile.TemporaryDirectory(prefix="motcua-burst-") as folder:
        try:
            return run(args, procs, Path(folder))
        finally:
            procs.stop_all()


def run(args, procs: Processes, tmp: Path) -> int:
    redis_port = start_redis(procs, tmp) if args.cache == "redis" else None
    env = setup_environment(tmp, args.cache, redis_port)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
    print(f"database: {database}; building the catalogue and the citizens…", flush=True)
    started = time.perf_counter()
    import django

    django.setup()
    targets = build_database(args.procedures, round(args.citizens * args.signed_in), args.dossiers)
    print(f"setup: {time.perf_counter() - started:.0f} s", flush=True)
    port = free_port()
    argv = gunicorn_argv(port, args.workers, args.threads, tmp / "access.log")
    server = procs.start("gunicorn", argv, env=env, cwd=ROOT)
    wait_until_healthy(server, port)
    # The server's CPU: gunicorn's workers and, when there is one, the cache server.
    rec = Recorder([p.pid for name, p in procs.running if name in ("gunicorn", "redis")])
    # Warm every worker (imports, template caches, the search index) before measuring.
    warm = argparse.Namespace(**{**vars(args), "citizens": 40, "ramp": 0.5, "warm": 0, "seconds": 5})
    asyncio.run(burst(port, warm, targets, Recorder()))
    healthz_rps = asyncio.run(healthz_alone(port, 10, 8))
    profiler = procs.start("py-spy", py_spy_argv(server.pid, args), cwd=ROOT) if args.profile else None
    rec.on_start = lambda: {**cache_stats(redis_port), **scrape(port)}
    elapsed = asyncio.run(burst(port, args, targets, rec))
    if profiler is not None:
        profiler.wait(timeout=60)
    after = {**cache_stats(redis_port), **scrape(port)}
    counted = {k: v - rec.started_with.get(k, 0) for k, v in after.items()}
    return report(args, database, rec, elapsed, healthz_rps, rec.cpu(), counted)


def scrape(port: int) -> dict[str, float]:
    """The server's own counters (``/metrics``, allowed from 127.0.0.1): page cache look-ups by result,
    and requests and the time they took by route."""
    status, _s, body, _h = raw_request(port, "GET", "/metrics")
    if status != 200:
        return {}
    found = {}
    for line in body.decode().splitlines():
        name, _, value = line.rpartition(" ")
        counted = name.startswith(
            ("motcua_page_cache_lookups_total", "motcua_http_request_duration_seconds_")
        )
        if counted and "_bucket" not in name:
            found[name] = float(value)
    return found


def cache_stats(redis_port: int | None) -> dict[str, int]:
    """Redis' count of keys found and missed so far (the page cache's hits and misses, and the rate
    limits' counters); empty without Redis."""
    if not redis_port:
        return {}
    info = redis_command(redis_port, 1, "INFO", "stats").decode("latin-1")
    return {
        name: int(value)
        for name, _, value in (line.partition(":") for line in info.split("\r\n"))
        if name in ("keyspace_hits", "keyspace_misses")
    }


if __name__ == "__main__":
    sys.exit(main())
