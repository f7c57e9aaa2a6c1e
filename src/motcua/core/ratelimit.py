"""A fixed-window rate limit in the cache, shared by every worker when the cache is (Redis in production).

Used where guessing is the attack: public look-ups by dossier code. A window is one minute; the count of a
client is kept under a key of the scope, the client address and the window number.
"""

import time

from django.core.cache import cache

WINDOW_SECONDS = 60


def hit(scope: str, client: str, limit: int) -> bool:
    """Count one request of ``client`` in ``scope``; False when it goes over ``limit`` in this window."""
    if limit <= 0:
        return True
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{scope}:{client}:{window}"
    # add() creates the counter atomically; incr() is atomic on Redis and on the local memory cache.
    if cache.add(key, 1, timeout=WINDOW_SECONDS * 2):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
        return True


def retry_after() -> int:
    """Seconds until the current window ends (for the Retry-After header)."""
    return WINDOW_SECONDS - int(time.time() % WINDOW_SECONDS)
