"""Throttles of the whole REST API (``REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]``): per account, per client
address for anonymous calls, and a stricter scope for the calls that create something.

- ``anon``: a client without credentials, counted by its address (``client_address``).
- ``user``: a signed-in account (token or session), counted by the account, wherever it calls from.
- ``create``: the POSTs of the views that name it as their ``throttle_scope`` (a draft, an upload, a token):
  counted by the account, or by the address when nobody is signed in. Their other methods (a list, a
  download) count under ``anon`` or ``user`` only.

Rates are ``"N/period"`` (``s``, ``min``, ``h``, ``day``) from the environment (see settings); an empty rate
turns the scope off. The counts live in the shared cache (``core.ratelimit``: Redis in production, so every
worker counts together) and are atomic, so parallel requests cannot slip past a limit together. Over a
limit the answer is a 429 in JSON, with ``Retry-After``.
"""

from django.core.exceptions import ImproperlyConfigured
from rest_framework import throttling
from rest_framework.settings import api_settings

from motcua.core import ratelimit
from motcua.core.net import client_ip
from motcua.core.rest.errors import too_many_requests

# Only these methods count under a view's throttle_scope: the requests that create something.
CREATING_METHODS = frozenset({"POST"})
LOAD_SHAPING_SCOPES = frozenset({"anon", "user"})


def client_address(request) -> str:
    """The one place the API's throttles learn where an anonymous call comes from."""
    return client_ip(request) or "-"


class _CountedThrottle(throttling.SimpleRateThrottle):
    """DRF's rate throttles, counted in ``core.ratelimit`` (atomic, fixed windows), with rates read from the
    settings at each request (DRF reads them once, at import). Placed after DRF's classes in the bases, so
    that their ``allow_request`` (the scoped one picks the view's scope) ends here."""

    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES
        if self.scope not in rates:
            raise ImproperlyConfigured(f"DEFAULT_THROTTLE_RATES has no rate for the scope {self.scope!r}.")
        return rates[self.scope] or None

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        # The whole API's limits (anon, user) only shape load: without their counter (Redis down) the
        # call goes on; the scopes that guard something (create) refuse it.
        fail_open = self.scope in LOAD_SHAPING_SCOPES
        if ratelimit.hit("api", key, self.num_requests, window=self.duration, fail_open=fail_open):
            return True
        raise too_many_requests(ratelimit.retry_after(window=self.duration))

    def wait(self):
        return ratelimit.retry_after(window=self.duration)


class AnonRateThrottle(throttling.AnonRateThrottle, _CountedThrottle):
    """Anonymous calls, per client address."""


class UserRateThrottle(throttling.UserRateThrottle, _CountedThrottle):
    """Signed-in calls, per account (anonymous ones are left to ``AnonRateThrottle``)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class CreateRateThrottle(throttling.ScopedRateThrottle, _CountedThrottle):
    """The POSTs of a view whose ``throttle_scope`` names a rate: per account, or per address if anonymous."""

    def allow_request(self, request, view):
        if request.method not in CREATING_METHODS:
            return True
        return super().allow_request(request, view)
