"""Whole-response cache for public pages that everyone sees alike.

A page is cached only when nothing in it belongs to one visitor: a GET, from an anonymous visitor with no
pending flash messages, answered 200, and rendered without a CSRF token or a cookie. The key holds the
data's revision (any write changes it), the address, the language, the host and, for the API, the media
type, so a cached answer is never stale and never someone else's.

Two levels. The shared cache (Redis in production) holds what the decorator ``cache_public_page`` renders.
In front of it, each process keeps in its own memory the last pages it served, whole (the headers the rest
of the middleware added included), and ``LocalPageMiddleware`` answers them before the session, CSRF,
authentication and messages middleware, which have nothing to do for an anonymous visitor without
cookies: on a deadline day most answers are the same few pages (bench/burst.py). A local copy is served
only while its revision is still the data's and until its shared entry expires, so a page of live figures
is never older than its ``seconds``; the process asks for the revision at most every
``MOTCUA_PAGE_CACHE_CONFIRM_SECONDS`` (a second), so an anonymous visitor may see a change made through
another process up to that late. Anyone signed in goes through ``cache_public_page``, which asks every time.

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
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from .metrics import PAGE_CACHE, route_of

HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "Allow", "Cache-Control", "Expires")
# The one part of a public page that depends on who is signed in: the header's account links, rendered by
# this template between these markers.
PERSONAL_TEMPLATE = "_account_links.html"
PERSONAL_START, PERSONAL_END = b"<!--account-->", b"<!--/account-->"
# How long past its expiry a page may still be served while one process renders it again.
STALE_SECONDS = 30


class LocalPage(NamedTuple):
    """A page as this process last answered it, with every header the middleware below added."""

    content: bytes
    headers: tuple[tuple[str, str], ...]
    expires: float  # its shared entry's expiry
    revision: Callable[[], str]  # the data's revision, asked again before each answer…
    token: str  # …which must still be this one
    match: object  # its URL's ResolverMatch: the logs and metrics name its route


class LocalPages:
    """The pages this process served last, up to ``settings.MOTCUA_PAGE_CACHE_LOCAL_KB`` of content, each
    until its shared entry expires (least recently used first out)."""

    def __init__(self):
        self.entries: OrderedDict[str, LocalPage] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: str) -> LocalPage | None:
        with self.lock:
            page = self.entries.get(key)
            if page is None:
                return None
            if page.expires <= time.time():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return page

    def put(self, key: str, page: LocalPage) -> None:
        budget = settings.MOTCUA_PAGE_CACHE_LOCAL_KB * 1024
        if len(page.content) > budget // 8:  # a page larger than this would push out too many others
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = page
            self.size += len(page.content)
            while self.size > budget:
                self._drop(next(iter(self.entries)))

    def discard(self, key: str) -> None:
        with self.lock:
            if key in self.entries:
                self._drop(key)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.size = 0

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key).content)


local_pages = LocalPages()
# The revision each function last gave this process, and when (time.monotonic()).
_confirmed: dict[Callable[[], str], tuple[str, float]] = {}


def _still_current(page: LocalPage) -> bool:
    """Whether ``page``'s revision is still the data's. For up to ``MOTCUA_PAGE_CACHE_CONFIRM_SECONDS`` after
    it last asked, the process trusts the answer it got: on PostgreSQL each asking was two round trips
    (Django's connection check and the read) on every page served from memory (bench/burst.py)."""
    now = time.monotonic()
    known = _confirmed.get(page.revision)
    if known is None or now - known[1] >= settings.MOTCUA_PAGE_CACHE_CONFIRM_SECONDS:
        known = _confirmed[page.revision] = (page.revision(), now)
    return known[0] == page.token


def _answer(content: bytes, headers) -> HttpResponse:
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def _digest(parts: list[str]) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _local_key(request) -> str | None:
    """Where this process keeps ``request``'s page; None when it may not be answered from there.

    Only a GET without a session or messages cookie: what the middleware that this answer skips would do
    is then nothing. The key holds what the answer depends on, as the request brought it (the language
    cookie and headers rather than the language they select, which the middleware below works out).
    """
    if (
        settings.MOTCUA_PAGE_CACHE_LOCAL_KB <= 0
        or request.method != "GET"
        or settings.SESSION_COOKIE_NAME in request.COOKIES
        or "messages" in request.COOKIES
    ):
        return None
    return "local:" + _digest(
        [
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
            request.headers.get("Accept-Language", ""),
            request.headers.get("Accept", ""),
        ]
    )


class LocalPageMiddleware:
    """Answers a page this process served whole from its memory, before the session, CSRF, authentication
    and messages middleware (placed just below the static files); keeps the pages ``cache_public_page``
    marks as public on their way out, with the headers the middleware below added."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _local_key(request)
        if key is not None:
            page = local_pages.get(key)
            if page is not None:
                if _still_current(page):
                    request.resolver_match = page.match
                    PAGE_CACHE.labels("local", route_of(request)).inc()
                    return _answer(page.content, page.headers)
                local_pages.discard(key)
        response = self.get_response(request)
        public = getattr(request, "public_page", None)
        if (
            key is not None
            and public is not None
            and response.status_code == 200
            and not response.cookies
            and not getattr(response, "streaming", False)
        ):
            revision, token, expires = public
            page = LocalPage(
                response.content, tuple(response.items()), expires, revision, token, request.resolver_match
            )
            local_pages.put(key, page)
        return response


def personalised(request, content: bytes) -> bytes | None:
    """The anonymous copy ``content`` with its account links rendered for ``request``'s visitor; None when
    it has none (an API answer): only a page that marks what depends on the visitor can be made theirs."""
    start = content.find(PERSONAL_START)
    end = content.find(PERSONAL_END, start + len(PERSONAL_START)) if start >= 0 else -1
    if end < 0:
        return None
    part = render_to_string(PERSONAL_TEMPLATE, request=request).strip().encode()
    return content[:start] + part + content[end + len(PERSONAL_END) :]


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
            if kept <= 0 or request.method != "GET" or "messages" in request.COOKIES:
                return view(request, *args, **kwargs)
            token = revision()
            _confirmed[revision] = (token, time.monotonic())
            parts = [
                token,
                request.scheme,
                request.get_host(),
                request.get_full_path(),
                get_language() or "",
                request.headers.get("Accept", ""),
            ]
            key = "page:" + _digest(parts)
            hit = cache.get(key)
            if hit is not None and len(hit) != 3:
                hit = None  # written by an older release
            if not _is_anonymous(request):
                # Signed in: the fresh anonymous copy, with their own account links; else their own page.
                if hit is not None and hit[2] > time.time():
                    content = personalised(request, hit[0])
                    if content is not None:
                        PAGE_CACHE.labels("personal", route_of(request)).inc()
                        return _answer(content, hit[1].items())
                return view(request, *args, **kwargs)
            if hit is not None:
                content, headers, expires = hit
                if expires > time.time():
                    # LocalPageMiddleware keeps it in this process's memory until then.
                    request.public_page = (revision, token, expires)
                    PAGE_CACHE.labels("shared", route_of(request)).inc()
                    return _answer(content, headers.items())
                # Expired: the first to ask renders it again; the others serve this copy meanwhile.
                if not cache.add(f"{key}:rendering", 1, STALE_SECONDS):
                    PAGE_CACHE.labels("stale", route_of(request)).inc()
                    return _answer(content, headers.items())

            PAGE_CACHE.labels("miss", route_of(request)).inc()
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
                request.public_page = (revision, token, expires)
            if hit is not None:
                cache.delete(f"{key}:rendering")
            return response

        return wrapper

    return decorator
