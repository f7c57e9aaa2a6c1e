"""The primary and its replica: statistics and catalogue reads of a web request go to the replica; writes,
transactions, tasks and whoever just wrote read the primary. No replica server is needed: the ``replica``
alias is a second connection to the test database (Django's TEST MIRROR), as with DATABASE_REPLICA_URL."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from motcua.catalog.models import Agency, Procedure
from motcua.catalog.tests.factories import make_procedure
from motcua.core import dbrouter
from motcua.core.dbrouter import PIN_COOKIE, PRIMARY, REPLICA, PrimaryReplicaRouter, ReadYourWritesMiddleware
from motcua.dossiers.models import Dossier
from motcua.stats.models import DailyFact

ROOT = Path(__file__).resolve().parents[4]
router = PrimaryReplicaRouter()


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup):
    """The ``replica`` alias, a second connection to the test database, for this module's tests (before any
    test's own database set-up, which checks the aliases it is allowed to use)."""
    connections.settings[REPLICA] = {
        **connections[PRIMARY].settings_dict,
        "TEST": {**connections[PRIMARY].settings_dict["TEST"], "MIRROR": PRIMARY},
    }
    yield REPLICA
    connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


def in_request(method="GET", cookies=None, user=None, view=None):
    """Run ``view(request)`` inside ReadYourWritesMiddleware, as the request of a browser; its response."""
    request = getattr(RequestFactory(), method.lower())("/")
    request.COOKIES.update(cookies or {})
    if user is not None:
        request.user = user
    return ReadYourWritesMiddleware(lambda r: view(r) or HttpResponse())(request)


def where_reads_go(method="GET", cookies=None, before=None):
    """Where reads of the catalogue, the statistics and dossiers go in such a request (after ``before``)."""
    seen = {}

    def view(request):
        if before:
            before()
        seen.update({m._meta.label: router.db_for_read(m) for m in (Procedure, Agency, DailyFact, Dossier)})

    in_request(method, cookies, view=view)
    return seen


def test_without_a_replica_every_read_goes_to_the_primary(monkeypatch):
    monkeypatch.delitem(connections.settings, REPLICA)
    assert set(where_reads_go().values()) == {PRIMARY}


def test_catalogue_and_statistics_reads_of_a_page_go_to_the_replica():
    assert where_reads_go() == {
        "catalog.Procedure": REPLICA,
        "catalog.Agency": REPLICA,
        "stats.DailyFact": REPLICA,
        "dossiers.Dossier": PRIMARY,  # a person's own data: always where it was written
    }


def test_outside_a_web_request_reads_go_to_the_primary():
    """Celery tasks, management commands and the shell read what they are about to write."""
    assert router.db_for_read(Procedure) == PRIMARY
    assert router.db_for_read(DailyFact) == PRIMARY


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_request_that_will_write_reads_the_primary(method):
    assert set(where_reads_go(method).values()) == {PRIMARY}


def test_once_a_request_wrote_it_reads_the_primary():
    assert set(where_reads_go(before=lambda: router.db_for_write(Agency)).values()) == {PRIMARY}


def test_a_session_renewed_does_not_pin_the_request():
    assert where_reads_go(before=lambda: router.db_for_write(Session))["catalog.Procedure"] == REPLICA


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_reads_go_to_the_primary():
    seen = {}

    def view(request):
        with transaction.atomic():
            seen["inside"] = router.db_for_read(Procedure)
        seen["after"] = router.db_for_read(Procedure)

    in_request(view=view)
    assert seen == {"inside": PRIMARY, "after": REPLICA}


def test_writes_go_to_the_primary_and_migrations_run_there_only():
    assert router.db_for_write(Procedure) == PRIMARY
    assert router.allow_migrate(PRIMARY, "catalog") is True
    assert router.allow_migrate(REPLICA, "catalog") is False


def test_objects_read_on_either_side_may_point_to_each_other():
    on_replica, on_primary = Agency(), Dossier()
    on_replica._state.db, on_primary._state.db = REPLICA, PRIMARY
    assert router.allow_relation(on_replica, on_primary) is True


class SignedIn:
    is_authenticated = True


class Anonymous:
    is_authenticated = False


