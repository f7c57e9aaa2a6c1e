#!/usr/bin/env python
"""Submission benchmark: 20 concurrent applicants send 2,000 dossiers, each with a 200 KB PDF, through HTTP.

It builds its own database (a temporary SQLite file, or the PostgreSQL of DATABASE_URL, which it migrates
and fills: give it a throwaway database), loads the demo catalogue, deletes the demo accounts (so that the
production checks pass with DEBUG=0, as gunicorn's ``on_starting`` in deploy/gunicorn.conf.py demands),
registers one citizen account and API token per applicant, starts gunicorn on 127.0.0.1 with the
production configuration (deploy/gunicorn.conf.py) and measures, from the same client threads:

- ``/healthz`` (the baseline: a request that only asks the database for SELECT 1);
- the submission journey of each dossier: ``POST /api/v1/dossiers/`` (a draft, with an Idempotency-Key),
  ``POST …/attachments/`` (multipart, the PDF) for each paper the form requires, ``POST …/submit/``.
  Dossiers alternate between procedures 1.004194 (temporary residence, 6 commune police offices) and
  1.001193 (birth registration, 9 commune People's Committees) and their agencies, so that many code
  sequences run in parallel. A share of the drafts is created twice with the same Idempotency-Key and a
  share of the submissions is sent twice, half of them concurrently from a second thread, half repeated.

It prints dossiers per second (dossiers sent / wall time of the measured phase), the latency of a dossier
(from its first request to the answer of its submission: p50, p95, max) and of each kind of request, and the
ratio against /healthz. Then it checks, through the ORM on the same database: one sent dossier per intended
submission and nothing else, unique codes, sequence numbers exactly 1..N per agency and local day, every
attached file stored with its size and SHA-256, one history row per dossier, and the audit chain. It prints
PASS/FAIL per check and exits non-zero on any FAIL (or any unexpected HTTP answer).
Targets (issue): at least 100 dossiers/s on PostgreSQL, 30 on SQLite; nothing lost or duplicated.

Background tasks (``--tasks``). Each submission queues an e-mail whose task draws the receipt PDF (about
15 ms of CPU with reportlab, see bench/receipt.py; 140 ms with WeasyPrint before). In production Celery
workers on other machines run them, so the web tier's honest figure is the one without that work on its CPUs:

- ``celery`` (default when ``redis-server`` is installed): a Redis started here (127.0.0.1, free port,
  temporary folder) is the broker and the shared cache, as REDIS_URL is in production; no worker runs during
  the measured phase (the tasks wait in the queue, whose length is printed). Afterwards one worker
  (``celery -A motcua worker``, ``--drain-concurrency`` processes) drains the queue and the receipts per
  second are timed separately (``--no-drain`` skips it).
- ``inprocess`` (the embedded default of ``make run``; the default when redis-server is missing): the
  gunicorn workers' own task threads render the receipts during the measured phase, on the same CPUs; the
  benchmark then waits for the outbox to empty and reports how long that took.
- ``eager``: the task runs in the request's thread after the commit (tests' mode): the submission answer
  waits for the receipt.

E-mail goes to the file backend in a temporary folder, never to a mail server. Media, private media and
the var folder are temporary folders; MOTCUA_TRACKING_RATE is raised (tracking is not used here).

    .venv/bin/python bench/submit.py [--dossiers 2000] [--applicants 20] [--pdf-kb 200]
                                     [--tasks celery|inprocess|eager] [--workers 4] [--threads 1]
    .venv/bin/python bench/submit.py --dossiers 200          # a quick check
    DATABASE_URL=postgres://… .venv/bin/python bench/submit.py
"""

import argparse
import contextlib
import hashlib
import io
import json
import math
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
import uuid
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

from harness import (
    ROOT,
    BackendWatch,
    Processes,
    cpu_snapshot,
    cpu_used,
    free_port,
    gunicorn_argv,
    percentile,
    production_environment,
    raw_request,
    redis_command,
    run_threads,
    start_redis,
    wait_until_healthy,
)

sys.path.insert(0, str(ROOT / "src"))

PROCEDURES = ["1.004194", "1.001193"]  # temporary residence (police), birth registration (People's Committee)
PASSWORD = "Bench-Submit-2026!"  # noqa: S105  (throwaway accounts of a throwaway database)
# The first object of each form that describes the person filing it: filled from the applicant's account.
DECLARANT_KEYS = ("declarant", "requester", "person", "applicant")
GIVEN = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Hải", "Hoa", "Hùng", "Lan", "Long", "Mai", "Minh"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]


# --- environment and processes ------------------------------------------------------------------


