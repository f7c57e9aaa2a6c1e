"""Liveness and readiness: is the process up and can it reach its database?"""

import contextlib

from django.db import DatabaseError
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
