"""/metrics: Prometheus metrics, readable from the allowed addresses or with the token and refused to anyone
else; requests counted by route name (never the path), task failures counted, the workers of one machine
added up (PROMETHEUS_MULTIPROC_DIR)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from prometheus_client.parser import text_string_to_metric_families

from motcua.core import metrics, tasks

ROOT = Path(__file__).resolve().parents[4]

pytestmark = pytest.mark.django_db


def scrape(client, **extra) -> dict:
    """{(sample name, sorted labels): value} of one scrape, which must succeed."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain; version=")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def requests_of(samples, route, method="GET", status="2xx") -> float:
    labels = (("method", method), ("route", route), ("status", status))
    return samples.get(("motcua_http_requests_total", labels), 0)


def refused(response) -> bool:
    return response.status_code == 403 and b"motcua_" not in response.content


class TestWhoMayRead:
    def test_this_machine_may(self, client):
        assert scrape(client)

    def test_another_address_may_not(self, client):
        assert refused(client.get("/metrics", REMOTE_ADDR="203.0.113.9"))

    def test_a_forged_forwarded_for_does_not_make_an_outsider_local(self, client, settings):
        settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
        assert refused(client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1"))

    def test_a_request_through_an_untrusted_proxy_is_not_taken_for_the_proxys_own(self, client, settings):
        # nginx on this machine without MOTCUA_TRUSTED_PROXIES: every peer is 127.0.0.1, whoever the client.
        settings.MOTCUA_TRUSTED_PROXIES = []
        assert refused(client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9"))

    def test_an_allowed_network_behind_a_trusted_proxy_may(self, client, settings):
        settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]
        settings.MOTCUA_METRICS_ALLOWED_IPS = ["10.0.0.0/8"]
        assert scrape(client, HTTP_X_FORWARDED_FOR="10.1.2.3")
        assert refused(client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9"))

    def test_the_token_opens_it_from_anywhere_and_only_the_right_one(self, client, settings):
        settings.MOTCUA_METRICS_TOKEN = "scrape-token-0123456789"
        assert scrape(client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-token-0123456789")
        wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")
        assert refused(wrong)
        # A wrong token is refused even from an allowed address: whoever sent it expected it to count.
        assert refused(client.get("/metrics", HTTP_AUTHORIZATION="Bearer guess"))

    def test_no_token_configured_means_no_token_accepted(self, client, settings):
        settings.MOTCUA_METRICS_TOKEN = ""
        assert refused(client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer "))

    def test_a_malformed_allowed_address_stops_the_start(self, settings):
        settings.MOTCUA_METRICS_ALLOWED_IPS = ["localhost"]
        with pytest.raises(ImproperlyConfigured, match="MOTCUA_METRICS_ALLOWED_IPS"):
            metrics.allowed_networks()


def test_requests_are_counted_by_route_name_method_and_status_class(client):
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.get("/khong-co-trang-nay-1234/")
    client.post("/healthz")  # 405
    after = scrape(client)
    assert requests_of(after, "healthz") - requests_of(before, "healthz") == 2
    assert requests_of(after, "healthz", "POST", "4xx") - requests_of(before, "healthz", "POST", "4xx") == 1
    labels = {dict(key[1]).get("route") for key in after if key[0] == "motcua_http_requests_total"}
    assert not any(route and "/" in route for route in labels), labels  # route names, never paths


def test_made_up_methods_share_one_label(client):
    client.generic("BREW", "/healthz")
    samples = scrape(client)
    assert requests_of(samples, "healthz", "other", "4xx") >= 1
    assert not any(("method", "BREW") in key[1] for key in samples)


def test_latency_buckets_run_from_5_ms_to_10_s(client):
    client.get("/healthz")
    samples = scrape(client)
    bounds = sorted(
        {
            float(dict(labels)["le"])
            for name, labels in samples
            if name == "motcua_http_request_duration_seconds_bucket" and ("route", "healthz") in labels
        }
    )
    assert bounds[0] == 0.005 and bounds[-2] == 10.0 and bounds[-1] == float("inf")


def broken_task():
    raise RuntimeError("broken on purpose")


def test_a_failed_task_is_counted_by_its_name(client):
    key = ("motcua_task_failures_total", (("task", "broken_task"),))
    before = scrape(client).get(key, 0)
    tasks.dispatch(broken_task)  # eager: the in-process runner's path, in this thread
    assert scrape(client)[key] == before + 1


def test_no_queue_length_when_tasks_run_in_the_web_process(client, settings):
    settings.MOTCUA_TASKS = "inprocess"
    assert not any(name.startswith("motcua_task_queue_length") for name, _labels in scrape(client))


CHILD = """
from motcua.core import metrics
metrics.observe_request("portal:home", "GET", 200, 0.02)
metrics.task_failed("motcua.notifications.send")
"""


def test_the_workers_of_one_machine_are_added_up(client, tmp_path, monkeypatch):
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "PYTHONPATH": str(ROOT / "src")}
    for _worker in range(2):
        subprocess.run([sys.executable, "-c", CHILD], env=env, check=True, timeout=60)  # noqa: S603
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = scrape(client)
    assert requests_of(samples, "portal:home") == 2
    assert samples[("motcua_task_failures_total", (("task", "motcua.notifications.send"),))] == 2


def test_gunicorn_clears_the_metric_files_of_processes_that_are_gone(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead, alive = tmp_path / f"counter_{gone.stdout.strip()}.db", tmp_path / f"counter_{os.getpid()}.db"
    dead.write_bytes(b"")
    alive.write_bytes(b"")
    conf["clear_dead_metrics"](tmp_path)
    assert not dead.exists() and alive.exists()
