"""Each request has an id: in its X-Request-ID answer header, in every log record written while it is served,
and in the records of the tasks it queued (eager and in-process modes here; Celery in
test_celery_observability.py). LOG_FORMAT=json writes one JSON object a line, with nothing personal."""

import json
import logging
import threading

import pytest
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from motcua.core import logs, tasks
from motcua.core.middleware import request_id_of

pytestmark = pytest.mark.django_db

task_logger = logging.getLogger("motcua.tests.task")


def logged_task(note="hello"):
    task_logger.info("task says %s", note)


@csrf_exempt
def queue_a_task(request):
    tasks.enqueue(logged_task, "from a request")
    return HttpResponse("queued")


urlpatterns = [path("queue", queue_a_task)]


class RecordKeeper(logging.Handler):
    """Keeps the records of a logger after the context filter has run on them, as the console handler's."""

    def __init__(self):
        super().__init__()
        self.addFilter(logs.ContextFilter())
        self.records: list[logging.LogRecord] = []
        self.done = threading.Event()

    def emit(self, record):
        self.records.append(record)
        if record.name == "motcua.tests.task":
            self.done.set()


@pytest.fixture
def keeper():
    handler = RecordKeeper()
    names = ["motcua.access", "motcua.tests.task", "django.request", "motcua.core.tasks"]
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.DEBUG)
    yield handler
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def access_lines(keeper):
    return [r for r in keeper.records if r.name == "motcua.access"]


def test_each_request_gets_a_new_id_in_its_answer_and_its_access_line(client, keeper):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert first["X-Request-ID"] != second["X-Request-ID"]
    [line_one, line_two] = access_lines(keeper)
    assert line_one.request_id == first["X-Request-ID"]
    assert line_two.request_id == second["X-Request-ID"]
    assert (line_one.method, line_one.path, line_one.status) == ("GET", "/healthz", 200)
    assert line_one.route == "healthz"
    assert line_one.duration_ms >= 0


def test_a_trusted_proxys_request_id_is_kept(client, settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get("/healthz", HTTP_X_REQUEST_ID="nginx-7f3a.b_2")
    assert response["X-Request-ID"] == "nginx-7f3a.b_2"


def test_a_clients_own_request_id_is_not_believed(client, settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
    response = client.get("/healthz", HTTP_X_REQUEST_ID="made-up-by-the-client", REMOTE_ADDR="203.0.113.7")
    assert response["X-Request-ID"] != "made-up-by-the-client"
    settings.MOTCUA_TRUSTED_PROXIES = []
    response = client.get("/healthz", HTTP_X_REQUEST_ID="made-up-by-the-client")
    assert response["X-Request-ID"] != "made-up-by-the-client"


@pytest.mark.parametrize("sent", ["", "a b", "x" * 65, "id\nforged: line", "<script>", "é"])
def test_a_malformed_request_id_is_replaced(rf, settings, sent):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
    request = rf.get("/", HTTP_X_REQUEST_ID=sent)
    assert logs.REQUEST_ID_PATTERN.fullmatch(request_id_of(request))
    assert request_id_of(request) != sent


def test_refusals_are_logged_with_the_request_id(client, keeper):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 403
    [refusal] = [r for r in keeper.records if r.name == "django.request"]
    assert refusal.request_id == response["X-Request-ID"]


def test_the_access_line_names_the_signed_in_account_by_its_id_only(client, citizen, keeper):
    client.force_login(citizen)
    client.get("/tai-khoan/?q=0912345678")
    [line] = access_lines(keeper)
    assert line.user_id == citizen.pk
    assert line.path == "/tai-khoan/"  # the query string, which may hold personal data, is left out
    assert "0912345678" not in line.getMessage()


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)  # the request's own commit runs the task, as in production
def test_an_eager_task_logs_the_request_that_queued_it(client, keeper):
    response = client.post("/queue")
    [record] = [r for r in keeper.records if r.name == "motcua.tests.task"]
    assert record.request_id == response["X-Request-ID"]
    assert record.task_name == "logged_task" and record.task_id
    assert logs.current_request_id() is None  # nothing stays behind once the request is answered


def test_an_in_process_task_runs_in_another_thread_with_the_request_id(settings, keeper):
    settings.MOTCUA_TASKS = "inprocess"
    token = logs.request_id_var.set("req-thread-1")
    try:
        tasks.dispatch(logged_task, ("from a thread",))
    finally:
        logs.request_id_var.reset(token)
    assert keeper.done.wait(10)
    [record] = [r for r in keeper.records if r.name == "motcua.tests.task"]
    assert record.request_id == "req-thread-1"
    assert record.threadName.startswith("motcua-task")
    assert record.task_id


def test_json_lines_carry_the_context_and_the_access_fields(client, citizen, capsys):
    handler = logging.StreamHandler()
    handler.addFilter(logs.ContextFilter())
    handler.setFormatter(logs.json_formatter())
    access = logging.getLogger("motcua.access")
    access.addHandler(handler)
    try:
        client.force_login(citizen)
        response = client.get("/tai-khoan/?q=secret")
    finally:
        access.removeHandler(handler)
    [line] = capsys.readouterr().err.strip().splitlines()
    entry = json.loads(line)
    assert entry["level"] == "INFO" and entry["logger"] == "motcua.access"
    assert entry["request_id"] == response["X-Request-ID"]
    assert entry["user_id"] == citizen.pk
    assert (entry["method"], entry["path"], entry["status"]) == ("GET", "/tai-khoan/", response.status_code)
    assert isinstance(entry["duration_ms"], float)
    assert entry["time"].endswith("+00:00")
    assert "secret" not in line
    for personal in (citizen.username, citizen.get_full_name(), citizen.email):
        if personal:
            assert personal not in line
