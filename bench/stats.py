#!/usr/bin/env python
"""Statistics benchmark: the public statistics page and the indicators API over 1,000,000 dossiers, through
HTTP, against the direct count over the dossier table in the same run.

It builds its own database as ``bench/backoffice.py`` does (a temporary SQLite file, or the PostgreSQL of
DATABASE_URL, which it migrates and fills: give it a throwaway database): the demo catalogue and officers,
then ``manage.py seed_load`` (two years of dossiers with their applicants' accounts, papers, charges and
payments, ratings; the statistics' ledger and daily facts rebuilt at the end, see ``dossiers.loadtest``).
It starts gunicorn on 127.0.0.1 with the production configuration (deploy/gunicorn.conf.py, DEBUG=0) and
measures, after a warm-up, with ``--requests`` requests each:

- ``GET /thong-ke/``: the public statistics page (the province's current year), when this tree has it
  (skipped with a note while the page answers 404), computed for every request (the page cache, which keeps
  an answer a minute, is turned off unless ``--page-cache``);
- ``GET /api/v1/stats/indicators/?from=<1 January>&to=<today>&agency=<code>`` for random agencies;
- the same for the whole province, and with ``group_by=agency`` (every agency's report in one answer);

and, in this process, the baseline: ``stats.recount.direct_counts(received_at__gte=<1 January>)``, the same
figures counted with GROUP BY over the dossiers received this year (what the pages would cost without the
daily facts). It prints p50/p95/max per target, PASS/MISS against the issue's target (p95 under 300 ms on
PostgreSQL, under 1 s on SQLite; nothing is asserted) and each target's p95 as a share of the direct count.
With ``--explain`` it prints the plans of the queries one province answer runs (EXPLAIN ANALYZE on
PostgreSQL, EXPLAIN QUERY PLAN on SQLite).

    .venv/bin/python bench/stats.py [--dossiers 1000000] [--requests 120] [--concurrency 2]
    .venv/bin/python bench/stats.py --dossiers 100000                       # a quicker run
    .venv/bin/python bench/stats.py --dossiers 100000 --var /tmp/stats-db    # keep the SQLite database …
    .venv/bin/python bench/stats.py --var /tmp/stats-db --reuse             # … and measure it again
    DATABASE_URL=postgres://… .venv/bin/python bench/stats.py --explain
"""

import argparse
import os
import random
import signal
import statistics
import sys
import tempfile
import time
import urllib.parse
from contextlib import nullcontext
from datetime import datetime
from pathlib import Path

from backoffice import build_database, measure, setup_environment, start_server, stop
from harness import ROOT, free_port, raw_request

sys.path.insert(0, str(ROOT / "src"))

TARGET_MS = {"PostgreSQL": 300.0, "SQLite (WAL)": 1000.0}
PAGE = "/thong-ke/"
API = "/api/v1/stats/indicators/"


def year_bounds():
    from django.utils import timezone

    today = timezone.localdate()
    return today.replace(month=1, day=1), today


def api_path(**params) -> str:
    first, today = year_bounds()
    query = {"from": first.isoformat(), "to": today.isoformat(), **params}
    return API + "?" + urllib.parse.urlencode(query)


def agency_codes() -> list[tuple[str, int]]:
    """(code, dossiers received in two years) of every active agency that receives dossiers, the busiest
    first (counted from the daily facts: the dossiers' own count would cost as much as the baseline)."""
    from django.db.models import Sum

    from motcua.catalog.models import Agency
    from motcua.stats.models import DailyFact

    received = dict(
        DailyFact.objects.values("agency_id").annotate(n=Sum("received")).values_list("agency_id", "n")
    )
    agencies = Agency.objects.filter(is_active=True, procedures__is_active=True).distinct()
    rows = [(code, received.get(pk) or 0) for pk, code in agencies.values_list("pk", "code")]
    return sorted(rows, key=lambda row: (-row[1], row[0]))


def direct_count_baseline(times: int) -> dict:
    """Seconds of ``direct_counts`` over the dossiers received this year, ``times`` times, in this process."""
    from django.db import connections
    from django.utils import timezone

    from motcua.stats.recount import direct_counts

    first, _today = year_bounds()
    since = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    seconds, keys = [], 0
    for _ in range(times):
        started = time.perf_counter()
        keys = len(direct_counts(received_at__gte=since))
        seconds.append(time.perf_counter() - started)
    connections.close_all()
    return {"runs": seconds, "median": statistics.median(seconds), "keys": keys}


