#!/usr/bin/env python
"""Live dialogue session benchmark: many viewers watching one session while leaders answer, on loopback.

It builds its own database (a temporary SQLite file, or the PostgreSQL of DATABASE_URL, which it migrates
and fills: give it a throwaway database): the demo catalogue, officers and dialogue sessions, then a session
that is live now with questions approved and assigned to its leaders (all through the services).

Server-sent events (what the portal uses): it starts ``uvicorn motcua.asgi:application`` with ``--workers``
processes (the live service of deploy/), opens ``--viewers`` event streams from a client process of its own
(asyncio, one connection each, opened ``--ramp`` per second), and then publishes an answer every ``--every``
seconds through ``services.dialogues.answer``, ``--answers`` times. For every viewer and every answer it
takes the delay from the answer's commit to the viewer reading the event, and prints p50/p95/max, the
viewers that missed an answer, connection errors, and the server's CPU (share of all cores over the
publishing window) and memory (resident, all its processes).

Short conditional polling (the alternative, ``--poll-viewers``, 0 to skip): the same publishing against
gunicorn with the production configuration, each viewer asking for the session's page every
``--poll-every`` seconds with ``If-None-Match`` (304 while nothing changed); the delay is from the commit to
the viewer's first answer that shows it. Both in one run, so the choice is measured, not asserted.
Target (issue 12): 10,000 viewers, an answer every 10 s, p95 delay under 2 s, no errors.

    .venv/bin/python bench/dialogue.py [--viewers 10000] [--answers 6] [--every 10] [--poll-viewers 1000]
    .venv/bin/python bench/dialogue.py --viewers 1000 --answers 3 --every 5 --poll-viewers 200   # quicker
"""

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from harness import (
    ROOT,
    die_with_parent,
    free_port,
    gunicorn_argv,
    percentile,
    production_environment,
    wait_until_healthy,
)

TARGET_P95_SECONDS = 2.0


# --- the database and the session ---------------------------------------------------------------------


def prepare(answers: int) -> dict:
    """The demo data, then a session live now with ``answers`` questions approved and given to a leader."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from motcua.accounts.models import User
    from motcua.catalog.models import Agency
    from motcua.engagement.services import dialogues as dialogue_services

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)
    with contextlib.redirect_stdout(open(os.devnull, "w")):
        call_command("load_demo", "--no-forms", verbosity=0)
    users = {user.username: user for user in User.objects.all()}
    moderator, leader = users["tiepnhan.ubnd-tinh"], users["lanhdao.so-xay-dung"]
    now = timezone.now()
    session = dialogue_services.create_session(
        title="Đối thoại trực tuyến: đo tải", summary="Buổi đối thoại của bench/dialogue.py.",
        organiser=Agency.objects.get(slug="ubnd-tinh"), starts_at=now - timedelta(minutes=5),
        ends_at=now + timedelta(hours=3), leaders=[{"leader": leader, "title": "Giám đốc Sở Xây dựng"}],
        agencies=list(Agency.objects.filter(slug="so-xay-dung")), by=moderator,
    )  # fmt: skip
    dialogue_services.announce(session, by=moderator)
    questions = []
    for number in range(answers):
        question = dialogue_services.ask_question(
            session, content=f"Câu hỏi số {number + 1} về thời hạn cấp giấy phép xây dựng?",
            name=f"Người xem {number + 1}", phone=f"0912{number:06d}",
            client_ip=f"198.18.{number // 250}.{number % 250}",
        )  # fmt: skip
        questions.append(dialogue_services.approve(question, by=moderator, leader=leader).pk)
    from backoffice import make_accounts_production_like

    make_accounts_production_like()
    session.refresh_from_db()
    from django.db import connections

    connections.close_all()
    return {"session": session.pk, "revision": session.revision, "questions": questions, "leader": leader.pk}


def publish(question_id: int, leader_id: int, number: int) -> tuple[int, float]:
    """Answer one question (in this process, through the service); the new revision and the commit's time."""
    from motcua.accounts.models import User
    from motcua.engagement.models import DialogueQuestion
    from motcua.engagement.services import dialogues as dialogue_services

    question = DialogueQuestion.objects.get(pk=question_id)
    dialogue_services.answer(
        question,
        text=f"Trả lời số {number}: thời hạn là 15 ngày làm việc.",
        by=User.objects.get(pk=leader_id),
    )
    committed = time.time()
    question.session.refresh_from_db(fields=["revision"])
    return question.session.revision, committed


