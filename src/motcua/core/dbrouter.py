"""Where a query goes when a streaming replica (bản sao chỉ đọc) of the PostgreSQL primary is configured.

With ``DATABASE_REPLICA_URL`` set, the settings add the database alias ``replica``, install
``PrimaryReplicaRouter`` and ``ReadYourWritesMiddleware``. One table and one function hold the rule:

- the replica serves only reads of the apps in ``REPLICA_APPS`` (statistics and the public catalogue: what
  many visitors read and few write), and only inside a web request that may read there (``may_read_replica``);
- everything else goes to the primary: every write, every read of the other apps, every read outside a
  request (Celery tasks, management commands, the shell: they write what they read), inside a transaction,
  in a request that will write (POST, PUT, PATCH, DELETE), in a request once it has written, and for
  ``MOTCUA_REPLICA_PIN_SECONDS`` after a signed-in person (or any unsafe request) wrote: a cookie pins their
  browser to the primary, so that what they just saved never seems to vanish while the replica catches up;
- migrations run on the primary only (the replica copies them, being read-only).

Without ``DATABASE_REPLICA_URL`` none of this is installed: one database, as before.
"""

import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PRIMARY = DEFAULT_DB_ALIAS
REPLICA = "replica"
ROUTER = "motcua.core.dbrouter.PrimaryReplicaRouter"
MIDDLEWARE = "motcua.core.dbrouter.ReadYourWritesMiddleware"

# Read from the replica: the statistics (figures, indicators, score schemes) and the public catalogue
# (procedures, agencies, sectors, fees, legal documents).
REPLICA_APPS = frozenset({"stats", "catalog"})
# Writes that say nothing a person will read back: the session's own renewal (IdleSessionMiddleware renews it
# once a minute) must not pin every signed-in browser to the primary.
UNPINNING_APPS = frozenset({"sessions"})
PIN_COOKIE = "motcua_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class RequestScope:
    """What the router knows of the web request in progress (one per request, in a context variable)."""

    replica: bool  # its reads of REPLICA_APPS may go to the replica
    wrote: bool = False


_scope: ContextVar[RequestScope | None] = ContextVar("motcua_db_scope", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


def may_read_replica(model) -> bool:
    """Whether a read of ``model`` may be served by the replica now (see the module's rule)."""
    if model._meta.app_label not in REPLICA_APPS or not replica_configured():
        return False
    scope = _scope.get()
    if scope is None or not scope.replica:
        return False
    # A transaction reads what it is about to change: from the primary, in the same snapshot.
    return not connections[PRIMARY].in_atomic_block


def note_write(model) -> None:
    """The request in progress wrote: its later reads, and its person's next ones, go to the primary."""
    scope = _scope.get()
    if scope is not None and model._meta.app_label not in UNPINNING_APPS:
        scope.replica = False
        scope.wrote = True


class PrimaryReplicaRouter:
    """Django's database router for the primary and its replica (``DATABASE_ROUTERS``)."""

    def db_for_read(self, model, **hints):
        return REPLICA if may_read_replica(model) else PRIMARY

    def db_for_write(self, model, **hints):
        note_write(model)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: a dossier (primary) may point to a procedure read on the replica.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


def pin_seconds() -> int:
    return settings.MOTCUA_REPLICA_PIN_SECONDS


def _pinned_by_cookie(request) -> bool:
    try:
        until = int(request.COOKIES.get(PIN_COOKIE, ""))
    except ValueError:
        return False
    return time.time() < until <= time.time() + pin_seconds()


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class ReadYourWritesMiddleware:
    """Opens the request's scope for the router, and pins a person who wrote to the primary for a while.

    Early in the stack (before the session and authentication), so that every read of the request is routed
    by the same rule. A request that will write, or whose browser carries a valid pin, reads only the primary.
    The pin is set after a write by a signed-in person or by an unsafe request, never on an anonymous GET:
    public pages keep no cookie (the page cache stores only answers without one).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = RequestScope(replica=request.method in SAFE_METHODS and not _pinned_by_cookie(request))
        token = _scope.set(scope)
        try:
            response = self.get_response(request)
        finally:
            _scope.reset(token)
        if scope.wrote and (request.method not in SAFE_METHODS or _signed_in(request)):
            seconds = pin_seconds()
            response.set_cookie(
                PIN_COOKIE,
                str(int(time.time()) + seconds),
                max_age=seconds,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