def explain_province(database: str) -> list[tuple[str, float, str]]:
    """The queries of one province answer (test client, this process) with their plans."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    path = api_path()
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        return [("", 0.0, f"{path} answered {response.status_code}")]
    plans = []
    for query in captured.captured_queries:
        sql = query["sql"]
        if not sql.lstrip().upper().startswith("SELECT"):
            continue
        prefix = "EXPLAIN (ANALYZE, BUFFERS) " if database == "PostgreSQL" else "EXPLAIN QUERY PLAN "
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql)
            plan = "\n".join(" ".join(str(c) for c in row) for row in cursor.fetchall())
        plans.append((sql, float(query["time"] or 0) * 1000, plan))
    return sorted(plans, key=lambda p: -p[1])


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=120, help="measured requests per target")
    parser.add_argument("--warmup", type=int, default=10, help="requests per target before measuring")
    parser.add_argument("--concurrency", type=int, default=2, help="client threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (sync)")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (1: sync workers)")
    parser.add_argument("--baseline-runs", type=int, default=3, help="direct counts timed (median taken)")
    parser.add_argument("--batch", type=int, default=5000, help="seed_load --batch")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--explain", action="store_true", help="plans of a province answer's queries")
    parser.add_argument(
        "--page-cache",
        action="store_true",
        help="keep the public pages' cache (a minute): the page is then measured mostly as a cache hit",
    )
    parser.add_argument(
        "--var", type=Path, help="folder of the SQLite database and files (default: a temporary one)"
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="a database this benchmark filled before (--var, or DATABASE_URL): measure it as it is",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    server = None
    folder = (
        nullcontext(str(args.var)) if args.var else tempfile.TemporaryDirectory(prefix="motcua-bench-stats-")
    )
    try:
        with folder as tmp_name:
            tmp = Path(tmp_name)
            tmp.mkdir(parents=True, exist_ok=True)
            env = setup_environment(tmp)
            # The API's anonymous limit (60/min per address) would answer most measured requests with 429.
            env["MOTCUA_API_RATE_ANON"] = os.environ["MOTCUA_API_RATE_ANON"] = ""
            if not args.page_cache:
                # The page keeps an answer a minute: measured as computed, not as a cache hit.
                env["MOTCUA_PAGE_CACHE_SECONDS"] = os.environ["MOTCUA_PAGE_CACHE_SECONDS"] = "0"
            database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite (WAL)"
            print(f"database: {database}; seeding {args.dossiers:,} dossiers…", flush=True)
            seeded = build_database(args.dossiers, args.seed, args.batch, args.reuse)
            agencies = agency_codes()
            print(
                f"{len(agencies)} agencies receive dossiers; the busiest {agencies[0][0]} "
                f"({agencies[0][1]:,} dossiers), the quietest {agencies[-1][0]} ({agencies[-1][1]:,})",
                flush=True,
            )
            print(f"baseline: direct count over the dossiers received this year, {args.baseline_runs}×…")
            baseline = direct_count_baseline(args.baseline_runs)
            plans = explain_province(database) if args.explain else []

            port = free_port()
            server = start_server(env, port, args.workers, args.threads, tmp)
            targets = {
                "API one agency": [
                    (api_path(agency=rng.choice(agencies)[0]), {}) for _ in range(args.requests)
                ],
                "API province": [(api_path(), {})] * args.requests,
                "API province group_by=agency": [(api_path(group_by="agency"), {})] * args.requests,
            }
            status = raw_request(port, "GET", PAGE)[0]
            if status == 200:
                targets = {"page /thong-ke/": [(PAGE, {})] * args.requests, **targets}
            else:
                print(f"{PAGE} answered {status}: the page is not in this tree yet; measuring the API only")
            measure(port, [("/healthz", {})] * 20, args.concurrency)
            results = {}
            for name, jobs in targets.items():
                measure(port, jobs[: args.warmup], args.concurrency)  # warm: this target's code and data
                print(f"  measuring {name}…", flush=True)
                results[name] = measure(port, jobs, args.concurrency)
            load = os.getloadavg()[0]
            stop(server)
            server = None
            report(args, database, seeded, baseline, results, plans, load)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            stop(server)
    return 0


def report(args, database, seeded, baseline, results, plans, load) -> None:
    how = (
        f"seeded in {seeded['seconds']:.0f} s ({seeded['rate']:,.0f} dossiers/s, statistics rebuilt included)"
        if seeded["seconds"]
        else "already there (--reuse)"
    )
    target = TARGET_MS[database]
    base_ms = baseline["median"] * 1000
    runs = ", ".join(f"{s * 1000:.0f}" for s in baseline["runs"])
    print(
        f"\n{database}; {seeded['dossiers']:,} dossiers {how}; gunicorn {args.workers} workers × "
        f"{args.threads} thread(s), {args.concurrency} client threads, {args.requests} requests per target "
        f"after {args.warmup} to warm up; page cache {'on' if args.page_cache else 'off'}"
    )
    print(
        f"baseline, direct count over the dossiers received this year: {base_ms:.0f} ms "
        f"(median of {runs} ms; {baseline['keys']:,} day × agency × procedure × channel rows)"
    )
    print(
        f"\n{'target':32} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'p95 ÷ direct':>13}  "
        f"target p95 < {target:.0f} ms"
    )
    for name, r in results.items():
        verdict = "PASS" if r["p95_ms"] < target and not r["failures"] else "MISS"
        print(
            f"{name:32} {r['count']:6d} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['max_ms']:8.1f} "
            f"{r['p95_ms'] / base_ms:13.3f}  {verdict}"
        )
        if r["failures"]:
            print(f"  {len(r['failures'])} failed, e.g. {r['failures'][:2]}")
    cores = os.cpu_count() or 1
    print(
        f"load average (1 min) at the end: {load:.1f} on {cores} cores"
        + (" — other work shared the CPUs: latencies are inflated" if load > cores else "")
    )
    for sql, ms, plan in plans:
        print(f"\n--- {ms:.1f} ms\n{sql[:1500]}\n{plan}")


if __name__ == "__main__":
    sys.exit(main())
