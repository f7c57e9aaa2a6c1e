"""A fixed-window rate limit in the cache, shared by every worker when the cache is (Redis in production).

Used where guessing or flooding is the attack (public look-ups by dossier code, verification, password
reset e-mails, what petitions and dialogue questions send: ``per_client``) and by the API's throttles
(``api.throttling``). A window is one minute unless the caller names another length; the count of a client
is kept under a key of the scope, the client, the window's length and the window number. The count is
atomic (``add`` then ``incr``), so requests sent at once cannot slip past the limit together.
"""

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def hit(scope: str, client: str, limit: int, *, window: int = WINDOW_SECONDS) -> bool:
    """Count one request of ``client`` in ``scope``; False when it goes over ``limit`` in this window of
    ``window`` seconds."""
    if limit <= 0:
        return True
    number = int(time.time() // window)
    key = f"ratelimit:{scope}:{client}:{window}:{number}"
    # add() creates the counter atomically; incr() is atomic on Redis and on the local memory cache.
    if cache.add(key, 1, timeout=window * 2):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=window * 2)
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
