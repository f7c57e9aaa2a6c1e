#!/usr/bin/env python
"""What each kind of page costs the server: CPU milliseconds and database queries per request.

It builds the same database as bench/burst.py (a temporary SQLite file, or the PostgreSQL of DATABASE_URL:
give it a throwaway database), then asks for every kind of page the burst's citizens click through Django's
whole stack in this process (all the middleware, no HTTP server), ``--requests`` times each with different
targets, and prints per kind the CPU time of the process (``time.process_time``: unlike wall time it stays
honest on a busy machine) and the queries, once without the page cache and once answered from it. These
are the figures docs/sizing.md multiplies out; bench/burst.py adds the HTTP server and the concurrency.

    .venv/bin/python bench/page_cost.py [--requests 200] [--procedures 2000] [--dossiers 20000]
"""

import argparse
import contextlib
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from burst import ANONYMOUS_MIX, SIGNED_IN_MIX, build_database, click, setup_environment
from harness import ROOT

sys.path.insert(0, str(ROOT / "src"))


def measure(client, paths: list[str], headers: dict) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cpu, queries, failures = [], [], []
    for path in paths:
        with CaptureQueriesContext(connection) as captured:
            started = time.process_time()
            response = client.get(path, headers=headers)
            cpu.append(time.process_time() - started)
        queries.append(len(captured))
        if response.status_code != 200:
            failures.append((path, response.status_code))
    return {"cpu_ms": statistics.mean(cpu) * 1000, "queries": statistics.mean(queries), "failures": failures}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per kind of page")
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    random.seed(args.seed)
    with tempfile.TemporaryDirectory(prefix="motcua-cost-") as folder:
        setup_environment(Path(folder), "local", None)
        os.environ["MOTCUA_PAGE_CACHE_SECONDS"] = "300"
        import django

        django.setup()
        targets = build_database(args.procedures, 1, args.dossiers)
        return report(args, rng, targets)


def report(args, rng: random.Random, targets: dict) -> int:
    from django.core.cache import cache
    from django.test import Client, override_settings

    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="vi")
    session = targets["sessions"][0]
    signed_in = {"Cookie": session["cookie"]}
    print(f"\n{'page':16} {'CPU ms':>8} {'queries':>8} {'cached':>8} {'queries':>8}")
    failed = False
    for kind in SIGNED_IN_MIX:
        headers = signed_in if kind not in ANONYMOUS_MIX else {}
        paths = [click(kind, rng, targets, session) for _ in range(args.requests)]
        for path in paths[:3]:  # warm: imports, template loading, the search index
            client.get(path, headers=headers)
        with override_settings(MOTCUA_PAGE_CACHE_SECONDS=0):
            cold = measure(client, paths, headers)
        cache.clear()
        measure(client, paths, headers)  # fills the cache
        warm = measure(client, paths, headers)
        figures = (cold["cpu_ms"], cold["queries"], warm["cpu_ms"], warm["queries"])
        print(f"{kind:16} " + " ".join(f"{value:8.2f}" for value in figures))
        if cold["failures"] or warm["failures"]:
            failed = True
            print(f"  failed: {(cold['failures'] + warm['failures'])[:3]}")
    with contextlib.suppress(Exception):
        from django.db import connections

        connections.close_all()
    print("\n'cached': the same addresses again, from the page cache when the page is cacheable")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
