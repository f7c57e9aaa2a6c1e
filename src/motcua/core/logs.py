"""What every log record says about where it comes from: the request id, the signed-in account's id, and in
a background task the task's name and id (with the request id of the request that queued it).

The context lives in context variables, set by ``core.middleware.ObservabilityMiddleware`` for a request and
by ``core.tasks`` and ``core.celery_signals`` for a task; ``ContextFilter`` (on the handlers of ``LOGGING``)
copies it onto each record. ``LOG_FORMAT=json`` writes one JSON object per line (python-json-logger), for a
log collector; ``text`` (the default) one readable line.

Nothing personal is added: the account's database id, never its name, phone number or personal ID number.
"""

import contextlib
import contextvars
import logging
import re
import uuid

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("motcua_request_id", default=None)
# The request being served (its user is read only once something else has loaded it, never by a log line).
request_var: contextvars.ContextVar = contextvars.ContextVar("motcua_request", default=None)
# (task name, task id) while a background task runs.
task_var: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("motcua_task", default=None)

# What a proxy may send as X-Request-ID: short, and nothing a log reader or a header could trip on.
REQUEST_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
# The name of the Celery message header that carries the request id to the worker.
TASK_HEADER = "motcua_request_id"


def new_request_id() -> str:
    return uuid.uuid4().hex


def clean_request_id(value: str | None) -> str | None:
    """``value`` if it is an acceptable request id, else None."""
    if value and REQUEST_ID_PATTERN.fullmatch(value):
        return value
    return None


def current_request_id() -> str | None:
    return request_id_var.get()


def user_id_of(request) -> int | None:
    """The id of the account signed in on ``request``, if something has already loaded it.

    ``request.user`` is lazy (a session and a database read): a log line must not be what loads it, nor
    recurse into the database logger while it does.
    """
    if request is None:
        return None
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty:
        return None
    if not getattr(wrapped, "is_authenticated", False):
        return None
    return getattr(wrapped, "pk", None)


@contextlib.contextmanager
def task_context(name: str, task_id: str, request_id: str | None):
    """Log records inside say they come from task ``name`` (``task_id``), queued by ``request_id``."""
    tokens = (request_id_var.set(request_id), request_var.set(None), task_var.set((name, task_id)))
    try:
        yield
    finally:
        task_var.reset(tokens[2])
        request_var.reset(tokens[1])
        request_id_var.reset(tokens[0])


class ContextFilter(logging.Filter):
    """Adds ``request_id``, ``user_id``, ``task_name`` and ``task_id`` to every record (None outside)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        if not hasattr(record, "user_id"):
            record.user_id = user_id_of(request_var.get())
        task = task_var.get()
        if task and not hasattr(record, "task_name"):
            record.task_name, record.task_id = task
        return True


# Attributes of a record never written out: Django's "django.request" and "django.server" loggers attach
# the request object itself (its repr holds the query string) and the socket.
OMITTED = ("request", "server_time", "args", "msg", "exc_text", "stack_info", "color_message")


def json_formatter() -> logging.Formatter:
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, then the context and any
    ``extra`` fields (the access line's method, path, status, duration_ms)."""
    from pythonjsonlogger.core import RESERVED_ATTRS

    return JsonFormatter(
        "%(levelname)s %(name)s %(message)s",
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        reserved_attrs=[*RESERVED_ATTRS, *OMITTED],
        json_ensure_ascii=False,
    )


class TextFormatter(logging.Formatter):
    """A readable line for a terminal, the request id in brackets when there is one."""

    def __init__(self):
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        parts = [getattr(record, "request_id", None), getattr(record, "task_name", None)]
        parts = [part for part in parts if part]
        record.context = f" [{' '.join(parts)}]" if parts else ""
        return super().format(record)
