"""Fault: Redis down (a real redis-server, stopped in the test). Pages are still served without the cache;
the rate limits that protect refuse, with a 503 that says so; tasks queued meanwhile are kept in the
database and handed to the broker once it is back."""

import pytest
import redis as redis_client
from django.conf import settings
from django.test import Client
from django.utils import translation

from motcua.core import tasks
from motcua.core.models import PendingDispatch
from motcua.notifications.tasks import send_due_deliveries

from . import processes

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis(tmp_path, settings):
    """A real Redis as the shared cache, as production has it."""
    server = processes.Redis(tmp_path).start()
    settings.CACHES = {
        "default": {
            "BACKEND": "motcua.core.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    yield server
    server.stop()


@pytest.fixture
def browser():
    # The exception a request ends with is answered by the error handlers, as in production.
    return Client(raise_request_exception=False)


def test_with_redis_down_pages_and_the_catalogue_api_are_still_served(redis, browser, settings):
    assert browser.get("/").status_code == 200  # cached while Redis is up
    redis.stop()
    for path in ("/", "/thu-tuc/", "/thu-tuc/?q=khai+sinh", "/api/v1/procedures/", "/healthz"):
        assert browser.get(path).status_code == 200, path


def test_with_redis_down_the_limits_that_protect_refuse_with_a_503_that_says_so(redis, browser):
    assert browser.get("/api/v1/tracking/NO-SUCH-CODE/").status_code == 404  # counted while Redis is up
    redis.stop()
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the portal's pages follow the language switch
    with translation.override("en"):
        looked_up = browser.get("/api/v1/tracking/NO-SUCH-CODE/", HTTP_ACCEPT_LANGUAGE="en")
        reset = browser.post(
            "/tai-khoan/mat-khau/quen/", {"email": "an@example.vn"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    # The look-up by code (guessable) is not answered while its limit cannot count.
    assert looked_up.status_code == 503 and looked_up["Retry-After"] == "30"
    assert looked_up.json() == {
        "detail": "The service is temporarily unavailable: please try again in a minute."
    }
    # No password reset e-mail either: a flood of them is what that limit stops.
    assert reset.status_code == 503 and reset["Retry-After"] == "30"
    assert "temporarily unavailable" in reset.content.decode()


def test_tasks_queued_while_redis_is_down_are_sent_once_it_is_back(redis, django_capture_on_commit_callbacks):
    with processes.broker(redis.url):
        redis.stop()
        with django_capture_on_commit_callbacks(execute=True):
            tasks.enqueue(send_due_deliveries, grace_seconds=0)  # a request's work, after its commit
        [kept] = PendingDispatch.objects.all()
        assert (kept.task, kept.kwargs) == ("motcua.notifications.send_due_deliveries", {"grace_seconds": 0})

        assert tasks.redispatch() == 0  # beat's sweep while Redis is still down: kept for later
        kept.refresh_from_db()
        assert kept.attempts == 1 and kept.last_error

        redis.start()
        assert tasks.redispatch() == 1
    assert not PendingDispatch.objects.exists()
    queue = redis_client.Redis.from_url(redis.url).lrange("motcua", 0, -1)
    assert len(queue) == 1 and b"send_due_deliveries" in queue[0]
