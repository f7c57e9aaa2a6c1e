"""Whole-response cache for public pages that everyone sees alike.

A page is cached only when nothing in it belongs to one visitor: a GET, from an anonymous visitor with no
pending flash messages, answered 200, and rendered without a CSRF token or a cookie. The key holds the
data's revision (any write changes it), the address, the language, the host and, for the API, the media
type, so a cached answer is never stale and never someone else's.
"""

import hashlib
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language

HEADERS_KEPT = ("Content-Type", "Content-Language", "Vary", "Allow")


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
            hit = cache.get(key)
            if hit is not None:
                content, headers = hit
                response = HttpResponse(content)
                for name, value in headers.items():
                    response[name] = value
                return response

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
                cache.set(key, (response.content, headers), kept)
            return response

        return wrapper

    return decorator
