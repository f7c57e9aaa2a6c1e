#!/usr/bin/env python
"""Back-office benchmark: officers' queues and the dossier API over 1,000,000 dossiers, through HTTP.

It builds its own database (a temporary SQLite file, or the PostgreSQL of DATABASE_URL, which it migrates
and fills: give it a throwaway database), loads the demo catalogue and officers, inserts the dossiers with
``manage.py seed_load`` (two years over the demo procedures and agencies, see ``dossiers.loadtest``), starts
gunicorn on 127.0.0.1 with the production configuration (deploy/gunicorn.conf.py, DEBUG=0) and measures,
as officers of a large, a middle and a small agency:

- ``/healthz`` (the baseline: a request that only asks the database for SELECT 1);
- the queue page ``/mot-cua/?hang-doi=<queue>`` of each queue (mine, to_receive, new, to_assign, supplement,
  due_soon, overdue, finished): page 1, page 1 with a filter (procedure, channel, dates or an applicant's ID,
  in turn), a deep page (page 200, or the last one when the queue is shorter) and the last page;
- ``GET /api/v1/dossiers/?status=<n>`` for a few statuses, and a page > 1.

Officers sign in through the login form (session cookie, CSRF token) for the pages and use API tokens made
through the ORM for the API. The demo officers become ordinary accounts with a password of the benchmark
(and the other demo accounts are deleted), so that the production check motcua.E001 lets gunicorn start.

It prints p50/p95/max per kind of request and its requests per second against /healthz's. Then, in this
process with Django's test client against the same database, it counts the SQL queries of every kind of
page for the officers of the large and the small agency, page 1 and deep page, and checks that the count is
the same ("a constant number of queries per page"); with ``--explain`` (PostgreSQL) it prints EXPLAIN
ANALYZE of the slowest queries of the large agency's pages.
Target (issue 4): p95 under 100 ms on PostgreSQL at 1M dossiers and a constant number of queries per page.

    .venv/bin/python bench/backoffice.py [--dossiers 1000000] [--requests 200] [--concurrency 4]
    .venv/bin/python bench/backoffice.py --dossiers 20000 --requests 30     # a quick check
    DATABASE_URL=postgres://… .venv/bin/python bench/backoffice.py --explain
"""

import argparse
import contextlib
import http.client
import http.cookies
import io
import math
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import timedelta
from pathlib import Path

from harness import (
    ROOT,
    die_with_parent,
    free_port,
    gunicorn_argv,
    percentile,
    production_environment,
    raw_request,
    run_threads,
    wait_until_healthy,
)

sys.path.insert(0, str(ROOT / "src"))

PASSWORD = "Bench-Backoffice-2026!"  # noqa: S105  (accounts of a throwaway database)
QUEUES = ["mine", "to_receive", "new", "to_assign", "supplement", "due_soon", "overdue", "finished"]
# Whose queue it is: the role that works through it.
QUEUE_ROLE = {
    "mine": "specialist",
    "to_receive": "specialist",
    "new": "desk",
    "to_assign": "leader",
    "supplement": "desk",
    "due_soon": "desk",
    "overdue": "leader",
    "finished": "desk",
}
DEEP_PAGE = 200
PAGE_SIZE = 25  # backoffice.views.PAGE_SIZE
API_STATUSES = [1, 4, 10]
API_DEEP_PAGE = 100
API_PAGE_SIZE = 20  # REST_FRAMEWORK["PAGE_SIZE"]


# --- environment and processes ------------------------------------------------------------------


def setup_environment(tmp: Path) -> dict:
    env = production_environment(tmp)
    env.update(
        {
            "MOTCUA_CACHE_DIR": str(tmp / "cache"),  # one cache for every worker (as Redis in production)
            "MOTCUA_TASKS": "eager",  # nothing here queues tasks; no broker needed
        }
    )
    os.environ.clear()
    os.environ.update(env)
    return env


