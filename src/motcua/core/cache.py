"""The shared cache of production (Redis), failing soft: when Redis is down, a read misses and a write is
dropped, so pages are still served (slower, from the database) instead of failing with the cache.

Where the cache is more than a cache, failing soft would be wrong: the rate limits that protect sign-in,
look-ups and submissions (``core.ratelimit``) count through ``cache.strict``, which raises, and they refuse
the request while they cannot count (they fail closed).
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

# The calls that fail soft, and what each answers meanwhile (None: the caller's ``default`` for reads).
SOFT = {
    "get": None, "get_many": {}, "set": None, "set_many": [], "add": False, "delete": False,
    "delete_many": None, "touch": False, "has_key": False, "clear": False,
}  # fmt: skip
LOG_EVERY_SECONDS = 60


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache whose reads and writes survive Redis being down (see the module)."""

    _last_logged = 0.0

    @property
    def strict(self) -> RedisCache:
        """The same cache without the soft failures: its calls raise while Redis is down."""
        return _Strict(self)

    def _log(self, name: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - FailSoftRedisCache._last_logged >= LOG_EVERY_SECONDS:
            FailSoftRedisCache._last_logged = now
            logger.warning("Cache unavailable (%s failed: %s); serving without it", name, exc)


def _soft(name: str):
    """RedisCache's ``name`` answering ``SOFT[name]`` when Redis fails (made once, when the class is: every
    page look-up goes through these)."""
    strict = getattr(RedisCache, name)

    @functools.wraps(strict)
    def soft(self, *args, **kwargs):
        try:
            return strict(self, *args, **kwargs)
        except Exception as exc:  # redis' ConnectionError, TimeoutError, a server that went read-only…
            self._log(name, exc)
            if name == "get":
                return kwargs.get("default", args[1] if len(args) > 1 else None)
            fallback = SOFT[name]
            return type(fallback)() if fallback is not None else None

    return soft


for _name in SOFT:
    setattr(FailSoftRedisCache, _name, _soft(_name))


class _Strict:
    def __init__(self, cache):
        self._cache = cache

    def __getattr__(self, name):
        return functools.partial(getattr(RedisCache, name), self._cache)
