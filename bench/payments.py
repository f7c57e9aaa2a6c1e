#!/usr/bin/env python
"""Payment callbacks benchmark: 2,000 signed IPN calls (each of 200 payments 10 times, shuffled) from 20
threads at a gunicorn server, on SQLite and on PostgreSQL; every payment must be paid exactly once.

Per backend it builds a fresh database (a temporary SQLite file; for PostgreSQL the database of
DATABASE_URL, which it migrates and fills, so give it a throwaway one, or, without DATABASE_URL, a
throwaway cluster it starts itself on 127.0.0.1 with this machine's ``initdb``/``pg_ctl`` and removes
afterwards). It seeds, through the real services: a procedure, an agency with a ``sandbox`` gateway account
(the sandbox merchant ``MOTCUA_PAYMENT_SANDBOX_MERCHANT``, secret ``MOTCUA_PAYMENT_SANDBOX_SECRET``), a
citizen, 200 dossiers sent, received and assigned, each with a payment requested by the specialist
(``payments.services.request_charge``: the dossier waits in status 6), and 200 pending payments opened with
``payments.services.open_checkout``. For each it builds the IPN query the gateway sends: ``vnp_*`` fields
with success codes, the payment's amount and a transaction number, signed with ``protocol.sign``.

It then starts gunicorn on 127.0.0.1 with the production configuration (deploy/gunicorn.conf.py, DEBUG=0,
``--workers`` sync workers), measures ``/healthz`` (the baseline: SELECT 1) from the same client threads,
and sends the 2,000 ``GET /thanh-toan/sandbox/ipn/?…`` (the list shuffled with ``--seed``), one request
per connection. It prints callbacks/s, p50/p95/p99/max, the ratio to /healthz req/s and the count of each
``RspCode`` (expected: 200 × "00", 1,800 × "02"), the latency of the paying callbacks (00) and of the
repeats (02), and how many repeats were in flight while their payment's paying callback was (they wait for
its row locks: the concurrency the "pay once" rule was actually put to). Then it checks through the ORM:
200 payments paid, each with its ``paid_at`` and one ``payment.paid`` audit entry; each charge paid once, by
its payment, nothing refunded; each dossier back in processing with one ``payment_received`` event; 2,000
callbacks stored verbatim and verified, one "00" per payment; the audit chain verifies. PASS/FAIL per
check, exit code 1 on any FAIL. Everything started here (gunicorn, Redis, the PostgreSQL cluster) is
stopped, also on failure.

What a callback costs is the web tier's: the e-mail each payment queues goes, as in production, to a Redis
broker started here (``--tasks celery``, the default when redis-server is installed) and no worker sends
it; ``--tasks inprocess`` sends it from the gunicorn workers' threads, ``eager`` inside the request. The
seed queues nothing (its receipts are not measured). A throwaway cluster runs with fsync on, as production.
Seeding takes about 30 s per backend, the callbacks about 30 s; ``--backend both`` runs about 2.5 minutes.

    .venv/bin/python bench/payments.py [--backend sqlite|postgres|both] [--payments 200] [--repeat 10]
                                       [--threads 20] [--workers 4] [--tasks celery|inprocess|eager]
    .venv/bin/python bench/payments.py --threads 1 --payments 60 --repeat 3   # service times, no queueing
    DATABASE_URL=postgres://… .venv/bin/python bench/payments.py --backend postgres
"""

import argparse
import contextlib
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from harness import (
    ROOT,
    Processes,
    die_with_parent,
    free_port,
    gunicorn_argv,
    percentile,
    production_environment,
    raw_request,
    run_threads,
    wait_until_healthy,
)
from submit import queued_tasks, source_version, start_redis

sys.path.insert(0, str(ROOT / "src"))

PG_BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))


# --- PostgreSQL: a throwaway cluster ------------------------------------------------------------------


