"""Liveness and readiness: is the process up and can it reach its database?"""

import contextlib
import uuid

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


# Once every migration is applied it stays so for the life of the process (a deployment migrates before it
# starts new processes): the positive answer is kept, a negative one is asked again at the next probe.
_migrations_applied = False


def migrations_status(connection: BaseDatabaseWrapper) -> tuple[bool, str]:
    """Are all migrations applied on ``connection``? (ok, reason), without raising."""
    global _migrations_applied
    if _migrations_applied:
        return True, "ok"
    from django.db.migrations.executor import MigrationExecutor

    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except (DatabaseError, OSError) as exc:
        return False, exc.__class__.__name__
    if plan:
        names = sorted({f"{migration.app_label}.{migration.name}" for migration, _backwards in plan})
        return False, f"{len(names)} unapplied: {', '.join(names[:5])}" + (" …" if len(names) > 5 else "")
    _migrations_applied = True
    return True, "ok"


def forget_migrations() -> None:
    """Ask about migrations again at the next probe (tests that migrate back and forth)."""
    global _migrations_applied
    _migrations_applied = False


def is_shared_cache(alias: str = "default") -> bool:
    """Is the cache shared between processes (Redis, files, memcached), so that its loss matters?"""
    from django.conf import settings

    backend = settings.CACHES[alias]["BACKEND"]
    return not backend.endswith(("LocMemCache", "DummyCache"))


def cache_status(alias: str = "default") -> tuple[bool, str]:
    """Write and read one short-lived key in the cache; (ok, reason) without raising."""
    from django.core.cache import caches

    key = f"motcua:readyz:{uuid.uuid4().hex}"
    try:
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        value = cache.get(key)
        cache.delete(key)
    except Exception as exc:  # Redis, the file system or memcached: each backend raises its own errors
        return False, exc.__class__.__name__
    if value != "1":
        return False, "value not read back"
    return True, "ok"


def readiness(connection: BaseDatabaseWrapper) -> tuple[bool, dict]:
    """Can this process serve? The database answers, its migrations are all applied, and the shared cache
    (when there is one) is reachable. (ready, {check: "ok" or the reason})."""
    checks = {}
    ok, checks["database"] = database_status(connection)
    if ok:
        _ok, checks["migrations"] = migrations_status(connection)
    else:
        checks["migrations"] = "not checked: no database"
    if is_shared_cache():
        _ok, checks["cache"] = cache_status()
    return all(value == "ok" for value in checks.values()), checks
