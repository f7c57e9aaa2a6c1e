"""Fault: the app process killed (SIGKILL) in the middle of a submission, on PostgreSQL. A real gunicorn under
deploy/gunicorn.conf.py serves the test's database; a citizen's program sends a dossier through the API as
bench/submit.py does (a draft with an Idempotency-Key, a PDF for its paper, the submission).

The test stops the worker inside the transaction it wants to interrupt by holding, from a connection of its
own, a lock that transaction needs next; once pg_stat_activity shows the worker's backend waiting on it, the
worker is killed and the lock released: PostgreSQL rolls the dead backend's transaction back. Twice:

- in the upload, after the file is written, before its row is inserted (``LOCK TABLE … IN SHARE MODE``
  on the attachments): the file is left in storage without a row, for the sweep
  (``manage.py delete_orphan_attachments``) to delete once it is older than its grace period;
- in the submission, near its end (the notification's deliveries, the last rows but its audit entry): the
  dossier, its code, history, charge and its audit entry, the notification are written, none committed.

Nothing half-done remains: the dossier is still a draft, no code number is used up, no charge, no history,
no audit entry, no e-mail queued; then the same program retries, the same draft comes back for the same key
and the dossier is sent, with code number 1 of the day.

PostgreSQL only (its locks and pg_stat_activity): the PostgreSQL pass of CI runs it. About 5 s: gunicorn
starts once and replaces its killed worker twice.
"""

import json
import os
import signal
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from motcua.accounts import services as account_services
from motcua.audit.models import AuditEntry
from motcua.catalog.models import Fee
from motcua.core.tests import processes
from motcua.dossiers import services
from motcua.dossiers.models import Attachment, CodeSequence, Dossier, DossierEvent, DossierStatus
from motcua.dossiers.services.numbering import format_code
from motcua.notifications.models import Delivery, Notification
from motcua.payments.models import Charge, Payment
from motcua.workcalendar import selectors as calendar

from .fixtures import pdf_bytes

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="row and table locks seen in pg_stat_activity: the PostgreSQL pass (DATABASE_URL=postgres://…)",
    ),
    pytest.mark.django_db(transaction=True),
]