def start_server(env: dict, port: int, workers: int, threads: int, tmp: Path) -> subprocess.Popen:
    server = subprocess.Popen(
        gunicorn_argv(port, workers, threads, tmp / "access.log"),
        env=env, cwd=ROOT, preexec_fn=die_with_parent, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_healthy(server, port)
    except SystemExit:
        stop(server)
        raise
    return server


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# --- HTTP ------------------------------------------------------------------


def request(port, method, path, body=None, headers=None):
    """One request on a new connection: status, seconds, body, headers."""
    return raw_request(port, method, path, body, headers)[:4]


def cookies_of(headers) -> dict:
    jar = http.cookies.SimpleCookie()
    for name, value in headers:
        if name.lower() == "set-cookie":
            jar.load(value)
    return {key: morsel.value for key, morsel in jar.items()}


def login(port: int, username: str) -> str:
    """Sign in through the login form; the Cookie header of the session."""
    status, _s, page, headers = request(port, "GET", "/tai-khoan/dang-nhap/")
    jar = cookies_of(headers)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if status != 200 or not found or "csrftoken" not in jar:
        raise SystemExit(f"login page answered {status} without a CSRF token")
    body = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": found.group(1).decode(), "username": username, "password": PASSWORD}
    ).encode()
    status, _s, page, headers = request(
        port, "POST", "/tai-khoan/dang-nhap/", body,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={jar['csrftoken']}",
         "Referer": f"http://127.0.0.1:{port}/tai-khoan/dang-nhap/"},
    )  # fmt: skip
    jar.update(cookies_of(headers))
    if status != 302 or "sessionid" not in jar:
        raise SystemExit(f"{username} could not sign in: {status} {page[:300]!r}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def measure(port: int, jobs: list[tuple[str, dict]], concurrency: int, seconds: float = 0) -> dict:
    """Send every (path, headers) once from ``concurrency`` client threads: latency and throughput. With
    ``seconds``, no request starts after that time (the count says how many were sent)."""
    latencies: list[float] = []
    failures: list[tuple[str, int, bytes]] = []
    lock = threading.Lock()
    queue = list(reversed(jobs))
    deadline = time.monotonic() + seconds if seconds else math.inf

    def worker():
        while True:
            with lock:
                if not queue or time.monotonic() > deadline:
                    return
                path, headers = queue.pop()
            status, seconds, body, _h = request(port, "GET", path, headers=headers)
            with lock:
                latencies.append(seconds)
                if status != 200:
                    failures.append((path, status, body[:200]))

    elapsed = run_threads(concurrency, worker)
    return {
        "count": len(latencies),
        "failures": failures,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "max_ms": max(latencies, default=float("nan")) * 1000,
        "rps": len(latencies) / elapsed if elapsed else 0.0,
    }


# --- the database ------------------------------------------------------------------


def build_database(dossiers: int, seed: int, batch: int, reuse: bool) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.dossiers.loadtest import seeded_dossiers
    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    if reuse and seeded_dossiers().exists():
        call_command("collectstatic", "--noinput", verbosity=0)
        make_accounts_production_like()
        count = Dossier.objects.count()
        print(f"--reuse: the database holds {count:,} dossiers already; not seeding", flush=True)
        from django.db import connections

        connections.close_all()
        return {"seconds": 0.0, "rate": 0.0, "dossiers": count}
    if Dossier.objects.exists():
        raise SystemExit("The database already holds dossiers: give the benchmark a throwaway database.")
    call_command("collectstatic", "--noinput", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):  # it lists the demo accounts, changed just below
        call_command("load_demo", "--no-forms", verbosity=0)
    started = time.perf_counter()
    call_command("seed_load", dossiers=dossiers, seed=seed, batch=batch)
    seconds = time.perf_counter() - started
    make_accounts_production_like()
    from django.db import connections

    connections.close_all()
    return {"seconds": seconds, "rate": dossiers / seconds if seconds else 0.0, "dossiers": dossiers}


def make_accounts_production_like() -> None:
    """No demo account may exist with DEBUG=0 (motcua.E001): the demo officers become ordinary officer
    accounts with the benchmark's password (they keep ``otp_exempt``, so no one-time code is asked), the
    other demo accounts (citizens, business, admin) lose their password, as seeded applicants' accounts have
    none. They are kept, not deleted: the demo's petitions and their steps name them."""
    from django.contrib.auth.hashers import make_password

    from motcua.accounts.models import OfficerMembership, User

    officers = set(OfficerMembership.objects.values_list("user_id", flat=True))
    others = User.objects.filter(is_demo=True).exclude(pk__in=officers)
    others.update(is_demo=False, password=make_password(None))
    User.objects.filter(is_demo=True).update(is_demo=False, password=make_password(PASSWORD))


def pick_officers() -> list[dict]:
    """Per queue, the officers of the role that works it in the agency holding the most, a middle and the
    fewest (non-zero) dossiers of that queue, with the queue's size and the deep page asked."""
    from django.utils import timezone

    from motcua.accounts.models import OfficerMembership
    from motcua.dossiers import queues

    now = timezone.now()
    chosen = []
    for name in QUEUES:
        role = QUEUE_ROLE[name]
        sizes = []
        for membership in OfficerMembership.objects.filter(role=role).select_related("user", "agency"):
            officer = queues.Officer.of(membership.user)
            total = queues.counts(officer, now=now)[name]
            if total:
                sizes.append((total, membership.user.username, membership.agency.slug, membership.user_id))
        sizes.sort(reverse=True)
        if not sizes:
            continue
        picks = {0: "large", len(sizes) // 2: "middle", len(sizes) - 1: "small"}
        for index, size in picks.items():
            total, username, agency, user_id = sizes[index]
            pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
            chosen.append(
                {
                    "queue": name,
                    "size": size,
                    "username": username,
                    "user_id": user_id,
                    "agency": agency,
                    "total": total,
                    "pages": pages,
                    "deep": min(DEEP_PAGE, pages),
                }
            )
    return chosen


def filter_params(agency_slug: str, rng: random.Random) -> list[dict]:
    """Filters an officer uses: the unit's most frequent procedure, a channel, the last 90 days, an ID."""
    from django.db.models import Count
    from django.utils import timezone

    from motcua.dossiers.models import Dossier

    rows = Dossier.objects.filter(agency__slug=agency_slug)
    top = rows.values("procedure__code").annotate(n=Count("id")).order_by("-n").first()
    someone = rows.filter(pk__gte=rng.randint(1, 1000)).values_list("applicant_id_number", flat=True).first()
    today = timezone.localdate()
    found = [
        {"kenh": "online"},
        {"tu-ngay": (today - timedelta(days=90)).isoformat(), "den-ngay": today.isoformat()},
    ]
    if top:
        found.append({"thu-tuc": top["procedure__code"]})
    if someone:
        found.append({"q": someone})
    return found


def api_officers() -> list[dict]:
    """Desk officers of the agencies with the most and the fewest dossiers, with an API token each."""
    from django.db.models import Count

    from motcua.accounts import services as accounts
    from motcua.accounts.models import OfficerMembership
    from motcua.dossiers import rules
    from motcua.dossiers.models import Dossier

    sizes = list(
        Dossier.objects.values("agency_id")
        .annotate(n=Count("id"))
        .order_by("-n")
        .values_list("agency_id", "n")
    )
    found = []
    for label, (agency_id, n) in (("large", sizes[0]), ("small", sizes[-1])):
        membership = (
            OfficerMembership.objects.filter(agency_id=agency_id, role="desk").select_related("user").first()
        )
        if membership is None:
            continue
        _token, raw = accounts.create_api_token(membership.user, name="bench")
        returned = rules.visible_dossiers(membership.user).filter(status=10).count()
        pages = max((returned + API_PAGE_SIZE - 1) // API_PAGE_SIZE, 1)
        found.append(
            {"size": label, "username": membership.user.username, "user_id": membership.user_id, "token": raw,
             "dossiers": n, "agency": membership.agency_id, "deep": min(API_DEEP_PAGE, pages)}
        )  # fmt: skip
    return found


# --- kinds of requests ------------------------------------------------------------------


def page_path(queue: str, page: int | None = None, extra: dict | None = None) -> str:
    params = {"hang-doi": queue, **(extra or {})}
    if page and page > 1:
        params["trang"] = str(page)
    return "/mot-cua/?" + urllib.parse.urlencode(params)


def html_kinds(officers: list[dict], filters: dict[str, list[dict]]) -> dict[str, list[tuple[str, str]]]:
    """kind -> [(path, username)] over the officers of that queue."""
    kinds: dict[str, list[tuple[str, str]]] = {}
    for o in officers:
        q = o["queue"]
        kinds.setdefault(f"{q} p1", []).append((page_path(q), o["username"]))
        for extra in filters[o["agency"]]:
            kinds.setdefault(f"{q} p1+filter", []).append((page_path(q, 1, extra), o["username"]))
        kinds.setdefault(f"{q} p{DEEP_PAGE}|last", []).append((page_path(q, o["deep"]), o["username"]))
        kinds.setdefault(f"{q} last page", []).append((page_path(q, o["pages"]), o["username"]))
    return kinds


def api_kinds(officers: list[dict]) -> dict[str, list[tuple[str, str]]]:
    kinds: dict[str, list[tuple[str, str]]] = {}
    for o in officers:
        for status in API_STATUSES:
            kinds.setdefault(f"api ?status={status}", []).append(
                (f"/api/v1/dossiers/?status={status}", o["token"])
            )
        kinds.setdefault(f"api ?status=10&page={API_DEEP_PAGE}|last", []).append(
            (f"/api/v1/dossiers/?status=10&page={o['deep']}", o["token"])
        )
    return kinds


def spread(choices: list, count: int) -> list:
    return [choices[i % len(choices)] for i in range(count)]


# --- SQL queries per request, in this process ------------------------------------------------------------


def count_queries(officers: list[dict], api: list[dict], filters, explain: bool) -> list[dict]:
    """Each kind of page for the officers of the large and the small agency, page 1 and deep page, through
    Django's test client against the same database: SQL queries and time (after one warm-up request)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from motcua.accounts.models import User

    rows = []

    def run(kind, label, path, client):
        client.get(path)  # warm: templates, translations, this process's caches
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(path)
            seconds = time.perf_counter() - started
        queries = [(float(q["time"] or 0), q["sql"]) for q in captured.captured_queries]
        if response.get("Content-Type", "").startswith("application/json"):
            empty = not response.json().get("results")
        else:
            empty = b"queue-table" not in response.content
        rows.append(
            {"kind": kind, "who": label, "path": path, "status": response.status_code, "empty": empty,
             "queries": len(queries), "ms": seconds * 1000, "sql": queries}
        )  # fmt: skip

    for o in officers:
        if o["size"] == "middle":
            continue
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(pk=o["user_id"]))
        label = f"{o['size']} ({o['agency']}, {o['total']} in queue)"
        run(f"{o['queue']} page", label + " p1", page_path(o["queue"]), client)
        run(f"{o['queue']} page", label + f" p{o['deep']}", page_path(o["queue"], o["deep"]), client)
        run(f"{o['queue']} page", label + f" p{o['pages']}", page_path(o["queue"], o["pages"]), client)
        extra = filters[o["agency"]][0]
        run(f"{o['queue']} page+filter", label, page_path(o["queue"], 1, extra), client)
    for o in api:
        client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {o['token']}")
        label = f"{o['size']} agency ({o['dossiers']} dossiers)"
        for status in API_STATUSES:
            run("api list", label + f" status={status}", f"/api/v1/dossiers/?status={status}", client)
        run(
            "api list",
            label + f" status=10 p{o['deep']}",
            f"/api/v1/dossiers/?status=10&page={o['deep']}",
            client,
        )
    return rows


def explain_slowest(rows: list[dict], limit: int) -> list[tuple[str, float, str, str]]:
    """EXPLAIN ANALYZE of the slowest distinct queries of the large agency's requests (PostgreSQL)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    seen = {}
    for row in rows:
        if not row["who"].startswith("large"):
            continue
        for seconds, sql in row["sql"]:
            key = re.sub(r"\d+", "N", sql)[:400]
            if key not in seen or seen[key][0] < seconds:
                seen[key] = (seconds, sql, f"{row['kind']} · {row['who']}")
    plans = []
    for seconds, sql, where in sorted(seen.values(), reverse=True)[:limit]:
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        plans.append((where, seconds * 1000, sql, plan))
    return plans


# --- main ------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200, help="requests per kind")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 cores: 4 sync workers)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--healthz", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=5000, help="seed_load --batch")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest queries (PG)")
    parser.add_argument("--explain-limit", type=int, default=6)
    parser.add_argument(
        "--max-seconds", type=float, default=60, help="time limit per kind of request (0: none)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="a database this benchmark filled before: measure it as it is (no loading, no seeding)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    server = None
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-bench-backoffice-") as tmp_name:
            tmp = Path(tmp_name)
            env = setup_environment(tmp)
            database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite (WAL)"
            print(f"database: {database}; seeding {args.dossiers:,} dossiers…", flush=True)
            seeded = build_database(args.dossiers, args.seed, args.batch, args.reuse)
            officers = pick_officers()
            filters = {o["agency"]: filter_params(o["agency"], rng) for o in officers}
            api = api_officers()
            print("officers measured (queue, agency size, account, dossiers in queue, pages):")
            for o in officers:
                print(f"  {o['queue']:10} {o['size']:6} {o['username']:34} {o['total']:8,} {o['pages']:6,}")
            for o in api:
                print(
                    f"  API        {o['size']:6} {o['username']:34} {o['dossiers']:8,} dossiers of the agency"
                )

            port = free_port()
            server = start_server(env, port, args.workers, args.threads, tmp)
            sessions = {o["username"]: login(port, o["username"]) for o in officers}
            kinds = {
                kind: [(path, {"Cookie": sessions[user]}) for path, user in jobs]
                for kind, jobs in html_kinds(officers, filters).items()
            }
            kinds.update(
                {
                    kind: [(path, {"Authorization": f"Bearer {token}"}) for path, token in jobs]
                    for kind, jobs in api_kinds(api).items()
                }
            )
            # Warm every worker: imports, templates, connections, the database's cache.
            measure(port, [("/healthz", {})] * 100, args.concurrency)
            for jobs in kinds.values():
                measure(port, spread(jobs, 2 * args.workers), args.concurrency)
            load_before = os.getloadavg()[0]
            results = {
                "/healthz (baseline)": measure(port, [("/healthz", {})] * args.healthz, args.concurrency)
            }
            for kind, jobs in kinds.items():
                print(f"  measuring {kind}…", flush=True)
                results[kind] = measure(port, spread(jobs, args.requests), args.concurrency, args.max_seconds)
            load = (load_before, os.getloadavg()[0])
            stop(server)
            server = None

            queries = count_queries(officers, api, filters, args.explain)
            plans = explain_slowest(queries, args.explain_limit) if args.explain else []
            failed = report(args, database, seeded, results, queries, plans, load)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop(server)
    return 1 if failed else 0


def report(args, database, seeded, results, queries, plans, load) -> bool:
    how = (
        f"seeded in {seeded['seconds']:.0f} s ({seeded['rate']:,.0f} dossiers/s)"
        if seeded["seconds"]
        else "already there (--reuse)"
    )
    print(
        f"\n{database}; {seeded['dossiers']:,} dossiers {how}; gunicorn {args.workers} workers × "
        f"{args.threads} thread(s) (deploy/gunicorn.conf.py), {args.concurrency} client threads, "
        f"{args.requests} requests per kind (at most {args.max_seconds:.0f} s each)"
    )
    baseline = results["/healthz (baseline)"]["rps"]
    print(
        f"\n{'kind of request':34} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7} "
        f"{'vs healthz':>10}"
    )
    failed = False
    worst = 0.0
    for kind, r in results.items():
        print(
            f"{kind:34} {r['count']:6d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f} "
            f"{r['rps']:7.1f} {r['rps'] / baseline:10.1%}"
        )
        if kind != "/healthz (baseline)":
            worst = max(worst, r["p95_ms"])
        if r["failures"]:
            failed = True
            print(f"  {len(r['failures'])} failed, e.g. {r['failures'][:2]}")
    print(f"\nworst p95: {worst:.1f} ms; target p95 < 100 ms: {'met' if worst < 100 else 'MISSED'}")
    cores = os.cpu_count() or 1
    print(
        f"load average (1 min) of the machine: {load[0]:.1f} before the measured phase, {load[1]:.1f} after, "
        f"{cores} cores"
        + (" — other work shared the CPUs: latencies are inflated" if min(load) > cores else "")
    )

    print("\nSQL queries per request (in-process, Django test client, same database):")
    by_kind: dict[str, set[int]] = {}
    for row in queries:
        if not row["empty"]:  # an empty page skips the query of its rows
            by_kind.setdefault(row["kind"], set()).add(row["queries"])
        print(
            f"  {row['kind']:22} {row['who']:58} {row['status']:4d} {row['queries']:3d} queries "
            f"{row['ms']:8.1f} ms{'  (empty)' if row['empty'] else ''}"
        )
    for kind, counts in by_kind.items():
        constant = len(counts) == 1
        failed = failed or not constant
        print(
            f"{'PASS' if constant else 'FAIL'}  {kind}: {sorted(counts)} queries whatever the agency and page"
        )
    for kind in ("finished page", "api list"):
        sample = next((r for r in queries if r["kind"] == kind and r["who"].startswith("large")), None)
        if sample:
            print(f"\nthe queries of {kind} ({sample['who']}), ms each:")
            for seconds, sql in sample["sql"]:
                print(f"  {seconds * 1000:7.1f}  {sql[:150]}")
    for where, ms, sql, plan in plans:
        print(f"\n--- {ms:.1f} ms · {where}\n{sql[:1500]}\n{plan}")
    return failed


if __name__ == "__main__":
    sys.exit(main())
