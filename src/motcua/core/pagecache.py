"""Whole-response cache for public pages that everyone sees alike.

A page is cached only when nothing in it belongs to one visitor: a GET, from an anonymous visitor with no
pending flash messages, answered 200, and rendered without a CSRF token or a cookie. The key holds the
data's revision (any write changes it), the address, the language, the host and, for the API, the media
type, so a cached answer is never stale and never someone else's.

Two levels: the shared cache (Redis in production) and, in front of it, a small copy in each process's own
memory of the pages it served last. A page from Redis cost a worker 1.1 ms more than /healthz, a page from
its own memory 0.4 ms more (bench/burst.py): on a deadline day most answers are the same few pages. The
local copy keeps the shared entry's expiry, so a page of live figures is never older than its ``seconds``.

When a page expires, one process renders it again while the others go on serving the expired copy for
those few seconds (``STALE_SECONDS`` at most): otherwise every request arriving during the new rendering
renders it too, and on a busy minute the statistics page (0.1 s of CPU) was rendered dozens of times at
each expiry, slowing every other page (bench/burst.py).
"""

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

from .metrics import PAGE_CACHE

HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "Allow")
# How long past its expiry a page may still be served while one process renders it again.
STALE_SECONDS = 30


class LocalPages:
    """The pages this process served last, up to ``settings.MOTCUA_PAGE_CACHE_LOCAL_KB`` of content, each
    until its shared entry expires (least recently used first out)."""

    def __init__(self):
        self.entries: OrderedDict[str, tuple[float, bytes, dict]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str):
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.time():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry

    def put(self, key: str, expires: float, content: bytes, headers: dict) -> None:
        budget = settings.MOTCUA_PAGE_CACHE_LOCAL_KB * 1024
        if len(content) > budget // 8:  # a page larger than this would push out too many others
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (expires, content, headers)
            self.size += len(content)
            while self.size > budget:
                self._drop(next(iter(self.entries)))

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key)[1])


local_pages = LocalPages()


def _answer(content: bytes, headers: dict) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    return response


def _is_anonymous(request) -> bool:
    # A visitor without a session cookie is anonymous without asking the session store.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return True
    return not request.user.is_authenticated


def cache_public_page(revision: Callable[[], str], *, seconds: int | None = None):
    """Decorate a view so that its public answers are cached under ``revision()``; for at most ``seconds``
    when given (pages of live figures, which no revision tracks, are kept a minute)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            kept = settings.MOTCUA_PAGE_CACHE_SECONDS
            kept = min(kept, seconds) if seconds is not None else kept
            if (
                kept <= 0
                or request.method != "GET"
                or "messages" in request.COOKIES
                or not _is_anonymous(request)
            ):
                return view(request, *args, **kwargs)
            parts = [
                revision(),
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                get_language() or "",
                request.headers.get("Accept", ""),
            ]
            key = "page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
            mine = local_pages.get(key)
            if mine is not None:
                PAGE_CACHE.labels("local").inc()
                return _answer(mine[1], mine[2])
            hit = cache.get(key)
            if hit is not None and len(hit) == 3:
                content, headers, expires = hit
                if expires > time.time():
                    local_pages.put(key, expires, content, headers)
                    PAGE_CACHE.labels("shared").inc()
                    return _answer(content, headers)
                # Expired: the first to ask renders it again; the others serve this copy meanwhile.
                if not cache.add(f"{key}:rendering", 1, STALE_SECONDS):
                    PAGE_CACHE.labels("stale").inc()
                    return _answer(content, headers)

            PAGE_CACHE.labels("miss").inc()
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            cacheable = (
                response.status_code == 200
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
                and not getattr(response, "streaming", False)
            )
            if cacheable:
                headers = {name: response[name] for name in HEADERS_KEPT if response.has_header(name)}
                expires = time.time() + kept
                cache.set(key, (response.content, headers, expires), kept + STALE_SECONDS)
                local_pages.put(key, expires, response.content, headers)
            if hit is not None:
                cache.delete(f"{key}:rendering")
            return response

        return wrapper

    return decorator