# --- servers ------------------------------------------------------------------------------------------


def start_live(env: dict, port: int, workers: int, tmp: Path) -> subprocess.Popen:
    argv = [
        str(Path(sys.executable).parent / "uvicorn"), "motcua.asgi:application",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--backlog", "4096", "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip
    log = open(tmp / "live.log", "w")  # noqa: SIM115 (closed with the process)
    return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)


def start_gunicorn(env: dict, port: int, workers: int, tmp: Path) -> subprocess.Popen:
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115
    argv = gunicorn_argv(port, workers, 4, tmp / "access.log")
    return subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


def process_tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        current = todo.pop()
        pids.append(current)
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    todo.extend(int(child) for child in children.read().split())
    return pids


def cpu_seconds(pid: int) -> float:
    total = 0.0
    for each in process_tree(pid):
        with contextlib.suppress(OSError), open(f"/proc/{each}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def resident_mb(pid: int) -> float:
    total = 0
    for each in process_tree(pid):
        with contextlib.suppress(OSError), open(f"/proc/{each}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def wait_for_port(server: subprocess.Popen, port: int, seconds: float = 60) -> None:
    import socket

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped at start (exit code {server.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit(f"the server did not listen within {seconds:.0f} s")


# --- the viewers (a process of their own, so that publishing never stalls their event loop) -------------


class Viewers:
    def __init__(self, args):
        self.args = args
        self.received: dict[int, list[float]] = {}
        self.connected = 0
        self.errors: dict[str, int] = {}
        self.stopping = False

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1

    async def stream(self, gate: asyncio.Semaphore) -> None:
        """One viewer of the event stream: it reads chunked events and notes the time each revision came."""
        path = f"/doi-thoai/{self.args.session}/su-kien/?sau={self.args.revision}"
        try:
            async with gate:
                reader, writer = await asyncio.open_connection("127.0.0.1", self.args.port)
                writer.write(
                    f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n".encode()
                )
                status = await reader.readline()
                if b" 200 " not in status:
                    self.error(f"status {status[9:12].decode() or 'none'}")
                    return
                while (await reader.readline()) not in (b"\r\n", b""):
                    pass
            self.connected += 1
            while not self.stopping:
                size = await reader.readline()
                if not size:
                    if not self.stopping:
                        self.error("closed by the server")
                    return
                data = await reader.readexactly(int(size, 16) + 2)
                now = time.time()
                for line in data.split(b"\n"):
                    if line.startswith(b"id: "):
                        self.received.setdefault(int(line[4:]), []).append(now)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            if not self.stopping:
                self.error(type(exc).__name__)

    async def poll(self, gate: asyncio.Semaphore, number: int) -> None:
        """One viewer polling the page: ``If-None-Match`` with the last ETag, a new answer on a 200."""
        path = f"/doi-thoai/{self.args.session}/"
        etag, seen = "", self.args.revision
        await asyncio.sleep(self.args.poll_every * (number % 100) / 100)  # spread over the interval
        while not self.stopping:
            started = time.monotonic()
            try:
                async with gate:
                    reader, writer = await asyncio.open_connection("127.0.0.1", self.args.port)
                    headers = f"If-None-Match: {etag}\r\n" if etag else ""
                    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{headers}\r\n"
                    writer.write(request.encode())
                    raw = await reader.read()
                    writer.close()
                now = time.time()
                head, _, body = raw.partition(b"\r\n\r\n")
                status = head[9:12]
                if status == b"200":
                    for line in head.split(b"\r\n"):
                        if line.lower().startswith(b"etag:"):
                            etag = line[5:].strip().decode()
                    revision = _page_revision(body)
                    if revision is not None and revision > seen:
                        for each in range(seen + 1, revision + 1):
                            self.received.setdefault(each, []).append(now)
                        seen = revision
                elif status != b"304":
                    self.error(f"status {status.decode() or 'none'}")
            except OSError as exc:
                self.error(type(exc).__name__)
            await asyncio.sleep(max(0.0, self.args.poll_every - (time.monotonic() - started)))

    async def run(self) -> None:
        gate = asyncio.Semaphore(self.args.ramp)
        if self.args.mode == "sse":
            tasks = []
            for number in range(self.args.viewers):
                tasks.append(asyncio.create_task(self.stream(gate)))
                if number % self.args.ramp == self.args.ramp - 1:
                    await asyncio.sleep(1)
        else:
            tasks = [asyncio.create_task(self.poll(gate, n)) for n in range(self.args.viewers)]
        while self.connected + sum(self.errors.values()) < self.args.viewers and self.args.mode == "sse":
            await asyncio.sleep(0.2)
        print(json.dumps({"ready": self.connected, "errors": self.errors}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)  # "stop"
        self.stopping = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        print(json.dumps({"received": self.received, "errors": self.errors, "connected": self.connected}))


def _page_revision(body: bytes) -> int | None:
    marker = body.find(b'data-revision="')
    if marker < 0:
        return None
    end = body.find(b'"', marker + 15)
    text = body[marker + 15 : end]
    return int(text) if text.isdigit() else None


def client_main(args) -> int:
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    asyncio.run(Viewers(args).run())
    return 0


# --- one measurement ----------------------------------------------------------------------------------


def measure(mode, server, port, prepared, viewers, args) -> dict:
    """Viewers on, answers published, viewers off; what each viewer saw."""
    argv = [
        sys.executable, __file__, "--client", "--mode", mode, "--port", str(port), "--session",
        str(prepared["session"]), "--revision", str(prepared["revision"]), "--viewers", str(viewers),
        "--ramp", str(args.ramp), "--poll-every", str(args.poll_every),
    ]  # fmt: skip
    client = subprocess.Popen(
        argv,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=die_with_parent,
    )
    started = time.monotonic()
    ready = json.loads(client.stdout.readline() or "{}")
    connect_seconds = time.monotonic() - started
    time.sleep(2)  # let the streams settle
    cpu_before, clock_before = cpu_seconds(server.pid), time.monotonic()
    published = []
    for number, question in enumerate(prepared["questions"], start=1):
        planned = clock_before + (number - 1) * args.every + 1
        time.sleep(max(0.0, planned - time.monotonic()))
        published.append(publish(question, prepared["leader"], number))
    time.sleep(max(args.every, args.poll_every + 3))  # the last answer's time to arrive
    cpu = cpu_seconds(server.pid) - cpu_before
    window = time.monotonic() - clock_before
    memory = resident_mb(server.pid)
    client.stdin.write("stop\n")
    client.stdin.flush()
    result = json.loads(client.stdout.readline() or "{}")
    client.wait(30)
    delays, missed = [], 0
    received = {int(k): v for k, v in result.get("received", {}).items()}
    for revision, committed in published:
        times = received.get(revision, [])
        delays += [max(0.0, at - committed) for at in times]
        missed += max(0, ready.get("ready", viewers) - len(times))
    errors = dict(result.get("errors", {}))
    return {
        "mode": mode, "viewers": viewers, "connected": ready.get("ready", 0),
        "connect_seconds": connect_seconds,
        "answers": len(published), "delays": delays, "missed": missed, "errors": errors,
        "cpu_share": cpu / window / os.cpu_count(), "memory_mb": memory,
        "revision": published[-1][0] if published else prepared["revision"],
    }  # fmt: skip


def report(results: list[dict], args) -> None:
    print()
    print(f"{os.cpu_count()} cores; an answer every {args.every:g} s; live poll interval "
          f"{args.live_poll:g} s; polling viewers ask every {args.poll_every:g} s")  # fmt: skip
    header = f"{'mode':<28}{'viewers':>8}{'p50 s':>8}{'p95 s':>8}{'max s':>8}{'missed':>8}{'errors':>8}"
    print(header + f"{'CPU':>7}{'memory':>10}  target p95 < 2 s, no error")
    for row in results:
        delays = row["delays"]
        errors = sum(row["errors"].values())
        p95 = percentile(delays, 0.95) if delays else float("nan")
        verdict = (
            "PASS" if delays and p95 < TARGET_P95_SECONDS and not errors and not row["missed"] else "MISS"
        )
        label = "server-sent events (uvicorn)" if row["mode"] == "sse" else "conditional polling (gunicorn)"
        print(
            f"{label:<28}{row['viewers']:>8,}{percentile(delays, 0.5):>8.2f}{p95:>8.2f}"
            f"{max(delays, default=float('nan')):>8.2f}{row['missed']:>8,}{errors:>8,}"
            f"{row['cpu_share']:>6.0%}{row['memory_mb']:>8.0f} MB  {verdict}"
        )
        if row["errors"]:
            print(f"  errors: {row['errors']}")
        if row["mode"] == "sse":
            print(f"  {row['connected']:,} streams open in {row['connect_seconds']:.1f} s")
    load = os.getloadavg()[0]
    print(f"load average (1 min) at the end: {load:.1f} on {os.cpu_count()} cores")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--viewers", type=int, default=10000)
    parser.add_argument("--answers", type=int, default=6)
    parser.add_argument("--every", type=float, default=10.0, help="seconds between answers")
    parser.add_argument("--workers", type=int, default=2, help="server processes")
    parser.add_argument("--ramp", type=int, default=500, help="streams opened per second")
    parser.add_argument("--live-poll", type=float, default=0.5, help="MOTCUA_LIVE_POLL_SECONDS")
    parser.add_argument("--poll-viewers", type=int, default=1000, help="viewers of the polling run (0: none)")
    parser.add_argument("--poll-every", type=float, default=2.0)
    # The client process's own arguments.
    parser.add_argument("--client", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="sse", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--session", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--revision", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        return client_main(args)

    with tempfile.TemporaryDirectory(prefix="motcua-bench-dialogue-") as folder:
        tmp = Path(folder)
        env = production_environment(tmp)
        env["MOTCUA_LIVE_POLL_SECONDS"] = str(args.live_poll)
        env["MOTCUA_CACHE_DIR"] = str(tmp / "cache")  # one cache for every worker (as Redis in production)
        env["MOTCUA_TASKS"] = "eager"  # e-mails to the outbox folder as they are queued; no broker needed
        os.environ.update(env)
        sys.path.insert(0, str(ROOT / "src"))
        rounds = len(range(2 if args.poll_viewers else 1))
        prepared = prepare(args.answers * rounds)
        questions = prepared["questions"]
        database = "PostgreSQL" if env.get("DATABASE_URL", "").startswith("postgres") else "SQLite"
        print(
            f"database: {database}; session {prepared['session']}; {len(questions)} questions approved",
            flush=True,
        )
        results = []
        port = free_port()
        server = start_live(env, port, args.workers, tmp)
        try:
            wait_for_port(server, port)
            print(f"server-sent events: {args.viewers:,} viewers…", flush=True)
            results.append(
                measure(
                    "sse",
                    server,
                    port,
                    prepared | {"questions": questions[: args.answers]},
                    args.viewers,
                    args,
                )
            )
        finally:
            stop(server)
        if args.poll_viewers:
            port = free_port()
            server = start_gunicorn(env, port, args.workers, tmp)
            try:
                wait_until_healthy(server, port)
                print(f"conditional polling: {args.poll_viewers:,} viewers…", flush=True)
                later = prepared | {
                    "questions": questions[args.answers :],
                    "revision": results[-1]["revision"],
                }
                results.append(measure("poll", server, port, later, args.poll_viewers, args))
            finally:
                stop(server)
        report(results, args)
    return 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
