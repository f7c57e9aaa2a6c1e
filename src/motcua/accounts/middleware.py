"""Idle sessions end: a signed-in session unused for longer than its account's idle limit
(``selectors.idle_limit``: short for officers, longer for citizens and businesses) is signed out at its next
request, which then goes on as an anonymous one (a page behind the login asks to sign in again).

Sliding: each request renews the session, at most once a minute (so that reading pages does not write
the session every time); the limit is therefore kept to the minute. The session's own expiry follows the
same limit, so the cookie and the stored session of an abandoned browser go too.
"""

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from . import selectors

ACTIVITY_KEY = "accounts_activity"
RENEW_SECONDS = 60


def _now() -> float:
    return time.time()


def enforce_idle_limit(request) -> bool:
    """Sign out the session of ``request`` if it was idle too long (True), else renew it (False)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    session = request.session
    now = _now()
    seen = session.get(ACTIVITY_KEY)
    if seen is not None and now - seen["at"] > seen["limit"]:
        minutes = seen["limit"] // 60
        logout(request)
        messages.info(
            request,
            _("You were signed out after %(minutes)s minutes without activity. Please sign in again.")
            % {"minutes": minutes},
        )
        return True
    if seen is None or now - seen["at"] >= RENEW_SECONDS:
        limit = int(selectors.idle_limit(user).total_seconds())
        session[ACTIVITY_KEY] = {"at": now, "limit": limit}
        session.set_expiry(limit + RENEW_SECONDS)
    return False


class IdleSessionMiddleware:
    """After the authentication and messages middleware; see ``enforce_idle_limit``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        enforce_idle_limit(request)
        return self.get_response(request)
