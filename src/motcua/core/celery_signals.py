"""The request id travels with a Celery task: put in the message's headers when the task is queued (in the
web process), read back by the worker around the task's run, so that the task's log records show the request
that queued it, and the task's name and id. A failed task is counted in the metrics."""

from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun

from . import metrics
from .logs import TASK_HEADER, current_request_id, task_context

# The open log context of each running task, by task id, closed when the task ends.
_contexts: dict = {}


def add_request_id(headers=None, **_kwargs) -> None:
    request_id = current_request_id()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def enter_task(task_id=None, task=None, **_kwargs) -> None:
    request_id = getattr(task.request, TASK_HEADER, None) if task is not None else None
    context = task_context(getattr(task, "name", "?"), task_id or "?", request_id)
    context.__enter__()
    _contexts[task_id] = context


def leave_task(task_id=None, **_kwargs) -> None:
    context = _contexts.pop(task_id, None)
    if context is not None:
        context.__exit__(None, None, None)


def count_failure(sender=None, **_kwargs) -> None:
    metrics.task_failed(getattr(sender, "name", "?"))


def connect() -> None:
    before_task_publish.connect(add_request_id, weak=False, dispatch_uid="motcua.request_id.publish")
    task_prerun.connect(enter_task, weak=False, dispatch_uid="motcua.request_id.prerun")
    task_postrun.connect(leave_task, weak=False, dispatch_uid="motcua.request_id.postrun")
    task_failure.connect(count_failure, weak=False, dispatch_uid="motcua.metrics.task_failure")
