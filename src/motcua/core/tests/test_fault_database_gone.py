"""Fault: the database briefly gone. A real gunicorn serves from a PostgreSQL cluster of the test's own
(never the suite's database), which the test stops and starts again: meanwhile ``/healthz`` answers 503
saying so, pages answer the portal's 503 page and the API a 503 in JSON; afterwards the same process serves
again, without a restart (CONN_HEALTH_CHECKS drops the dead connection).

About 22 s, above the suite's 20: most of it is migrating the fresh cluster, which the home page needs."""

import json
import urllib.error
import urllib.request

import pytest
from django.conf import settings

from . import processes


def get(port: int, path: str) -> tuple[int, str, dict]:
    # In English: the API by its header, the portal's pages by the language switch's cookie.
    english = {"Accept-Language": "en", "Cookie": f"{settings.LANGUAGE_COOKIE_NAME}=en"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=english)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (loopback)
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


@pytest.fixture
def postgres():
    cluster = processes.Postgres()
    try:
        cluster.start()
        cluster.createdb()
        yield cluster
    finally:
        cluster.remove()


def test_the_database_gone_and_back_healthz_says_so_requests_fail_cleanly_and_serving_resumes(
    tmp_path, postgres
):
    env = processes.child_settings(
        tmp_path,
        test_database=False,
        DEBUG=False,
        # Static files from the apps, without the collectstatic step of a real deployment.
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "motcua.core.storage.PrivateFileSystemStorage"},
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    env.update(
        DATABASE_URL=postgres.url, SECRET_KEY="fault-test-" + "k" * 50, ALLOWED_HOSTS="127.0.0.1",
        MOTCUA_TASKS="inprocess", WHITENOISE_USE_FINDERS="1",
    )  # fmt: skip
    env.pop("REDIS_URL", None)
    processes.run([processes.venv_bin("python"), "-m", "django", "migrate", "--noinput", "-v", "0"], env=env)
    port = processes.free_port()
    server = processes.gunicorn(env, port, tmp_path / "gunicorn.log")
    try:
        assert get(port, "/healthz")[0] == 200
        assert get(port, "/")[0] == 200

        postgres.stop()
        status, body, _headers = get(port, "/healthz")
        assert status == 503 and json.loads(body)["status"] == "error" and json.loads(body)["database"]
        # A page no process had in memory (one it had may still be served from there for up to
        # MOTCUA_PAGE_CACHE_CONFIRM_SECONDS, before the process asks for the revision again).
        status, body, headers = get(port, "/co-quan/")
        assert status == 503 and headers["Retry-After"] == "30"
        assert "The service is temporarily unavailable" in body and "Traceback" not in body
        status, body, headers = get(port, "/api/v1/procedures/")
        assert (status, headers["Content-Type"]) == (503, "application/json")
        assert json.loads(body) == {
            "detail": "The service is temporarily unavailable: please try again in a minute."
        }

        postgres.start()
        assert get(port, "/healthz")[0] == 200
        assert get(port, "/")[0] == 200
        assert get(port, "/api/v1/procedures/")[0] == 200
        assert server.poll() is None  # the same process: nothing was restarted
    finally:
        processes.stop(server)