def pin_of(response) -> int | None:
    cookie = response.cookies.get(PIN_COOKIE)
    return int(cookie.value) if cookie is not None else None


def test_a_signed_in_person_who_wrote_reads_the_primary_for_a_while(settings):
    settings.MOTCUA_REPLICA_PIN_SECONDS = 10
    response = in_request(user=SignedIn(), view=lambda r: router.db_for_write(Agency) and None)
    until = pin_of(response)
    assert until is not None and 9 <= until - time.time() <= 10
    assert response.cookies[PIN_COOKIE]["max-age"] == 10
    assert response.cookies[PIN_COOKIE]["httponly"]
    assert set(where_reads_go(cookies={PIN_COOKIE: str(until)}).values()) == {PRIMARY}


def test_a_submission_pins_its_browser_even_without_an_account():
    response = in_request("POST", user=Anonymous(), view=lambda r: router.db_for_write(Dossier) and None)
    assert pin_of(response) is not None


def test_public_pages_keep_no_cookie():
    """An anonymous GET that writes (a counter) pins only itself: public answers stay cacheable."""
    assert pin_of(in_request(user=Anonymous(), view=lambda r: router.db_for_write(Agency) and None)) is None
    assert pin_of(in_request(user=SignedIn(), view=lambda r: None)) is None  # read only


# "an hour ahead" is made when the test runs: a value computed at collection differs between xdist workers.
@pytest.mark.parametrize("value", ["", "later", "0", "an hour ahead"])
def test_an_expired_or_forged_pin_is_ignored(value):
    if value == "an hour ahead":  # longer than any pin lasts: forged
        value = str(int(time.time()) + 3600)
    assert where_reads_go(cookies={PIN_COOKIE: value})["catalog.Procedure"] == REPLICA


@pytest.mark.django_db(transaction=True, databases=[PRIMARY, REPLICA])
def test_a_catalogue_page_is_read_through_the_replica_connection(settings, client):
    """The whole stack: the procedure page's catalogue queries run on the replica's connection."""
    settings.DATABASE_ROUTERS = [dbrouter.ROUTER]
    settings.MIDDLEWARE = [dbrouter.MIDDLEWARE, *settings.MIDDLEWARE]
    settings.MOTCUA_PAGE_CACHE_SECONDS = 0
    make_procedure(code="1.001193", name="Thủ tục đăng ký khai sinh")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 200
    assert "đăng ký khai sinh" in response.content.decode()
    assert any("catalog_procedure" in q["sql"] for q in on_replica.captured_queries)
    assert not any(q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in on_replica)


SETTINGS_PROBE = """
import json
from django.conf import settings
found = {"databases": sorted(settings.DATABASES), "routers": settings.DATABASE_ROUTERS,
         "middleware": settings.MIDDLEWARE, "replica": settings.DATABASES.get("replica")}
print(json.dumps(found, default=str))
"""


def settings_with(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    environment.update(env, DJANGO_SETTINGS_MODULE="motcua.settings", PYTHONPATH=str(ROOT / "src"))
    probe = "import django; django.setup()\n" + SETTINGS_PROBE
    done = subprocess.run(  # noqa: S603  (this interpreter, our own settings)
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_database_replica_url_adds_the_replica_its_router_and_middleware():
    found = settings_with(
        DATABASE_URL="postgres://motcua@127.0.0.1:5432/motcua",
        DATABASE_REPLICA_URL="postgres://motcua@127.0.0.1:5433/motcua?application_name=motcua-replica",
    )
    assert found["databases"] == ["default", "replica"]
    assert found["routers"] == [dbrouter.ROUTER]
    assert found["replica"]["PORT"] == 5433
    assert found["replica"]["OPTIONS"] == {"application_name": "motcua-replica"}
    assert found["replica"]["TEST"]["MIRROR"] == "default"
    middleware = found["middleware"]
    assert middleware.index(dbrouter.MIDDLEWARE) < middleware.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )


def test_without_database_replica_url_nothing_changes():
    found = settings_with(DATABASE_URL="postgres://motcua@127.0.0.1:5432/motcua")
    assert found["databases"] == ["default"]
    assert found["routers"] == []
    assert dbrouter.MIDDLEWARE not in found["middleware"]
