"""Production's path: the request id goes with a task through a real Redis broker to a real Celery worker
(in a message header), so the worker's log records of that task show it; the queue's length is read from
Redis at each scrape; a task that fails in the worker is counted."""

import logging
import threading

import pytest
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from prometheus_client.parser import text_string_to_metric_families

from motcua.celery import app
from motcua.core import logs, tasks, views
from motcua.core.tests.processes import broker
from motcua.notifications.tests.test_celery_redis import redis_url  # noqa: F401  (a real redis-server)

task_logger = logging.getLogger("motcua.tests.celery")


@app.task(name="motcua.tests.observe_logged")
def logged(note):
    task_logger.info("worker says %s", note)


@app.task(name="motcua.tests.observe_broken")
def broken():
    raise RuntimeError("broken on purpose")


@csrf_exempt
def queue_logged(request):
    tasks.enqueue(logged, "hello")
    return HttpResponse("queued")


@csrf_exempt
def queue_broken(request):
    tasks.enqueue(broken)
    return HttpResponse("queued")


urlpatterns = [
    path("queue-logged", queue_logged),
    path("queue-broken", queue_broken),
    path("metrics", views.metrics, name="metrics"),
]


@pytest.fixture
def celery_mode(redis_url, settings):  # noqa: F811
    settings.CELERY_BROKER_URL = redis_url
    # broker() also drops the connections an earlier test of this process kept to another broker.
    with broker(redis_url):
        try:
            yield redis_url
        finally:
            with app.connection_for_write() as connection:
                connection.default_channel.queue_purge(settings.CELERY_TASK_DEFAULT_QUEUE)


@pytest.fixture
def worker(celery_mode):
    from celery.contrib.testing.worker import start_worker

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        yield


class Keeper(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(logs.ContextFilter())
        self.records = []
        self.arrived = threading.Event()

    def emit(self, record):
        self.records.append(record)
        self.arrived.set()


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_the_request_id_of_the_request_that_queued_the_task(client, worker):
    keeper = Keeper()
    task_logger.addHandler(keeper)
    task_logger.setLevel(logging.INFO)
    try:
        response = client.post("/queue-logged")
        assert keeper.arrived.wait(15), "the worker did not run the task"
    finally:
        task_logger.removeHandler(keeper)
    [record] = keeper.records
    assert record.request_id == response["X-Request-ID"]
    assert record.task_name == "motcua.tests.observe_logged"
    assert record.task_id and record.threadName != threading.current_thread().name


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_a_task_that_fails_in_the_worker_is_counted(client, worker):
    from celery.signals import task_postrun

    key = ("motcua_task_failures_total", (("task", "motcua.tests.observe_broken"),))
    before = scrape(client).get(key, 0)
    done = threading.Event()

    def on_postrun(sender=None, **_kwargs):
        if sender is not None and sender.name == "motcua.tests.observe_broken":
            done.set()

    task_postrun.connect(on_postrun, weak=False)
    try:
        client.post("/queue-broken")
        assert done.wait(15), "the worker did not run the task"
    finally:
        task_postrun.disconnect(on_postrun)
    assert scrape(client)[key] == before + 1


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_the_queue_length_is_read_from_redis(client, celery_mode):
    for _ in range(3):  # no worker: they wait in the queue
        client.post("/queue-logged")
    samples = scrape(client)
    assert samples[("motcua_task_queue_length", (("queue", "motcua"),))] == 3
    assert samples[("motcua_task_broker_up", ())] == 1


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_said_so(client, settings):
    from motcua.notifications.tests.test_celery_redis import free_port

    settings.MOTCUA_TASKS = "celery"
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{free_port()}/0"
    samples = scrape(client)
    assert samples[("motcua_task_broker_up", ())] == 0
    assert not any(name == "motcua_task_queue_length" for name, _labels in samples)