class Cluster:
    """A PostgreSQL cluster in a temporary folder on 127.0.0.1 (as ``.ci/run`` starts one); as root, the
    server runs as the ``postgres`` system user (initdb refuses root)."""

    def __init__(self):
        self.bin = PG_BINARIES[-1].parent
        # Its own folder: the benchmark's temporary folder is private to root, where postgres cannot enter.
        self.folder = Path(tempfile.mkdtemp(prefix="motcua-bench-payments-pg-"))
        self.port = free_port()
        self.started = False
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def run(self, *argv):
        subprocess.run([*self.as_user, *argv], check=True, stdout=subprocess.DEVNULL, cwd="/")

    def start(self) -> str:
        if self.as_user:
            shutil.chown(self.folder, "postgres")
        data = self.folder / "data"
        self.run(str(self.bin / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                 "--locale=C.UTF-8")  # fmt: skip
        # Durable as in production (fsync on); enough connections for the workers and this process.
        self.started = True
        self.run(str(self.bin / "pg_ctl"), "-D", str(data), "-l", str(self.folder / "server.log"), "-w",
                 "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1", "start")  # fmt: skip
        self.run(str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                 "motcua_bench_payments")  # fmt: skip
        return f"postgres://postgres@127.0.0.1:{self.port}/motcua_bench_payments"

    def stop(self) -> None:
        if self.started:
            with contextlib.suppress(subprocess.CalledProcessError, OSError):
                self.run(
                    str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast", "-w", "stop"
                )
            self.started = False
        shutil.rmtree(self.folder, ignore_errors=True)


# --- the database ------------------------------------------------------------------------------------


def seed(count: int, rng: random.Random) -> list[dict]:
    """The seeded world through the real services; per payment, its reference, amount and IPN query."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.utils import translation

    from motcua.dossiers.models import Dossier

    call_command("migrate", verbosity=0)
    if Dossier.objects.exists():
        raise SystemExit("The database already holds dossiers: give the benchmark a throwaway database.")
    # No collectstatic (a minute here): the IPN answers JSON and /healthz text, neither names a static file.
    from unittest import mock

    # The seed's own e-mails (receipts of the submissions, the payment requests) are not measured here and
    # would render 400 PDFs: nothing is queued while seeding.
    with translation.override("vi"), mock.patch("motcua.core.tasks.dispatch"):
        payments = _seed(count, rng)
    secret = settings.MOTCUA_PAYMENT_SANDBOX_SECRET
    merchant = settings.MOTCUA_PAYMENT_SANDBOX_MERCHANT
    for n, p in enumerate(payments):
        p["query"] = ipn_query(p, merchant=merchant, secret=secret, transaction_no=str(14_300_000 + n))
    connections.close_all()  # gunicorn's workers open their own
    return payments


def _seed(count: int, rng: random.Random) -> list[dict]:
    from datetime import date

    from motcua.accounts import services as accounts
    from motcua.accounts.models import OfficerRole
    from motcua.catalog.tests.factories import make_agency, make_procedure
    from motcua.dossiers import services as dossier_services
    from motcua.dossiers.tests.fixtures import SCHEMA, UI, make_officer, pdf_bytes, upload
    from motcua.forms import services as form_services
    from motcua.forms.models import OnlineForm
    from motcua.payments import services as payments
    from motcua.payments.models import GatewayAccount

    agency = make_agency(code="000.00.41.H26", slug="ubnd-xa-thanh-toan", name="UBND xã Thanh Toán",
                         level="commune")  # fmt: skip
    procedure = make_procedure(
        code="9.200001", name="Cấp giấy xác nhận (thử tải thanh toán)", agencies=[agency], online_level=4,
        applicant_types=["citizen"],
        methods=[{"channel": "online", "processing_time": "5", "time_unit": "working_day"}],
        components=[
            {"name": "Tờ khai đề nghị", "originals": 1, "is_required": True},
            {"name": "Giấy tờ chứng minh", "photocopies": 1, "is_required": False},
        ],
    )  # fmt: skip
    form_services.publish(
        form_services.save_draft(OnlineForm(procedure=procedure, version=1, schema=SCHEMA, ui=UI))
    )
    # The sandbox merchant: no merchant code or secret variable, so its documented demo ones (settings).
    GatewayAccount.objects.create(agency=agency, gateway="sandbox")
    roles = (OfficerRole.DESK, OfficerRole.LEADER, OfficerRole.SPECIALIST)
    staff = {role: make_officer(f"bench.{role}", agency, role=role) for role in roles}
    citizen = accounts.register_citizen(
        full_name="Trần Thị Thanh", personal_id="031190054321", birth_date=date(1990, 6, 1),
        phone="0912000001", email="thanh.payments@example.com", password="Bench-Payments-2026!",  # noqa: S106
        address="Thôn Đông, xã Thanh Toán",
    )  # fmt: skip
    data = {"full_name": "Trần Thị Thanh", "personal_id": "031190054321", "reason": "Xin cấp giấy xác nhận"}
    pdf = pdf_bytes()
    out = []
    for i in range(count):
        draft = dossier_services.create_draft(procedure=procedure, applicant=citizen, data=data)
        dossier_services.add_attachment(draft, component_order=1, upload=upload(pdf), by=citizen)
        dossier = dossier_services.submit(draft, by=citizen)
        dossier_services.receive(dossier, by=staff[OfficerRole.DESK])
        dossier = dossier_services.assign(
            dossier, by=staff[OfficerRole.LEADER], assignee=staff[OfficerRole.SPECIALIST].username
        )
        amount = rng.randrange(10, 500) * 1000
        payments.request_charge(dossier, by=staff[OfficerRole.SPECIALIST], amount=amount, reason="Lệ phí")
        payment, _checkout = payments.open_checkout(
            dossier, by=citizen, gateway="sandbox", client_ip="203.0.113.7",
            return_url="http://127.0.0.1/thanh-toan/sandbox/tra-ve/",
        )  # fmt: skip
        out.append({"pk": payment.pk, "reference": payment.reference, "amount": payment.amount,
                    "dossier": dossier.pk})  # fmt: skip
        if (i + 1) % 50 == 0:
            print(f"  {i + 1} payments opened", flush=True)
    return out


def ipn_query(payment: dict, *, merchant: str, secret: str, transaction_no: str) -> str:
    """The query string of the gateway's IPN for a successful payment, signed as VNPay signs it."""
    from motcua.payments.contrib.vnpay import protocol

    params = {
        "vnp_TmnCode": merchant,
        "vnp_Amount": protocol.to_vnp_amount(payment["amount"]),
        "vnp_BankCode": "NCB",
        "vnp_BankTranNo": f"VNP{transaction_no}",
        "vnp_CardType": "ATM",
        "vnp_PayDate": time.strftime("%Y%m%d%H%M%S"),
        "vnp_OrderInfo": f"Thanh toan {payment['reference']}",
        "vnp_TransactionNo": transaction_no,
        "vnp_ResponseCode": protocol.SUCCESS,
        "vnp_TransactionStatus": protocol.SUCCESS,
        "vnp_TxnRef": payment["reference"],
        "vnp_SecureHashType": "HmacSHA512",
    }
    params["vnp_SecureHash"] = protocol.sign(params, secret)
    return urlencode(params)


# --- HTTP ------------------------------------------------------------------------------------------


def measure_healthz(port: int, count: int, threads: int) -> dict:
    latencies, failures, lock = [], [], threading.Lock()
    left = [count]

    def worker():
        while True:
            with lock:
                if left[0] <= 0:
                    return
                left[0] -= 1
            status, seconds, _body, _h = raw_request(port, "GET", "/healthz")
            with lock:
                latencies.append(seconds)
                if status != 200:
                    failures.append(status)

    elapsed = run_threads(threads, worker)
    return {"count": len(latencies), "rps": len(latencies) / elapsed, "failures": failures,
            **summary(latencies)}  # fmt: skip


def fire_callbacks(port: int, jobs: list[dict], threads: int, deadline: float) -> tuple[float, list[dict]]:
    """Each job's IPN once, from ``threads`` client threads, in the list's order."""
    import json

    queue, results, lock = list(reversed(jobs)), [], threading.Lock()

    def worker():
        while True:
            with lock:
                if not queue or time.monotonic() > deadline:
                    return
                job = queue.pop()
            started = time.perf_counter()
            status, seconds, body, _h = raw_request(port, "GET", f"/thanh-toan/sandbox/ipn/?{job['query']}")
            try:
                code = json.loads(body).get("RspCode", "?") if status == 200 else f"HTTP {status}"
            except ValueError:
                code = "not JSON"
            with lock:
                results.append(
                    {"reference": job["reference"], "seconds": seconds, "code": code, "started": started}
                )

    return run_threads(threads, worker), results


def overlaps(results: list[dict]) -> dict:
    """The concurrency the locks were put to: payments that had two callbacks in flight at once, the pairs,
    and the latencies of the repeats (02) sent while their payment's paying callback (00) was in flight."""
    by_reference: dict[str, list[dict]] = {}
    for r in results:
        by_reference.setdefault(r["reference"], []).append(r)
    payments = pairs = 0
    behind, alone = [], []
    for calls in by_reference.values():
        spans = sorted((r["started"], r["started"] + r["seconds"]) for r in calls)
        here = sum(1 for i, a in enumerate(spans) for b in spans[i + 1 :] if b[0] < a[1])
        payments += bool(here)
        pairs += here
        paying = next((r for r in calls if r["code"] == "00"), None)
        for r in calls:
            if r["code"] != "02" or paying is None:
                continue
            during = r["started"] < paying["started"] + paying["seconds"] and paying["started"] < (
                r["started"] + r["seconds"]
            )
            (behind if during else alone).append(r["seconds"])
    return {"payments": payments, "pairs": pairs, "behind": behind, "alone": alone}


def summary(latencies: list[float]) -> dict:
    return {
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": percentile(latencies, 0.95) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
        "max_ms": max(latencies, default=float("nan")) * 1000,
    }


# --- checks ---------------------------------------------------------------------------------------------


def run_checks(payments: list[dict], results: list[dict], repeat: int) -> list[tuple[str, bool, str]]:
    import django

    django.setup()
    from django.db.models import Count

    from motcua.audit.models import AuditEntry
    from motcua.audit.selectors import verify_chain
    from motcua.dossiers.models import Dossier, DossierEvent, DossierStatus
    from motcua.payments.models import Charge, ChargeState, Payment, PaymentCallback, PaymentState

    n, sent = len(payments), len(payments) * repeat
    checks = []

    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))

    codes = Counter(r["code"] for r in results)
    firsts = Counter(r["reference"] for r in results if r["code"] == "00")
    check("every callback answered", len(results) == sent, f"{len(results)} of {sent}")
    check(
        f"answers: {n} × 00 and {sent - n} × 02",
        codes == Counter({"00": n, "02": sent - n}),
        ", ".join(f"{c}: {k}" for c, k in sorted(codes.items())),
    )
    check(
        "one 00 answer per payment",
        len(firsts) == n and set(firsts.values()) == {1},
        f"{len(firsts)} payments",
    )
    rows = list(Payment.objects.values("pk", "state", "paid_at", "refunded_amount", "refund_status"))
    paid = [r for r in rows if r["state"] == PaymentState.PAID and r["paid_at"] is not None]
    check(f"{n} payments paid, paid_at set", len(paid) == n == len(rows), f"{len(paid)} paid of {len(rows)}")
    check(
        "nothing refunded (no payment settled twice)",
        not any(r["refunded_amount"] or r["refund_status"] for r in rows),
        f"{sum(1 for r in rows if r['refunded_amount'])} refunded",
    )
    charges = list(Charge.objects.values("pk", "state", "payment", "paid_at"))
    settled = Counter(c["payment"] for c in charges)
    check(
        "each charge paid once, by its payment",
        len(charges) == n
        and all(c["state"] == ChargeState.PAID and c["paid_at"] for c in charges)
        and set(settled) == {r["pk"] for r in rows}
        and set(settled.values()) == {1},
        f"{sum(1 for c in charges if c['state'] == ChargeState.PAID)} of {len(charges)} charges paid",
    )
    audits = Counter(
        AuditEntry.objects.filter(action="payment.paid").values_list("detail__payment", flat=True)
    )
    check(
        "one payment.paid audit entry per payment",
        len(audits) == n and set(audits.values()) == {1},
        f"{sum(audits.values())} entries for {len(audits)} payments",
    )
    events = Counter(DossierEvent.objects.filter(action="payment_received").values_list("dossier", flat=True))
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    check(
        "each dossier back in processing once (one payment_received event)",
        len(events) == n
        and set(events.values()) == {1}
        and statuses == Counter({DossierStatus.PROCESSING: n}),
        f"{sum(events.values())} events for {len(events)} dossiers; statuses {dict(statuses)}",
    )
    stored = PaymentCallback.objects.count()
    verified = PaymentCallback.objects.filter(verified=True, kind="ipn", method="GET").exclude(raw="").count()
    answers = Counter(PaymentCallback.objects.values_list("answer", flat=True))
    once = PaymentCallback.objects.filter(answer="00").values("payment").annotate(k=Count("id"))
    check(
        f"{sent} callbacks stored verbatim and verified, answers as sent",
        stored == verified == sent and answers == codes and all(r["k"] == 1 for r in once) and len(once) == n,
        f"{stored} stored, {verified} verified, answers {dict(answers)}",
    )
    chain = verify_chain()
    check(
        "audit chain verifies",
        chain.ok,
        f"{chain.count} entries" + ("" if chain.ok else f": {chain.message}"),
    )
    return checks


