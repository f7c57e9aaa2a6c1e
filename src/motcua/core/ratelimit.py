"""A fixed-window rate limit in the cache, shared by every worker when the cache is (Redis in production).

Used where guessing or flooding is the attack (public look-ups by dossier code, verification, password
reset e-mails, what petitions and dialogue questions send: ``per_client``) and by the API's throttles
(``api.throttling``). A window is one minute unless the caller names another length; the count of a client
is kept under a key of the scope, the client, the window's length and the window number. The count is
atomic (``add`` then ``incr``), so requests sent at once cannot slip past the limit together.

A limit fails closed: while the cache cannot count (Redis down), ``hit`` raises ``Unavailable`` and the
request is refused with a 503 that says so (``motcua.errors``), since a limit that lets everything through
when its counter is gone protects nothing. A caller whose limit only shapes load passes ``fail_open``.
"""

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60


class Unavailable(Exception):
    """The rate limit cannot count (its cache is down): the request it guards is refused."""


def hit(
    scope: str, client: str, limit: int, *, window: int = WINDOW_SECONDS, fail_open: bool = False
) -> bool:
    """Count one request of ``client`` in ``scope``; False when it goes over ``limit`` in this window of
    ``window`` seconds. ``Unavailable`` when it cannot count (True instead with ``fail_open``)."""
    if limit <= 0:
        return True
    number = int(time.time() // window)
    key = f"ratelimit:{scope}:{client}:{window}:{number}"
    try:
        return _count(getattr(cache, "strict", cache), key, limit, window)
    except Exception as exc:  # the cache's own errors: redis' ConnectionError, TimeoutError…
        if fail_open:
            return True
        logger.warning("Rate limit %s cannot count (%s): the request is refused", scope, exc)
        raise Unavailable(scope) from exc


def _count(counters, key: str, limit: int, window: int) -> bool:
    # add() creates the counter atomically; incr() is atomic on Redis and on the local memory cache.
    if counters.add(key, 1, timeout=window * 2):
        return True
    try:
        return counters.incr(key) <= limit
    except ValueError:  # expired between add() and incr()
        counters.add(key, 1, timeout=window * 2)
        return True


def retry_after(*, window: int = WINDOW_SECONDS) -> int:
    """Seconds until the current window of ``window`` seconds ends (for the Retry-After header)."""
    return window - int(time.time() % window)


def per_client(scope: str, client_ip: str, account, limit: int, *, window: int) -> int | None:
    """Count one request from an address and, when ``account`` is given, from that account, each against
    ``limit`` in windows of ``window`` seconds (keys ``<scope>-ip`` and ``<scope>-account``): the seconds
    to wait when either went over, else None. What sending petitions or dialogue questions counts."""
    places = [(f"{scope}-ip", client_ip or "-")]
    if account is not None:
        places.append((f"{scope}-account", str(account.pk)))
    for place, client in places:
        if not hit(place, client, limit, window=window):
            return retry_after(window=window)
    return None
