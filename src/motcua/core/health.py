"""Liveness and readiness: is the process up and can it reach its database?"""

import contextlib

from django.db import DatabaseError, InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper


def database_status(connection: BaseDatabaseWrapper) -> tuple[bool, str]:
    """Run a trivial query on ``connection``; return (ok, reason) without raising."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (DatabaseError, OSError) as exc:
        # A broken connection must not stay cached: the next check should try again.
        with contextlib.suppress(DatabaseError, OSError):
            connection.close()
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        return False, reason
    return True, "ok"


def outage(exc: BaseException | None) -> str | None:
    """What a request failed on when it is a service out of reach rather than a bug: "database" (the
    database does not answer, or dropped the connection) or "ratelimit" (a limit cannot count: Redis is
    down); None otherwise. Such a request is answered 503, try again later (``motcua.errors``)."""
    from motcua.core.ratelimit import Unavailable

    while exc is not None:
        if isinstance(exc, Unavailable):
            return "ratelimit"
        if isinstance(exc, OperationalError | InterfaceError):
            return "database"
        exc = exc.__cause__
    return None
