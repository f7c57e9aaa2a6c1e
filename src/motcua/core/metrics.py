"""Prometheus metrics, read at ``/metrics`` (``core.views.metrics``).

Kept by the processes as things happen: requests and their latency (``core.middleware``), failed background
tasks (``core.tasks`` and ``core.celery_signals``). Read at scrape time: the Celery queue's length from the
broker, and what apps register with ``register_scrape_collector`` (``stats.metrics``: dossiers received and
finished, from the facts statistics keep).

Several processes (gunicorn's workers, Celery's) each count their own: with ``PROMETHEUS_MULTIPROC_DIR`` set
(``deploy/gunicorn.conf.py`` sets it) they write their values in files there and a scrape adds them all up,
whichever worker answers. The variable must be set before this module is first imported.

Labels stay few: a request is labelled by its URL's route name (``portal:procedure``), never its path.
"""

import hmac
import ipaddress
import logging
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from .net import client_ip, parse_address, trusted_proxies

logger = logging.getLogger(__name__)
# A "_created" time series beside each counter only doubles what a scrape reads.
disable_created_metrics()

REQUESTS = Counter(
    "motcua_http_requests",
    "HTTP requests answered, by route name, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["route", "method", "status"],
)
# A portal page: 5 ms (a cached page) to 10 s (a slow report); past that the request has already failed.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
LATENCY = Histogram(
    "motcua_http_request_duration_seconds",
    "Time from the request's arrival in Django to its response, by route name and method.",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
TASK_FAILURES = Counter(
    "motcua_task_failures",
    "Background tasks that ended with an exception, by task name.",
    ["task"],
)
PAGE_CACHE = Counter(
    "motcua_page_cache_lookups",
    "Public pages asked for from the page cache (core.pagecache), by where the answer came from: this "
    "process's memory (local), the shared cache (shared), an expired copy served while another request "
    "renders it again (stale), the shared copy with a signed-in visitor's own account links (personal), or "
    "rendered (miss); by route, to find the pages that miss most.",
    ["result", "route"],
)

# Anything else becomes "other": an attacker's made-up methods must not make new series.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

_scrape_collectors: list = []


def register_scrape_collector(collector) -> None:
    """Have ``collector.collect()`` (yielding metric families) read at each scrape, e.g. from the database.

    It runs in the scraping process only, so its figures are not added up over processes.
    """
    if not any(type(known) is type(collector) for known in _scrape_collectors):
        _scrape_collectors.append(collector)


def route_of(request) -> str:
    """The low-cardinality name of what ``request`` asked for: its URL's route name, ``static`` for static
    files, ``unmatched`` when no URL matched."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "other"
    REQUESTS.labels(route, method, f"{status // 100}xx").inc()
    LATENCY.labels(route, method).observe(seconds)


def task_failed(name: str) -> None:
    TASK_FAILURES.labels(name).inc()


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class QueueCollector:
    """The number of tasks waiting in the Celery queue, read from the broker when it is Redis.

    Absent when tasks run in the web process (``MOTCUA_TASKS=inprocess``), and when the broker is not Redis.
    Kombu keeps one list per priority level: the queue's own name, then the name with a separator and the
    level (``motcua\\x06\\x163``…); their lengths add up.
    """

    PRIORITY_SEPARATOR = "\x06\x16"
    PRIORITY_LEVELS = (3, 6, 9)

    def collect(self):
        if settings.MOTCUA_TASKS != "celery":
            return
        url = settings.CELERY_BROKER_URL
        if not url.startswith(("redis://", "rediss://", "unix://")):
            return
        import redis

        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        keys = [queue] + [f"{queue}{self.PRIORITY_SEPARATOR}{level}" for level in self.PRIORITY_LEVELS]
        up = GaugeMetricFamily("motcua_task_broker_up", "1 when the task broker answered this scrape.")
        try:
            client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
            with client.pipeline(transaction=False) as pipe:
                for key in keys:
                    pipe.llen(key)
                length = sum(pipe.execute())
            client.close()
        except (redis.RedisError, OSError) as exc:
            logger.warning("Task broker unreachable for the queue length: %s", exc.__class__.__name__)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        waiting = GaugeMetricFamily(
            "motcua_task_queue_length", "Tasks waiting in the Celery queue.", labels=["queue"]
        )
        waiting.add_metric([queue], length)
        yield waiting


class _Scrape:
    """What one scrape reads: the processes' own metrics and the scrape-time collectors."""

    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        yield from self.registry.collect()
        for collector in [QueueCollector(), *_scrape_collectors]:
            try:
                yield from collector.collect()
            except Exception:
                # One failing source (the database down) must not hide the others.
                logger.exception("Metrics collector %s failed", collector.__class__.__name__)


def allowed(request) -> bool:
    """May ``request`` read the metrics? With ``MOTCUA_METRICS_TOKEN`` as its bearer token, or from an
    address of ``MOTCUA_METRICS_ALLOWED_IPS`` (addresses or networks).

    The address is the client's as ``core.net`` resolves it. A request forwarded by a proxy that is not
    trusted (an X-Forwarded-For that ``MOTCUA_TRUSTED_PROXIES`` does not vouch for) is never allowed by
    address: its peer is the proxy, on this machine, whoever the client is.
    """
    token = settings.MOTCUA_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return hmac.compare_digest(header.removeprefix("Bearer ").strip().encode(), token.encode())
    if request.headers.get("X-Forwarded-For"):
        peer = parse_address(request.META.get("REMOTE_ADDR"))
        if peer is None or not any(peer in network for network in trusted_proxies()):
            return False
    address = parse_address(client_ip(request))
    if address is None:
        return False
    return any(address in network for network in allowed_networks())


def allowed_networks() -> list:
    """The networks of ``MOTCUA_METRICS_ALLOWED_IPS``; a malformed entry stops the process at start-up."""
    networks = []
    for item in settings.MOTCUA_METRICS_ALLOWED_IPS:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"MOTCUA_METRICS_ALLOWED_IPS: {item!r} is not an IP address or network (e.g. 10.0.0.0/8)."
            ) from None
    return networks


def render() -> tuple[bytes, str]:
    """The text exposition of every metric, and its content type."""
    path = multiprocess_dir()
    if path:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=path)
    else:
        registry = REGISTRY
    return generate_latest(_Scrape(registry)), CONTENT_TYPE_LATEST
