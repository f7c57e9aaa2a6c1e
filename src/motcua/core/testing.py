"""Helpers for tests that run real threads against the database (concurrency tests of several apps).

On SQLite, pytest-django's shared in-memory database answers "database table is locked" at once to a
second writer instead of waiting as the file database of ``make run`` does (busy timeout); ``retrying``
plays that busy timeout. PostgreSQL waits on its row locks by itself and is never retried.
"""

import threading
import time

from django.db import OperationalError, close_old_connections, connection


def retrying(call):
    for _ in range(400):
        try:
            return call()
        except OperationalError as exc:
            if connection.vendor != "sqlite" or "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


def run_threads(count: int, target):
    """Start ``count`` threads at the same moment, each calling ``target(i)`` with its own connection;
    returns the results in order, or fails with every exception a thread raised."""
    errors, results = [], [None] * count
    start = threading.Barrier(count)

    def body(i):
        try:
            start.wait()
            results[i] = target(i)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=body, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results