class Client:
    """The citizen's program: JSON and multipart requests with its bearer token, as bench/submit.py sends
    them."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token

    def post(self, path: str, body: bytes = b"", content_type: str = "application/json", **headers):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", data=body, method="POST",
            headers={
                "Authorization": f"Bearer {self.token}", "Content-Type": content_type,
                "Accept-Language": "en", **headers,
            },
        )  # fmt: skip
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def draft(self, key: str, data: dict):
        body = json.dumps({"procedure": "9.100001", "data": data}).encode()
        return self.post("/api/v1/dossiers/", body, **{"Idempotency-Key": key})

    def attach(self, dossier: str, content: bytes):
        boundary = f"----motcua-fault-{uuid.uuid4().hex}"
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="component"\r\n\r\n1\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="to-khai.pdf"\r\n'
                "Content-Type: application/pdf\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        return self.post(
            f"/api/v1/dossiers/{dossier}/attachments/", body, f"multipart/form-data; boundary={boundary}"
        )

    def submit(self, dossier: str, key: str):
        return self.post(f"/api/v1/dossiers/{dossier}/submit/", **{"Idempotency-Key": key})


class Blocker:
    """A connection of the test's own, holding a lock the worker's transaction will need."""

    def __init__(self):
        self.connection = connection.get_new_connection(connection.get_connection_params())

    def hold(self, sql: str) -> None:
        self.connection.execute(sql)  # psycopg opens a transaction: the lock is held until ``release``

    def release(self) -> None:
        self.connection.rollback()

    def close(self) -> None:
        self.connection.close()


def waiting_backends() -> list[int]:
    """The backends of this database waiting for a lock (pg_stat_activity, read afresh each call)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def backend_alive(pid: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
        return cursor.fetchone()[0] == 1


def written_tables(backend: int) -> set[str]:
    """The tables ``backend`` has written to in its open transaction (the locks its writes hold)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relation::regclass::text FROM pg_locks WHERE pid = %s AND mode = 'RowExclusiveLock' "
            "AND locktype = 'relation'",
            [backend],
        )
        return {name for (name,) in cursor.fetchall()}


def kill_while_waiting(server, blocker: Blocker, lock_sql: str, request, *, written: set[str]) -> None:
    """Run ``request`` in a thread while ``lock_sql`` is held; once the worker's backend waits on that lock,
    having written to the tables ``written`` (and others), SIGKILL the worker, release the lock and wait
    until PostgreSQL has ended the dead backend (rolling its transaction back). The request itself ends
    without an answer."""
    blocker.hold(lock_sql)
    answers = []
    thread = threading.Thread(target=lambda: answers.append(_attempt(request)), daemon=True)
    thread.start()
    try:
        processes.wait_until(waiting_backends, 20, "the worker waiting on the test's lock")
        [backend] = waiting_backends()
        assert written <= written_tables(backend)  # inside the transaction, its writes not committed
        [worker] = processes.gunicorn_workers(server)
        os.kill(worker, signal.SIGKILL)
        thread.join(20)
    finally:
        blocker.release()
    processes.wait_until(lambda: not backend_alive(backend), 20, "the dead worker's backend ending")
    assert answers and isinstance(answers[0], OSError), answers  # no answer: the connection was cut


def _attempt(request):
    try:
        return request()
    except OSError as exc:  # RemoteDisconnected, ConnectionResetError
        return exc


def files_of(dossier: Dossier) -> list[str]:
    folder = Path(settings.PRIVATE_MEDIA_ROOT, "dossiers", str(dossier.uuid))
    return sorted(p.relative_to(settings.PRIVATE_MEDIA_ROOT).as_posix() for p in folder.iterdir())


def test_a_worker_killed_in_the_middle_of_a_submission_leaves_nothing_half_done(
    tmp_path, citizen, agency, procedure, online_form, valid_data
):
    Fee.objects.create(procedure=procedure, channel="online", name="Lệ phí", amount=20000)
    _token, raw = account_services.create_api_token(citizen)
    env = processes.child_settings(
        tmp_path,
        PRIVATE_MEDIA_ROOT=str(settings.PRIVATE_MEDIA_ROOT), MEDIA_ROOT=str(settings.MEDIA_ROOT),
        # Tasks go to a broker nobody reads (the outbox row is what counts here), e-mail to files.
        MOTCUA_TASKS="celery", CELERY_BROKER_URL="memory://",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
    )  # fmt: skip
    for name in ("REDIS_URL", "CELERY_BROKER_URL", "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS"):
        env.pop(name, None)
    port = processes.free_port()
    server = processes.gunicorn(env, port, tmp_path / "gunicorn.log", production=True)
    blocker = Blocker()
    client, pdf = Client(port, raw), pdf_bytes()
    try:
        status, created = client.draft("draft-1", valid_data)
        assert status == 201, created
        dossier = Dossier.objects.get(uuid=created["id"])

        # 1. Killed in the upload, its file written, its row not yet inserted.
        table = Attachment._meta.db_table
        kill_while_waiting(
            server, blocker, f"LOCK TABLE {table} IN SHARE MODE", lambda: client.attach(created["id"], pdf),
            written=set(),  # the file is written; the attachment's row is what it waits to insert
        )  # fmt: skip
        assert not Attachment.objects.exists()
        [orphan] = files_of(dossier)  # left for the sweep

        # The program retries: the same key gives the same draft; the paper goes in.
        status, again = client.draft("draft-1", valid_data)
        assert (status, again["id"]) == (201, created["id"])
        status, attached = client.attach(created["id"], pdf)
        assert status == 201, attached
        kept = Attachment.objects.get().file.name

        # 2. Killed near the end of the sending: dossier, code, history, charge (with its audit entry) and
        # notification written, its e-mail's delivery row awaited; nothing committed.
        audited = AuditEntry.objects.count()
        kill_while_waiting(
            server, blocker, f"LOCK TABLE {Delivery._meta.db_table} IN SHARE MODE",
            lambda: client.submit(created["id"], "send-1"),
            written={
                model._meta.db_table
                for model in (Dossier, CodeSequence, DossierEvent, Charge, AuditEntry, Notification)
            },
        )  # fmt: skip
        dossier.refresh_from_db()
        assert (dossier.status, dossier.code, dossier.submitted_at) == (DossierStatus.DRAFT, None, None)
        assert not CodeSequence.objects.filter(last__gt=0).exists()  # no number used up
        assert not DossierEvent.objects.filter(dossier=dossier).exists()
        assert not Charge.objects.exists() and not Payment.objects.exists()
        assert AuditEntry.objects.count() == audited
        assert not Notification.objects.exists() and not Delivery.objects.exists()

        # The program retries the sending: the dossier goes, with the day's first number.
        status, sent = client.submit(created["id"], "send-1")
        assert status == 200, sent
        dossier.refresh_from_db()
        day = calendar.local(dossier.submitted_at).date()
        assert sent["code"] == dossier.code == format_code(agency.code, day, 1)
        assert dossier.status == DossierStatus.SUBMITTED
        assert CodeSequence.objects.get(agency=agency, day=day).last == 1
        assert [e.action for e in DossierEvent.objects.filter(dossier=dossier)] == ["submit"]
        assert Charge.objects.get(dossier=dossier).amount == 20000
        assert AuditEntry.objects.filter(action="dossier.submit", target_label=dossier.code).count() == 1
        assert Notification.objects.filter(topic="dossier.submitted").count() == 1
        assert server.poll() is None  # the same gunicorn: it replaced its killed workers
    finally:
        blocker.close()
        processes.stop(server)

    # The daily sweep, an hour and more later: the killed upload's file goes, the paper sent stays.
    for name in (orphan, kept):
        moment = time.time() - 2 * 3600
        os.utime(Path(settings.PRIVATE_MEDIA_ROOT, name), (moment, moment))
    out = StringIO()
    call_command("delete_orphan_attachments", stdout=out)
    assert out.getvalue().splitlines()[0] == orphan
    assert files_of(dossier) == [kept]
    assert services.delete_orphan_files(older_than=timedelta(0)) == []
