"""Production's path for background work: the task goes to a real Redis broker and a real Celery worker
sends the e-mail. The test starts ``redis-server`` on loopback (Debian's package; CI installs it) and a
worker inside the test process, and stops both."""

import os
import shutil
import socket
import subprocess
import threading
import time

import pytest
from celery.signals import task_postrun
from django.core import mail
from django.db import transaction

from motcua.celery import app
from motcua.core.tests.processes import broker
from motcua.notifications import services
from motcua.notifications.models import Delivery, DeliveryStatus

from .conftest import SUBMITTED

REDIS = shutil.which("redis-server")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    if REDIS is None:
        message = "redis-server not found: `apt-get install redis-server` runs the Celery test"
        if os.environ.get("MOTCUA_E2E_REQUIRED"):
            pytest.fail(message)
        pytest.skip(message)
    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(  # noqa: S603
        [
            REDIS,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(folder),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


@pytest.fixture
def celery_worker(redis_url):
    from celery.contrib.testing.worker import start_worker

    # broker() also drops the connections an earlier test of this process kept to its own broker: a
    # task published on one of those went nowhere (kept for later, as when the broker is down).
    with broker(redis_url), start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


@pytest.mark.django_db(transaction=True)
def test_an_e_mail_goes_through_redis_and_a_celery_worker(celery_worker, citizen, agency):
    # The test waits for the worker's own signal, not by polling the table: on SQLite the test database is
    # one in-memory database shared by both threads, where a read of the test can make a write of the worker
    # fail at once ("database table is locked") instead of waiting.
    finished = threading.Event()

    def on_postrun(sender=None, **kwargs):
        if sender is not None and sender.name == "motcua.notifications.send_delivery":
            finished.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        with transaction.atomic():
            services.notify(
                topic="dossier.submitted", template="dossier_submitted", context=SUBMITTED,
                recipient=citizen, subject=agency, channels=["email"],
            )  # fmt: skip
        assert finished.wait(15), "the worker did not run the task"
    finally:
        task_postrun.disconnect(on_postrun)
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.SENT
    assert [m.to for m in mail.outbox] == [["an@example.vn"]]
