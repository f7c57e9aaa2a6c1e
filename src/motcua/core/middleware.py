"""Each request's id, its access-log line and its metrics (first in ``MIDDLEWARE``, so that it times and
names everything below it, static files and cached pages included)."""

import logging
import time

from django.utils.log import log_response

from . import metrics
from .logs import clean_request_id, new_request_id, request_id_var, request_var
from .net import parse_address, trusted_proxies

access_logger = logging.getLogger("motcua.access")

# Probes and scrapes come every few seconds: their lines would drown the rest, so they are DEBUG.
QUIET_ROUTES = frozenset({"healthz", "readyz", "metrics"})


def request_id_of(request) -> str:
    """The id a trusted proxy gave the request (``X-Request-ID``, as nginx's ``$request_id``), else a new one.

    A client's own header is not taken: it could make its requests look like someone else's in the logs.
    """
    sent = clean_request_id(request.headers.get("X-Request-ID"))
    if sent:
        peer = parse_address(request.META.get("REMOTE_ADDR"))
        if peer is not None and any(peer in network for network in trusted_proxies()):
            return sent
    return new_request_id()


class ObservabilityMiddleware:
    """Gives the request its id (``request.request_id``, the ``X-Request-ID`` response header, and every log
    record written while it is served), then writes the access line and counts it in the metrics."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id_of(request)
        id_token, request_token = request_id_var.set(request.request_id), request_var.set(request)
        try:
            response = self.get_response(request)
            # Until the headers are ready: a streamed body is not waited for.
            seconds = time.perf_counter() - started
            response["X-Request-ID"] = request.request_id
            route = metrics.route_of(request)
            metrics.observe_request(route, request.method, response.status_code, seconds)
            self.log(request, response, route, seconds)
            if response.status_code >= 400:
                # Django logs a refusal after the last middleware, the request's id gone: here, with it.
                log_response(
                    "%s: %s", response.reason_phrase, request.path, response=response, request=request
                )
        finally:
            request_var.reset(request_token)
            request_id_var.reset(id_token)
        return response

    @staticmethod
    def log(request, response, route: str, seconds: float) -> None:
        # The path without its query string: a search or a tracking code there may be personal data.
        duration_ms = round(seconds * 1000, 1)
        level = logging.DEBUG if route in QUIET_ROUTES else logging.INFO
        access_logger.log(
            level,
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            duration_ms,
            extra={
                "method": request.method,
                "path": request.path,
                "route": route,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
