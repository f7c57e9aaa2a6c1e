#!/usr/bin/env python
"""Search benchmark: 2,000 procedures, 1,000 realistic queries through the real HTTP stack.

It builds its own database (a temporary SQLite file, or the PostgreSQL of DATABASE_URL, which it migrates
and fills: give it a throwaway database), varies the demo catalogue up to 2,000 procedures, starts gunicorn
on 127.0.0.1, and measures, from the same client on the same server:

- ``/healthz`` (the baseline: a request that only asks the database for SELECT 1),
- ``/api/v1/procedures/?q=…`` and the portal's ``/thu-tuc/?q=…`` for 1,000 queries each.

It prints p50/p95 latency and requests per second for each, and throughput as a share of the baseline.
Targets (issue #2): search p95 under 50 ms, throughput at least 40 % of /healthz.

    .venv/bin/python bench/search.py [--procedures 2000] [--queries 1000] [--concurrency 4]
                                     [--cache shared|local|off]
    DATABASE_URL=postgres://… .venv/bin/python bench/search.py
"""

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from harness import ROOT, free_port, run_threads

sys.path.insert(0, str(ROOT / "src"))

# What citizens type: with and without diacritics, in capitals, one word or a phrase, sometimes a code.
QUERIES = [
    "dang ky khai sinh",
    "khai sinh",
    "ĐĂNG KÝ KHAI SINH",
    "Đăng ký kết hôn",
    "ket hon",
    "khai tu",
    "xac nhan tinh trang hon nhan",
    "tình trạng hôn nhân",
    "thuong tru",
    "đăng ký tạm trú",
    "tam tru",
    "ho kinh doanh",
    "đăng ký hộ kinh doanh",
    "giay phep xay dung",
    "cấp giấy phép xây dựng",
    "quyen su dung dat",
    "giấy chứng nhận quyền sử dụng đất",
    "tach thua",
    "chung thuc ban sao",
    "chứng thực chữ ký",
    "ly lich tu phap",
    "hộ chiếu",
    "ho chieu pho thong",
    "can cuoc",
    "tro cap xa hoi",
    "chuyen truong",
    "giay phep lai xe",
    "doi giay phep lai xe",
    "thanh lap doanh nghiep",
    "cong ty tnhh",
    "bao hiem xa hoi",
    "thai san",
    "1.001193",
    "2.000635",
    "cap lai",
    "nuoi con nuoi",
    "giam ho",
    "moi truong",
    "phong chay chua chay",
    "dat dai",
]
FILTERS = [{}, {}, {}, {"authority_level": "commune"}, {"service_level": "full"}]
# Broad words that fill more than one page, for the requests that ask for page 2.
BROAD = ["dang ky", "cap", "giay chung nhan", "thu tuc", "ho"]


