"""Background work, the same tasks whatever runs them (``MOTCUA_TASKS``).

A task is a Celery task (``@shared_task``) whose body is safe to run twice and that keeps its own record of
success and failure in the database (e.g. the notifications outbox): a lost or repeated run is repaired by
the task's own sweep, never by the queue. ``enqueue`` hands a task over only after the current transaction
commits, so a task never sees data that was rolled back, and a rolled-back request queues nothing.

- ``celery``: to the broker, for Celery workers (production). A task the broker cannot take (Redis down)
  is kept in the database (``PendingDispatch``) and handed over by ``redispatch`` (Celery beat, every
  minute) once the broker is back: a request that queued work while Redis was down loses none of it.
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

from celery import shared_task
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
        try:
            task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
        except Exception as exc:  # kombu's OperationalError, redis' ConnectionError: the broker is down
            _keep(task.name, args, kwargs, countdown, exc)
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


def _keep(name: str, args, kwargs, countdown, exc: Exception) -> None:
    from .models import PendingDispatch

    logger.warning("Broker unavailable (%s): task %s kept for later", exc, name)
    PendingDispatch.objects.create(
        task=name, args=list(args), kwargs=kwargs, countdown=countdown, last_error=str(exc)[:2000]
    )


@shared_task(name="motcua.core.redispatch", ignore_result=True)
def redispatch(limit: int = 1000) -> int:
    """Hand the tasks kept while the broker was down over to it, oldest first; returns how many went.
    Stops at the first refusal (the broker is still down); safe to run in several places at once."""
    from motcua.celery import app

    from .models import PendingDispatch

    sent = 0
    for pk in PendingDispatch.objects.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            kept = PendingDispatch.objects.select_for_update(**_skip_locked()).filter(pk=pk).first()
            if kept is None:  # another run took it
                continue
            try:
                app.tasks[kept.task].apply_async(args=kept.args, kwargs=kept.kwargs, countdown=kept.countdown)
            except Exception as exc:
                PendingDispatch.objects.filter(pk=pk).update(
                    attempts=kept.attempts + 1, last_error=str(exc)[:2000]
                )
                logger.warning(
                    "Broker still unavailable (%s): %s tasks wait", exc, PendingDispatch.objects.count()
                )
                break
            kept.delete()  # a crash right here sends it twice: every task is safe to run twice
        sent += 1
    return sent


def _skip_locked() -> dict:
    return {"skip_locked": True} if connection.features.has_select_for_update_skip_locked else {}


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