# --- main ------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--backend", choices=["sqlite", "postgres", "both"],
        default="both" if PG_BINARIES or os.environ.get("DATABASE_URL") else "sqlite",
        help="default: both when PostgreSQL's binaries are installed (or DATABASE_URL is set)",
    )  # fmt: skip
    parser.add_argument("--payments", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=10, help="times each payment's IPN is sent")
    parser.add_argument("--threads", type=int, default=20, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (2 cores: 4)")
    parser.add_argument("--healthz", type=int, default=2000, help="/healthz requests of the baseline")
    parser.add_argument("--max-seconds", type=float, default=300, help="time limit of the measured phase")
    parser.add_argument(
        "--tasks", choices=["celery", "inprocess", "eager"],
        default="celery" if shutil.which("redis-server") else "inprocess",
        help="how queued e-mails run: celery (a Redis broker started here, no worker: production's web "
        "tier), inprocess (the workers' own threads) or eager (inside the request)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=20261207)
    args = parser.parse_args()
    if args.payments < 1 or args.repeat < 1 or args.threads < 1:
        parser.error("--payments, --repeat and --threads must be positive")
    if args.backend == "both":
        # Django reads its settings once per process: one child per backend.
        codes = {}
        for backend in ("sqlite", "postgres"):
            argv = [sys.executable, __file__, *sys.argv[1:], "--backend", backend]
            env = dict(os.environ)
            if backend == "sqlite":
                env.pop("DATABASE_URL", None)
            child = subprocess.Popen(argv, env=env, preexec_fn=die_with_parent)
            try:
                codes[backend] = child.wait()
            except KeyboardInterrupt:
                # The child stops what it started (gunicorn, Redis, the PostgreSQL cluster) before it ends.
                child.send_signal(signal.SIGTERM)
                child.wait()
                return 130
            print(flush=True)
        print("; ".join(f"{b}: {'PASS' if c == 0 else f'FAIL (exit {c})'}" for b, c in codes.items()))
        return 0 if not any(codes.values()) else 1

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    procs = Processes()
    cluster = None
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-bench-payments-", ignore_cleanup_errors=True) as tmp:
            tmp = Path(tmp)
            try:
                url = ""
                if args.backend == "postgres":
                    url = os.environ.get("DATABASE_URL", "")
                    if not url.startswith("postgres"):
                        if not PG_BINARIES:
                            raise SystemExit("--backend postgres needs DATABASE_URL or PostgreSQL's binaries")
                        cluster = Cluster()
                        url = cluster.start()
                return measure(args, procs, tmp, url, cluster)
            finally:
                # A second Ctrl-C or SIGTERM must not cut the clean-up short.
                signal.signal(signal.SIGTERM, signal.SIG_IGN)
                signal.signal(signal.SIGINT, signal.SIG_IGN)
                procs.stop_all()  # before the database and the folder they use go
                if cluster is not None:
                    cluster.stop()
    except KeyboardInterrupt:
        print("\ninterrupted: everything started here was stopped", file=sys.stderr)
        return 130


def measure(args, procs: Processes, tmp: Path, url: str, cluster) -> int:
    env = production_environment(tmp)
    (tmp / "static").mkdir()  # WhiteNoise warns about a missing STATIC_ROOT; nothing static is asked
    redis_port = start_redis(procs, tmp) if args.tasks == "celery" else None
    if redis_port:
        # As in production: Redis is the shared cache (db 0) and the broker (db 1); no worker runs here, so
        # the e-mails the callbacks queue wait in the broker instead of using the web tier's CPUs.
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{redis_port}/1"
    else:
        env["MOTCUA_CACHE_DIR"] = str(tmp / "cache")
    env["MOTCUA_TASKS"] = args.tasks
    if url:
        env["DATABASE_URL"] = url
    else:
        env.pop("DATABASE_URL", None)
    os.environ.clear()
    os.environ.update(env)
    database = "PostgreSQL" + (" (throwaway cluster, fsync on)" if cluster else "") if url else "SQLite (WAL)"
    rng = random.Random(args.seed)
    print(f"{database}: building the database, {args.payments} pending payments…", flush=True)
    started = time.perf_counter()
    payments = seed(args.payments, rng)
    print(f"setup: {time.perf_counter() - started:.1f} s", flush=True)
    jobs = [p for p in payments for _ in range(args.repeat)]
    rng.shuffle(jobs)

    port = free_port()
    server = procs.start(
        "gunicorn", gunicorn_argv(port, args.workers, 1, tmp / "access.log"), env=env, cwd=ROOT
    )
    wait_until_healthy(server, port)
    measure_healthz(port, 100, args.threads)  # warm every worker
    baseline = measure_healthz(port, args.healthz, args.threads)
    queued_before = queued_tasks(redis_port) if redis_port else None
    print(f"measuring: {len(jobs)} callbacks from {args.threads} threads…", flush=True)
    elapsed, results = fire_callbacks(port, jobs, args.threads, time.monotonic() + args.max_seconds)
    procs.stop(server)
    queued = queued_tasks(redis_port) - queued_before if redis_port else None

    checks = run_checks(payments, results, args.repeat)
    if baseline["failures"]:
        checks.append(("/healthz answered 200", False, f"{len(baseline['failures'])} failures"))
    s = summary([r["seconds"] for r in results])
    rate = len(results) / elapsed if elapsed else 0.0
    codes = Counter(r["code"] for r in results)
    print(
        f"\n{database}; gunicorn {args.workers} sync workers (deploy/gunicorn.conf.py, no max-requests); "
        f"{args.threads} client threads, one request per connection; tasks: {args.tasks}; "
        f"source {source_version()}"
    )
    print(f"{len(results)} IPN callbacks in {elapsed:.1f} s: {rate:.1f} callbacks/s")
    print(
        f"callback latency: p50 {s['p50_ms']:.1f} ms, p95 {s['p95_ms']:.1f} ms, p99 {s['p99_ms']:.1f} ms, "
        f"max {s['max_ms']:.1f} ms"
    )
    for code in ("00", "02"):
        lat = [r["seconds"] for r in results if r["code"] == code]
        if lat:
            t = summary(lat)
            print(
                f"  RspCode {code}: {len(lat):5d} answers, p50 {t['p50_ms']:.1f} ms, p95 {t['p95_ms']:.1f} ms"
            )
    print(f"answers per RspCode: {dict(sorted(codes.items()))}")
    o = overlaps(results)
    print(
        f"concurrency on one payment: {o['payments']} of {len(payments)} payments had callbacks in flight "
        f"at once ({o['pairs']} overlapping pairs)"
    )
    for label, values in (("during", o["behind"]), ("not during", o["alone"])):
        if values:
            t = summary(values)
            print(
                f"  RspCode 02 {label} its payment's 00: {len(values):5d}, p50 {t['p50_ms']:.1f} ms, "
                f"p95 {t['p95_ms']:.1f} ms"
            )
    print(
        f"/healthz (baseline, same threads): {baseline['rps']:.0f} req/s, p50 {baseline['p50_ms']:.1f} ms, "
        f"p95 {baseline['p95_ms']:.1f} ms"
    )
    print(f"ratio: callbacks/s = {rate / baseline['rps']:.1%} of /healthz req/s")
    if queued is not None:
        print(f"tasks the callbacks queued (e-mails, waiting in the broker; no worker runs): {queued}")
    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""))
    return 0 if all(ok for _n, ok, _d in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