def setup_environment(tmp: Path, cache_mode: str = "shared") -> dict:
    env = dict(os.environ)
    if cache_mode == "shared" and not env.get("REDIS_URL"):
        # Production shares one cache between workers (REDIS_URL); a folder plays that part here.
        env["MOTCUA_CACHE_DIR"] = str(tmp / "cache")
    elif cache_mode == "off":
        env["MOTCUA_PAGE_CACHE_SECONDS"] = "0"
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-" + "x" * 20,
            "HTTPS": "0",  # plain HTTP on loopback: production would redirect it to HTTPS
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "MOTCUA_VAR_DIR": str(tmp),
            "MEDIA_ROOT": str(tmp / "media"),
            "STATIC_ROOT": str(tmp / "static"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    os.environ.update(env)
    return env


def build_catalogue(target: int) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    call_command("load_demo", verbosity=0)
    from motcua.catalog import services
    from motcua.catalog.models import Procedure

    base = [services.procedure_to_record(p) for p in services.export_queryset().order_by("code")]
    variants = [
        "(cấp lại)",
        "(trường hợp có yếu tố nước ngoài)",
        "(thực hiện tại cấp tỉnh)",
        "liên thông",
        "đối với người dưới 14 tuổi",
        "(điều chỉnh, bổ sung)",
    ]
    missing = target - Procedure.objects.count()
    records = []
    for i in range(max(missing, 0)):
        record = dict(base[i % len(base)])
        record["code"] = f"8.{i:06d}"
        record["name"] = f"{record['name']} {variants[i % len(variants)]} {i // len(base) + 1}"
        record["popularity"] = random.randint(0, 500)
        for component in record["components"]:
            component["form_template"] = ""
        records.append(record)
    for start in range(0, len(records), 250):
        services.import_records(records[start : start + 250])
    return Procedure.objects.count()


def start_server(env: dict, port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "motcua.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if get(port, "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start within 30 s")


def get(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Language": "vi"})
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        connection.close()


def measure(port: int, paths: list[str], concurrency: int) -> dict:
    """Send every path once, from ``concurrency`` client threads; return latency and throughput."""
    latencies: list[float] = []
    failures: list[tuple[str, int]] = []
    lock = threading.Lock()
    queue = list(paths)

    def worker():
        while True:
            with lock:
                if not queue:
                    return
                path = queue.pop()
            status, seconds = get(port, path)
            with lock:
                latencies.append(seconds)
                if status != 200:
                    failures.append((path, status))

    elapsed = run_threads(concurrency, worker)
    latencies.sort()
    return {
        "count": len(latencies),
        "failures": failures,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "rps": len(latencies) / elapsed,
    }


def search_paths(prefix: str, count: int, rng: random.Random) -> list[str]:
    paths = []
    for n in range(count):
        if n % 10 == 9:
            params = {"q": rng.choice(BROAD), "page": "2"}
        else:
            params = {"q": rng.choice(QUERIES), **rng.choice(FILTERS)}
        paths.append(f"{prefix}?{urllib.parse.urlencode(params)}")
    return paths


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--procedures", type=int, default=2000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument(
        "--cache",
        choices=["shared", "local", "off"],
        default="shared",
        help="shared: one cache for both workers (REDIS_URL if set, else a folder), as in production; "
        "local: each worker its own in-process cache (the embedded default); off: no page cache "
        "(the in-memory search index stays: it is how search works)",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    random.seed(args.seed)

    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        env = setup_environment(Path(tmp), args.cache)
        database = "PostgreSQL" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
        print(f"database: {database}; building the catalogue…", flush=True)
        built = time.perf_counter()
        total = build_catalogue(args.procedures)
        print(f"catalogue: {total} procedures in {time.perf_counter() - built:.1f} s", flush=True)

        port = free_port()
        server = start_server(env, port)
        try:
            # Warm both workers (imports, connections, template caches) before measuring.
            measure(port, ["/healthz"] * 50 + search_paths("/api/v1/procedures/", 50, rng), args.concurrency)
            results = {
                "/healthz (baseline)": measure(port, ["/healthz"] * args.queries, args.concurrency),
                "/api/v1/procedures/?q=": measure(
                    port, search_paths("/api/v1/procedures/", args.queries, rng), args.concurrency
                ),
                "/thu-tuc/?q= (portal page)": measure(
                    port, search_paths("/thu-tuc/", args.queries, rng), args.concurrency
                ),
            }
        finally:
            server.terminate()
            server.wait(timeout=10)

    baseline = results["/healthz (baseline)"]["rps"]
    print(
        f"\n{args.queries} requests each, {args.concurrency} concurrent clients, gunicorn 2 workers, "
        f"cache: {args.cache}"
    )
    print(f"{'endpoint':32} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'vs healthz':>10}")
    failed = False
    for name, r in results.items():
        print(f"{name:32} {r['p50_ms']:8.1f} {r['p95_ms']:8.1f} {r['rps']:8.1f} {r['rps'] / baseline:10.0%}")
        if r["failures"]:
            failed = True
            print(f"  {len(r['failures'])} failed requests, e.g. {r['failures'][:3]}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