def setup_environment(tmp: Path, tasks: str, redis_port: int | None) -> dict:
    env = production_environment(tmp)
    env.update(
        {
            "MOTCUA_TRACKING_RATE": "1000000",
            "MOTCUA_TASKS": tasks,
            "MOTCUA_PUBLIC_URL": "http://127.0.0.1",
        }
    )
    if redis_port:
        # As in production: Redis is the shared cache (db 0) and the broker (db 1).
        env["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{redis_port}/1"
    else:
        # One cache for every worker without a cache server (as bench/search.py does).
        env["MOTCUA_CACHE_DIR"] = str(tmp / "cache")
    os.environ.clear()
    os.environ.update(env)
    return env


def source_version() -> str:
    """The commit of the tree measured (and whether it has uncommitted changes)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", "src"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return f"{ROOT} (not a git checkout)"
    return f"{ROOT} at {commit}" + (" with uncommitted changes in src/" if dirty else "")


def database_name(env: dict) -> str:
    url = env.get("DATABASE_URL", "")
    return url.rsplit("/", 1)[-1].split("?")[0] if url.startswith("postgres") else ""


def queued_tasks(port: int) -> int:
    """Tasks waiting in the broker's queue (kombu keeps the queue ``motcua`` as a Redis list in db 1)."""
    return int(redis_command(port, 1, "LLEN", "motcua").strip().lstrip(b":") or 0)


def start_server(procs: Processes, env: dict, port: int, workers: int, threads: int, tmp: Path):
    server = procs.start(
        "gunicorn", gunicorn_argv(port, workers, threads, tmp / "access.log"), env=env, cwd=ROOT
    )
    wait_until_healthy(server, port)
    return server


# --- HTTP ------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
    """One request on a new connection: (status, seconds, parsed JSON or raw bytes)."""
    status, seconds, raw, response_headers = raw_request(port, method, path, body, headers, language="en")
    content_type = {k.lower(): v for k, v in response_headers}.get("content-type", "")
    if content_type.startswith("application/json"):
        with contextlib.suppress(ValueError):
            return status, seconds, json.loads(raw)
    return status, seconds, raw


def json_body(payload) -> tuple[bytes, dict]:
    return json.dumps(payload, ensure_ascii=False).encode(), {"Content-Type": "application/json"}


def multipart(fields: dict, filename: str, content: bytes) -> tuple[bytes, dict]:
    boundary = f"----motcua-bench-{uuid.uuid4().hex}"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"}


# --- test data ------------------------------------------------------------------


def make_pdf(target_bytes: int) -> bytes:
    """A one-page A4 PDF holding a scanned-looking JPEG (noise, so it does not compress), padded to size."""
    from PIL import Image

    rng = random.Random(7)
    side = max(16, int(math.sqrt(target_bytes * 1.6)))
    while True:
        noise = bytes(rng.randrange(256) for _ in range(side * side))
        jpeg = io.BytesIO()
        Image.frombytes("L", (side, side), noise).save(jpeg, "JPEG", quality=60)
        image = jpeg.getvalue()
        if len(image) < target_bytes - 2000 or side <= 16:
            break
        side = int(side * 0.9)
    content = b"q 500 0 0 500 47 170 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n"
        % (side, side, len(image))
        + image
        + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    trailer_size = 200
    padding = target_bytes - len(out) - trailer_size
    while padding > 0:  # comments are allowed between objects; a scanner's output carries such bulk
        line = min(padding, 78)
        out += b"%" + b"p" * (line - 2) + b"\n"
        padding -= line
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def personal_id(index: int) -> tuple[str, date, str]:
    """A valid 12-digit personal ID: province 030, gender/century digit, birth year, serial."""
    female = index % 2 == 1
    year = 1970 + (index * 7) % 35
    digit = (0 if year < 2000 else 2) + (1 if female else 0)
    number = f"030{digit}{year % 100:02d}{500000 + index:06d}"
    return number, date(year, 1 + index % 12, 1 + index % 28), "female" if female else "male"


def load_example(code: str) -> dict:
    matches = sorted((ROOT / "src" / "motcua" / "fixtures" / "forms").glob(f"{code}-*.json"))
    if not matches:
        raise SystemExit(f"No form fixture for procedure {code}")
    return json.loads(matches[0].read_text(encoding="utf-8"))["example"]["data"]


def form_data(code: str, applicant: dict) -> dict:
    data = json.loads(json.dumps(load_example(code)))
    for key in DECLARANT_KEYS:
        person = data.get(key)
        if isinstance(person, dict):
            for field in ("full_name", "personal_id", "phone", "email", "birth_date", "gender"):
                if field in person:
                    person[field] = applicant[field]
            break
    return data


# --- setup (not timed) ------------------------------------------------------------------


def build_database(applicants: int, run: str) -> list[dict]:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections

    from motcua.accounts import services as accounts
    from motcua.accounts.selectors import demo_accounts
    from motcua.dossiers.models import Dossier
    from motcua.notifications.models import Notification

    call_command("migrate", verbosity=0)
    if Dossier.objects.exists():
        raise SystemExit("The database already holds dossiers: give the benchmark a throwaway database.")
    call_command("collectstatic", "--noinput", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):  # it lists the demo accounts deleted just below
        call_command("load_demo", verbosity=0)
    # DEBUG=0 refuses to start with the demo accounts (motcua.E001). They cannot be deleted any more (the
    # demo's petitions and dialogues protect their authors): they stay, as in bench/burst.py, without a
    # password and no longer demo accounts.
    demo_accounts().update(is_demo=False, password=make_password(None))
    # The demo's own notifications (petitions, dialogues) are not this benchmark's: the e-mails counted
    # afterwards are the receipts' alone.
    Notification.objects.all().delete()
    people = []
    for i in range(applicants):
        number, birth, gender = personal_id(i)
        name = f"{FAMILY[i % len(FAMILY)]} Văn {GIVEN[i % len(GIVEN)]} {i + 1}"
        phone = f"0912{i:06d}"
        email = f"applicant{i + 1}.{run}@example.com"
        user = accounts.register_citizen(
            full_name=name, personal_id=number, birth_date=birth, phone=phone, email=email,
            password=PASSWORD, address="Số 1, phường Hải An, tỉnh Hải Đông",
        )  # fmt: skip
        # As a real applicant does before their receipts travel by e-mail (unverified addresses get none).
        accounts.verify_email(accounts.email_verification_token(user, email))
        _token, raw = accounts.create_api_token(user, name="bench")
        people.append(
            {
                "pk": user.pk,
                "token": raw,
                "full_name": name,
                "personal_id": number,
                "birth_date": birth.isoformat(),
                "gender": gender,
                "phone": phone,
                "email": email,
            }
        )
    connections.close_all()
    return people


def prepare_forms(port: int, codes: list[str], applicant: dict) -> dict:
    """Per procedure: the papers its form requires, after checking through the API that the data is valid."""
    prepared = {}
    for code in codes:
        status, _s, form = request(port, "GET", f"/api/v1/procedures/{code}/form/")
        if status != 200:
            raise SystemExit(f"GET /api/v1/procedures/{code}/form/ answered {status}: {form!r:.300}")
        required = set(form["schema"].get("required") or [])
        papers = [c for c in form["components"] if c["field"] and (c["field"] in required)]
        data = form_data(code, applicant)
        body, headers = json_body({"data": data, "files": [c["id"] for c in papers]})
        status, _s, answer = request(port, "POST", f"/api/v1/procedures/{code}/form/validate/", body, headers)
        if status != 200:
            raise SystemExit(f"The example data of {code} is not valid: {answer!r:.500}")
        prepared[code] = {"papers": [c["order"] for c in papers]}
    return prepared


def receiving_agencies(codes: list[str]) -> dict[str, list[str]]:
    from motcua.catalog.models import Procedure
    from motcua.dossiers import selectors

    return {
        code: [a.code for a in selectors.receiving_agencies(Procedure.objects.get(code=code))]
        for code in codes
    }


# --- the measured journey ------------------------------------------------------------------


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: dict[str, list[float]] = defaultdict(list)
        self.dossiers: list[float] = []
        self.failures: list[tuple[str, int, str]] = []
        self.results: dict[int, dict] = {}

    def add(self, kind: str, seconds: float, status: int, expected: int, answer) -> bool:
        with self.lock:
            self.requests[kind].append(seconds)
            if status != expected:
                self.failures.append((kind, status, repr(answer)[:300]))
                return False
        return True


def make_jobs(count: int, agencies: dict[str, list[str]], share: float, rng: random.Random) -> list[dict]:
    codes = list(agencies)
    jobs = []
    for n in range(count):
        code = codes[n % len(codes)]
        jobs.append(
            {
                "n": n,
                "procedure": code,
                "agency": rng.choice(agencies[code]),
                # None, "concurrent" or "repeat"
                "create_twice": rng.choice(["concurrent", "repeat"]) if rng.random() < share else None,
                "submit_twice": rng.choice(["concurrent", "repeat"]) if rng.random() < share else None,
            }
        )
    return jobs


def side_by_side(first, second):
    """Run two requests at the same moment (two threads released together); return both answers."""
    barrier = threading.Barrier(2)
    answers = [None, None]

    def run(slot, call):
        barrier.wait()
        answers[slot] = call()

    helper = threading.Thread(target=run, args=(1, second), daemon=True)
    helper.start()
    run(0, first)
    helper.join()
    return answers


def submit_dossier(port, job, applicant, data, papers, pdf, run, rec: Recorder, record_latency: bool):
    auth = {"Authorization": f"Bearer {applicant['token']}"}
    key = f"bench-{run}-{job['n']}"
    started = time.perf_counter()
    body, headers = json_body({"procedure": job["procedure"], "agency": job["agency"], "data": data})
    headers = {**headers, **auth, "Idempotency-Key": key}

    def create():
        return request(port, "POST", "/api/v1/dossiers/", body, headers)

    if job["create_twice"] == "concurrent":
        (status, seconds, answer), (status2, seconds2, answer2) = side_by_side(create, create)
    else:
        status, seconds, answer = create()
        status2 = None
        if job["create_twice"] == "repeat" and status == 201:
            status2, seconds2, answer2 = create()
    if not rec.add("create draft", seconds, status, 201, answer):
        return
    reference = answer["id"]
    result = {"uuid": reference, "create_ids": {reference}}
    if status2 is not None and rec.add("create draft (again, same key)", seconds2, status2, 201, answer2):
        result["create_ids"].add(answer2["id"])
    for order in papers:
        upload, upload_headers = multipart({"component": order}, f"giay-to-{order}.pdf", pdf)
        status, seconds, answer = request(
            port, "POST", f"/api/v1/dossiers/{reference}/attachments/", upload, {**upload_headers, **auth}
        )
        if not rec.add("attach 200 KB PDF", seconds, status, 201, answer):
            return
    submit_headers = {**auth, "Idempotency-Key": f"{key}-submit"}

    def send():
        return request(port, "POST", f"/api/v1/dossiers/{reference}/submit/", b"", submit_headers)

    again = None
    if job["submit_twice"] == "concurrent":
        (status, seconds, answer), again = side_by_side(send, send)
    else:
        status, seconds, answer = send()
    finished = time.perf_counter()
    if job["submit_twice"] == "repeat":
        again = send()
    ok = rec.add("submit", seconds, status, 200, answer)
    result["codes"] = {answer.get("code")} if ok and isinstance(answer, dict) else set()
    if again is not None:
        status2, seconds2, answer2 = again
        if rec.add("submit (again)", seconds2, status2, 200, answer2) and isinstance(answer2, dict):
            result["codes"].add(answer2.get("code"))
    if not ok:
        return
    with rec.lock:
        if record_latency:
            rec.dossiers.append(finished - started)
        rec.results[job["n"]] = result


def run_jobs(port, jobs, people, datas, prepared, pdf, run, rec, concurrency, deadline, record_latency):
    lock = threading.Lock()
    queue = list(reversed(jobs))
    stop = threading.Event()

    def applicant_thread(index):
        applicant = people[index % len(people)]
        while not stop.is_set() and time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                job = queue.pop()
            try:
                submit_dossier(
                    port, job, applicant, datas[(index % len(people), job["procedure"])],
                    prepared[job["procedure"]]["papers"], pdf, run, rec, record_latency,
                )  # fmt: skip
            except Exception as exc:  # a bug of the client must not hang the run
                rec.add("client error", 0.0, -1, 0, exc)

    threads = [threading.Thread(target=applicant_thread, args=(i,), daemon=True) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    try:
        for t in threads:
            while t.is_alive():
                t.join(timeout=0.5)
    except KeyboardInterrupt:
        stop.set()
        raise
    elapsed = time.perf_counter() - started
    if queue:
        rec.add("time limit", 0.0, -1, 0, f"{len(queue)} dossiers not sent before --max-seconds")
    return elapsed


def measure_healthz(port: int, count: int, concurrency: int) -> dict:
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    remaining = [count]

    def worker():
        nonlocal failures
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            status, seconds, _ = request(port, "GET", "/healthz")
            with lock:
                latencies.append(seconds)
                failures += status != 200

    elapsed = run_threads(concurrency, worker)
    return {**summary(latencies), "rps": len(latencies) / elapsed, "failures": failures}


def summary(values: list[float]) -> dict:
    return {
        "count": len(values),
        "p50_ms": statistics.median(values) * 1000 if values else float("nan"),
        "p95_ms": percentile(values, 0.95) * 1000,
        "max_ms": max(values) * 1000 if values else float("nan"),
    }


# --- background tasks after the measured phase ------------------------------------------------------------


def email_progress() -> tuple[int, int, int]:
    """(e-mail deliveries, of which sent, receipts stored)."""
    from django.db import connections

    from motcua.documents.models import Document, DocumentKind
    from motcua.notifications.models import Channel, Delivery, DeliveryStatus

    try:
        emails = Delivery.objects.filter(channel=Channel.EMAIL)
        return (
            emails.count(),
            emails.filter(status=DeliveryStatus.SENT).count(),
            Document.objects.filter(kind=DocumentKind.RECEIPT).count(),
        )
    finally:
        connections.close_all()


def wait_for_emails(timeout: float) -> dict:
    """Poll until every e-mail delivery is sent; when the first and the last receipt were done."""
    started = time.perf_counter()
    first = None
    total, sent, receipts = email_progress()
    while sent < total and time.perf_counter() - started < timeout:
        time.sleep(0.5)
        total, sent, receipts = email_progress()
        if first is None and receipts:
            first = time.perf_counter() - started
    return {
        "total": total,
        "sent": sent,
        "receipts": receipts,
        "seconds": time.perf_counter() - started,
        "first": first or 0.0,
    }


def outbox_messages(folder: Path) -> int:
    """Messages the file e-mail backend wrote (several may share a file: it names them by the second)."""
    separator = b"\n" + b"-" * 79 + b"\n"
    return sum(f.read_bytes().count(separator) for f in folder.glob("*") if f.is_file())


def drain_with_worker(procs: Processes, env: dict, concurrency: int, timeout: float) -> dict:
    worker = procs.start(
        "celery worker",
        [
            str(Path(sys.executable).parent / "celery"), "-A", "motcua", "worker", "-Q", "motcua",
            "--concurrency", str(concurrency), "--loglevel", "warning",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,  # the banner; warnings and errors go to stderr
    )  # fmt: skip
    try:
        return wait_for_emails(timeout)
    finally:
        procs.stop(worker, timeout=30)


# --- checks ------------------------------------------------------------------


def run_checks(jobs: list[dict], rec: Recorder, pdf_sha: str, pdf_size: int, papers: dict) -> list:
    from django.conf import settings
    from django.db.models import Count

    from motcua.audit.models import AuditEntry
    from motcua.audit.selectors import verify_chain
    from motcua.dossiers.models import Attachment, CodeSequence, Dossier, DossierEvent, DossierStatus
    from motcua.dossiers.models import IdempotencyKey as Key
    from motcua.notifications.models import Notification
    from motcua.workcalendar import selectors as calendar

    checks = []

    def check(name, ok, detail=""):
        checks.append((name, bool(ok), detail))

    intended = len(jobs)
    check(
        "every request answered as expected",
        not rec.failures,
        f"{len(rec.failures)} unexpected answers, e.g. {rec.failures[:3]}" if rec.failures else "",
    )
    rows = list(Dossier.objects.values("pk", "uuid", "code", "status", "agency__code", "received_at"))
    sent = [r for r in rows if r["status"] == DossierStatus.SUBMITTED]
    check(
        "one sent dossier per intended submission, nothing else",
        len(rows) == len(sent) == intended,
        f"{intended} intended, {len(sent)} sent, {len(rows) - len(sent)} others (drafts)",
    )
    by_uuid = {str(r["uuid"]): r for r in rows}
    mismatched = []
    for n, result in rec.results.items():
        row = by_uuid.get(result["uuid"])
        if len(result["create_ids"]) != 1 or len(result["codes"]) != 1 or row is None:
            mismatched.append((n, result))
        elif row["code"] not in result["codes"]:
            mismatched.append((n, result, row["code"]))
    answered = len({r["uuid"] for r in rec.results.values()})
    check(
        "repeated creates/submits answered the same dossier and code",
        not mismatched and answered == len(rec.results) == intended,
        f"{len(rec.results)} answered, {answered} distinct drafts; mismatches: {mismatched[:3]}",
    )
    keys = Key.objects.filter(scope="create").count()
    check("one idempotency key per draft", keys == intended, f"{keys} keys for {intended} drafts")
    codes = [r["code"] for r in sent]
    check("codes unique", len(set(codes)) == len(codes) and None not in codes, f"{len(codes)} codes")

    groups = defaultdict(list)
    for r in sent:
        groups[(r["agency__code"], calendar.local(r["received_at"]).date())].append(r["code"])
    gaps = []
    for (agency, day), got in sorted(groups.items()):
        expected = {
            settings.MOTCUA_DOSSIER_CODE_FORMAT.format(
                agency_code=agency, yymmdd=day.strftime("%y%m%d"), seq=seq, date=day
            )
            for seq in range(1, len(got) + 1)
        }
        if set(got) != expected:
            gaps.append(
                (agency, str(day), sorted(set(expected) - set(got))[:3], sorted(set(got) - expected)[:3])
            )
    counters = {(c.agency.code, c.day): c.last for c in CodeSequence.objects.select_related("agency").all()}
    stale = [(k, v, len(groups.get(k, []))) for k, v in counters.items() if v != len(groups.get(k, []))]
    sizes = sorted(len(v) for v in groups.values())
    check(
        "sequence numbers exactly 1..N per agency and day",
        groups and not gaps and not stale,
        f"{len(groups)} (agency, day) sequences of {sizes[0] if sizes else 0}–{sizes[-1] if sizes else 0}"
        + (f"; gaps/extras {gaps[:3]}" if gaps else "")
        + (f"; counters off {stale[:3]}" if stale else ""),
    )

    expected_files = sum(len(papers[j["procedure"]]) for j in jobs)
    bad = []
    attachments = list(Attachment.objects.all())
    for a in attachments:
        try:
            with a.file.storage.open(a.file.name, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            bad.append((a.file.name, repr(exc)))
            continue
        digest = hashlib.sha256(content).hexdigest()
        if not (len(content) == a.size == pdf_size and digest == a.sha256 == pdf_sha):
            bad.append((a.file.name, len(content), a.size, digest[:12]))
    per_dossier = Counter(a.dossier_id for a in attachments)
    check(
        "every file stored, right size and SHA-256",
        len(attachments) == expected_files and not bad,
        f"{len(attachments)} attachments ({expected_files} expected, {max(per_dossier.values(), default=0)} "
        f"at most on one dossier)" + (f"; bad: {bad[:3]}" if bad else ""),
    )
    events = dict(DossierEvent.objects.values("dossier").annotate(n=Count("id")).values_list("dossier", "n"))
    wrong = [pk for pk in (r["pk"] for r in rows) if events.get(pk) != 1]
    check(
        "one history row per dossier", not wrong and len(events) == len(rows), f"{len(wrong)} dossiers wrong"
    )
    notes = Notification.objects.filter(topic="dossier.submitted").count()
    check("one notification per dossier", notes == intended, f"{notes} notifications")
    chain = verify_chain()
    submits = AuditEntry.objects.filter(action="dossier.submit").count()
    check(
        "audit chain verifies, one dossier.submit entry per dossier",
        chain.ok and submits == intended,
        f"{chain.count} entries checked, {submits} dossier.submit"
        + ("" if chain.ok else f": {chain.message}"),
    )
    return checks


def count_queries(people: list[dict], code: str, agency: str, papers: list[int], pdf: bytes) -> list:
    """Two more dossiers in-process (Django test client), counting SQL queries and time per request of the
    second (the first warms this process's code paths)."""
    from unittest import mock

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    applicant = people[0]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {applicant['token']}")
    rows = []

    def call(kind, path, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(path, **kwargs)
            seconds = time.perf_counter() - started
        rows.append((kind, response.status_code, len(queries), seconds))
        return response

    # The task queue is left out: this counts the request's own work.
    with mock.patch("motcua.core.tasks.dispatch"):
        for _ in range(2):
            rows.clear()
            one_dossier(call, code, agency, papers, pdf, applicant)
    return rows


def one_dossier(call, code, agency, papers, pdf, applicant):
    created = call(
        "create draft",
        "/api/v1/dossiers/",
        data=json.dumps({"procedure": code, "agency": agency, "data": form_data(code, applicant)}),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=f"queries-{uuid.uuid4().hex}",
    ).json()
    for order in papers:
        upload = io.BytesIO(pdf)
        upload.name = "paper.pdf"
        call(
            "attach 200 KB PDF",
            f"/api/v1/dossiers/{created['id']}/attachments/",
            data={"component": order, "file": upload},
        )
    call("submit", f"/api/v1/dossiers/{created['id']}/submit/")


# --- main ------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--dossiers", type=int, default=2000, help="dossiers sent in the measured phase")
    parser.add_argument("--applicants", type=int, default=20, help="concurrent applicants (client threads)")
    parser.add_argument("--pdf-kb", type=int, default=200, help="size of the attached PDF")
    parser.add_argument(
        "--tasks",
        choices=["celery", "inprocess", "eager"],
        default="celery" if shutil.which("redis-server") else "inprocess",
        help="how the receipts' e-mail tasks run (see above); default: celery when redis-server is installed",
    )
    parser.add_argument(
        "--workers", type=int, default=4, help="gunicorn worker processes (2 cores: 4 sync workers)"
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="threads per gunicorn worker (1: sync workers; more: gthread)"
    )
    parser.add_argument("--procedures", default=",".join(PROCEDURES), help="comma-separated procedure codes")
    parser.add_argument(
        "--repeat-share", type=float, default=0.05, help="share of creates/submits sent twice"
    )
    parser.add_argument("--warmup", type=int, default=40, help="dossiers sent before measuring (checked too)")
    parser.add_argument("--healthz", type=int, default=2000, help="/healthz requests of the baseline")
    parser.add_argument("--max-seconds", type=float, default=1200, help="time limit of the measured phase")
    parser.add_argument("--drain-timeout", type=float, default=900, help="time limit to send the e-mails")
    parser.add_argument("--no-drain", action="store_true", help="celery: do not run a worker afterwards")
    parser.add_argument("--drain-concurrency", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--count-queries", action="store_true", help="after the checks, count SQL per request"
    )
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    if args.dossiers < 1 or args.applicants < 1 or args.pdf_kb < 1:
        parser.error("--dossiers, --applicants and --pdf-kb must be positive")
    rng = random.Random(args.seed)
    run = time.strftime("%H%M%S")
    codes = [c.strip() for c in args.procedures.split(",") if c.strip()]

    def interrupted(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started in the background (SIGINT ignored)
    procs = Processes()
    exit_code = 1
    try:
        with tempfile.TemporaryDirectory(prefix="motcua-bench-submit-", ignore_cleanup_errors=True) as tmp:
            try:
                exit_code = measure_all(args, procs, Path(tmp), rng, run, codes)
            finally:
                procs.stop_all()  # before the folder they write in goes
    except KeyboardInterrupt:
        print("\ninterrupted: everything started here was stopped", file=sys.stderr)
        procs.stop_all()
        exit_code = 130
    return exit_code


def measure_all(args, procs: Processes, tmp: Path, rng: random.Random, run: str, codes: list[str]) -> int:
    """Set up, measure, check and report; returns the exit code."""
    redis_port = start_redis(procs, tmp) if args.tasks == "celery" else None
    env = setup_environment(tmp, args.tasks, redis_port)
    database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite (WAL)"
    print(f"database: {database}; tasks: {args.tasks}; building the database…", flush=True)
    built = time.perf_counter()
    people = build_database(args.applicants, run)
    agencies = receiving_agencies(codes)
    from motcua.core.filetypes import check_file

    pdf = make_pdf(args.pdf_kb * 1024)
    check_file(pdf)  # the server would refuse it otherwise
    pdf_sha = hashlib.sha256(pdf).hexdigest()
    print(
        f"setup: {args.applicants} citizens with API tokens, PDF of {len(pdf) / 1024:.0f} KB, "
        f"{time.perf_counter() - built:.1f} s",
        flush=True,
    )

    port = free_port()
    server = start_server(procs, env, port, args.workers, args.threads, tmp)
    prepared = prepare_forms(port, codes, people[0])
    datas = {(i, code): form_data(code, p) for i, p in enumerate(people) for code in codes}
    warm_jobs = make_jobs(args.warmup, agencies, args.repeat_share, rng)
    jobs = make_jobs(args.warmup + args.dossiers, agencies, args.repeat_share, rng)[args.warmup :]
    for n, job in enumerate(warm_jobs + jobs):
        job["n"] = n
    rec = Recorder()
    deadline = time.monotonic() + args.max_seconds
    # Warm every worker (imports, templates, connections) with a few whole journeys.
    measure_healthz(port, 100, args.applicants)
    run_jobs(port, warm_jobs, people, datas, prepared, pdf, run, rec, args.applicants, deadline, False)
    warm_requests = {kind: len(v) for kind, v in rec.requests.items()}
    baseline = measure_healthz(port, args.healthz, args.applicants)
    print(f"measuring: {args.dossiers} dossiers from {args.applicants} applicants…", flush=True)
    watched = {p.pid: name for name, p in procs.running}
    backends = BackendWatch(database_name(env))
    backends.start()
    cpu_before = cpu_snapshot(list(watched))
    elapsed = run_jobs(port, jobs, people, datas, prepared, pdf, run, rec, args.applicants, deadline, True)
    cpu = cpu_used(cpu_before, cpu_snapshot(list(watched)))
    cpu["postgres"] = backends.stop()
    cpu["names"] = watched
    queued = queued_tasks(redis_port) if redis_port else None
    drained = None
    if args.tasks == "inprocess":
        print("waiting for the in-process tasks to send the e-mails…", flush=True)
        drained = wait_for_emails(args.drain_timeout)
    procs.stop(server)
    if args.tasks == "celery" and not args.no_drain:
        print(f"draining {queued} queued tasks with one Celery worker…", flush=True)
        drained = drain_with_worker(procs, env, args.drain_concurrency, args.drain_timeout)
    elif args.tasks == "eager":
        drained = wait_for_emails(10)

    checks = run_checks(warm_jobs + jobs, rec, pdf_sha, len(pdf), {c: prepared[c]["papers"] for c in codes})
    if drained is not None:
        ok = drained["sent"] == drained["total"] == drained["receipts"] == len(warm_jobs + jobs)
        checks.append(
            (
                "every e-mail sent with its receipt",
                ok,
                f"{drained['sent']}/{drained['total']} sent, {drained['receipts']} receipts, "
                f"{outbox_messages(tmp / 'outbox')} messages in the outbox",
            )
        )
    queries = None
    if args.count_queries:
        code = codes[0]
        try:
            queries = count_queries(people, code, agencies[code][0], prepared[code]["papers"], pdf)
        except Exception as exc:  # a side measurement: the figures and checks above still count
            queries = f"{type(exc).__name__}: {exc}"

    report(args, database, rec, elapsed, baseline, warm_requests, queued, drained, checks, queries, cpu)
    return 0 if all(ok for _n, ok, _d in checks) else 1


def report(args, database, rec, elapsed, baseline, warm_requests, queued, drained, checks, queries, cpu):
    measured = {k: v[warm_requests.get(k, 0) :] for k, v in rec.requests.items()}
    count = len(rec.dossiers)
    total_requests = sum(len(v) for v in measured.values())
    rate = count / elapsed if elapsed else 0.0
    kind = "sync" if args.threads == 1 else "gthread"
    print(
        f"\n{database}; gunicorn {args.workers} {kind} workers × {args.threads} thread(s) "
        f"(deploy/gunicorn.conf.py, no max-requests); {args.applicants} applicants; PDF {args.pdf_kb} KB; "
        f"tasks: {args.tasks}; {args.warmup} warm-up dossiers before measuring; source {source_version()}"
    )
    print(
        f"{count} dossiers in {elapsed:.1f} s: {rate:.1f} dossiers/s ({total_requests / elapsed:.1f} req/s)"
    )
    d = summary(rec.dossiers)
    print(
        f"dossier latency (first request → submit answer): p50 {d['p50_ms']:.0f} ms, "
        f"p95 {d['p95_ms']:.0f} ms, max {d['max_ms']:.0f} ms"
    )
    print(f"\n{'request':32} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for kind, values in measured.items():
        s = summary(values)
        print(f"{kind:32} {s['count']:6d} {s['p50_ms']:8.1f} {s['p95_ms']:8.1f} {s['max_ms']:8.1f}")
    print(
        f"{'/healthz (baseline)':32} {baseline['count']:6d} {baseline['p50_ms']:8.1f} "
        f"{baseline['p95_ms']:8.1f} {baseline['max_ms']:8.1f}   {baseline['rps']:.0f} req/s"
    )
    print(
        f"ratio: submission requests/s = {total_requests / elapsed / baseline['rps']:.1%} of /healthz req/s; "
        f"one dossier costs as much as {baseline['rps'] / rate if rate else float('inf'):.1f} /healthz"
    )
    cores = os.cpu_count() or 1
    parts = [f"{cpu['names'][pid]} {seconds:.1f} s" for pid, seconds in cpu["started"].items()]
    if cpu["postgres"]:
        parts.append(f"postgres backends of this database {cpu['postgres']:.1f} s")
    server = sum(cpu["started"].values()) + cpu["postgres"]
    others = max(cpu["machine"] - cpu["client"] - server, 0.0)
    print(
        f"CPU in the measured phase ({cores} cores × {elapsed:.1f} s = {cores * elapsed:.0f} core-s): "
        f"machine busy {cpu['machine']:.0f} s; {', '.join(parts)}, client {cpu['client']:.1f} s, "
        f"other processes (not this benchmark's) {others:.1f} s"
    )
    per = {pid: seconds / max(count, 1) * 1000 for pid, seconds in cpu["started"].items()}
    print(
        "CPU per dossier: "
        + ", ".join(f"{cpu['names'][pid]} {ms:.0f} ms" for pid, ms in per.items())
        + (f", postgres {cpu['postgres'] / max(count, 1) * 1000:.0f} ms" if cpu["postgres"] else "")
        + f", client {cpu['client'] / max(count, 1) * 1000:.0f} ms"
    )
    ours = server + cpu["client"]
    if ours > 0:
        print(
            f"CPU ceiling: {count / (ours / cores):.1f} dossiers/s if the {cores} cores did nothing but this "
            f"benchmark's work and nothing ever waited (measured: {rate:.1f}; machine busy "
            f"{cpu['machine'] / (cores * elapsed):.0%}, other processes "
            f"{others / (cores * elapsed):.0%} of it)"
        )
    target = 100 if database == "PostgreSQL" else 30
    print(f"target: ≥ {target} dossiers/s: {'met' if rate >= target else 'MISSED'}")
    if queued is not None:
        print(f"tasks waiting in the broker after the measured phase: {queued}")
    if drained is not None:
        steady = drained["seconds"] - drained["first"]
        what = {"celery": "one Celery worker", "inprocess": "in-process task threads", "eager": "eager"}
        print(
            f"e-mails with receipt: {drained['sent']}/{drained['total']} sent by {what[args.tasks]} in "
            f"{drained['seconds']:.1f} s after the measured phase"
            + (
                f" ({drained['receipts'] / drained['seconds']:.1f} receipts/s incl. start-up, "
                f"{drained['receipts'] / steady:.1f}/s from the first one)"
                if args.tasks == "celery" and steady > 0
                else ""
            )
        )
    if isinstance(queries, str):
        print(f"\nSQL count per request failed: {queries}")
    elif queries:
        print("\nin-process, one more dossier (Django test client, task queue left out):")
        for kind, status, n, seconds in queries:
            print(f"  {kind:22} {status:4d} {n:4d} SQL queries {seconds * 1000:7.1f} ms")
    print()
    for name, ok, detail in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  ({detail})" if detail else ""))


if __name__ == "__main__":
    sys.exit(main())
