"""Background work, the same tasks whatever runs them (``MOTCUA_TASKS``).

A task is a Celery task (``@shared_task``) whose body is safe to run twice and that keeps its own record of
success and failure in the database (e.g. the notifications outbox): a lost or repeated run is repaired by
the task's own sweep, never by the queue. ``enqueue`` hands a task over only after the current transaction
commits, so a task never sees data that was rolled back, and a rolled-back request queues nothing.

- ``celery``: to the broker, for Celery workers (production).
- ``inprocess``: a small thread pool of the web process (the embedded default, ``make run``).
- ``eager``: at once, in the caller's thread (tests); a delayed task waits in ``deferred`` until a test
  runs it.

Whatever runs it, a task's log records carry the id of the request that queued it (``core.logs``), and a
task that raises is counted in the metrics (``motcua_task_failures_total``).
"""

import logging
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import close_old_connections, connection, transaction

from . import metrics
from .logs import current_request_id, task_context

logger = logging.getLogger(__name__)

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()
# (task, args, kwargs, request id) queued with a countdown in eager mode, for tests to run when they choose.
deferred: list[tuple] = []


def enqueue(task, *args, countdown: float | None = None, **kwargs) -> None:
    """Run ``task(*args, **kwargs)`` once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: dispatch(task, args, kwargs, countdown), robust=True)


def dispatch(task, args=(), kwargs=None, countdown: float | None = None) -> None:
    kwargs = kwargs or {}
    mode = settings.MOTCUA_TASKS
    # Read here, in the thread of the request that queued the task (Celery's carries it in its headers).
    request_id = current_request_id()
    if mode == "celery":
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
    elif mode == "eager":
        if countdown:
            deferred.append((task, args, kwargs, request_id))
        else:
            _run(task, args, kwargs, close=False, request_id=request_id)
    elif countdown:
        timer = threading.Timer(countdown, lambda: _submit(task, args, kwargs, request_id))
        timer.daemon = True
        timer.start()
    else:
        _submit(task, args, kwargs, request_id)


def run_deferred() -> int:
    """Eager mode: run the delayed tasks queued so far (tests of retries); returns how many ran."""
    count = 0
    while deferred:
        task, args, kwargs, request_id = deferred.pop(0)
        _run(task, args, kwargs, close=False, request_id=request_id)
        count += 1
    return count


def _submit(task, args, kwargs, request_id: str | None = None) -> None:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(
                max_workers=settings.MOTCUA_TASK_THREADS, thread_name_prefix="motcua-task"
            )
        _pool.submit(_run, task, args, kwargs, True, request_id)


def _run(task, args, kwargs, close: bool, request_id: str | None = None) -> None:
    name = getattr(task, "name", None) or getattr(task, "__qualname__", repr(task))
    with task_context(name, uuid.uuid4().hex, request_id):
        try:
            if close:
                close_old_connections()
            # ``run`` is the task's own function: no broker, no Celery result backend.
            getattr(task, "run", task)(*args, **kwargs)
        except Exception:
            # A task records its own failures; anything else is a bug to log, never to raise into a request.
            metrics.task_failed(name)
            logger.exception("Task %s failed", name)
        finally:
            if close:
                connection.close()
