"""/readyz: may a load balancer send this process requests? Its database answers, every migration is applied
and the shared cache (when there is one) is reachable; 503 with each check's reason otherwise."""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from motcua.core import health

from .test_healthz import _unreachable_connection


@pytest.fixture(autouse=True)
def _ask_about_migrations_again():
    health.forget_migrations()
    yield
    health.forget_migrations()


@pytest.mark.django_db
def test_ready_with_each_check_named(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_a_ready_answer_is_kept_and_does_not_read_the_migrations_again(client, django_assert_max_num_queries):
    client.get("/readyz")
    with django_assert_max_num_queries(1):  # SELECT 1, nothing from django_migrations
        assert client.get("/readyz").status_code == 200


def test_not_ready_while_the_database_is_down(client, django_db_blocker):
    saved = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = _unreachable_connection()
    try:
        with django_db_blocker.unblock():
            response = client.get("/readyz")
    finally:
        connections[DEFAULT_DB_ALIAS] = saved
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] != "ok" and body["migrations"] != "ok"


@pytest.mark.django_db(transaction=True)
def test_not_ready_while_a_migration_is_not_applied_and_ready_once_it_is(client):
    """The real thing: the test database is migrated one step back (a column of payments), then forward."""
    latest = MigrationRecorder.Migration.objects.filter(app="payments").latest("id").name
    assert latest == "0003_payment_amount_mismatch_at", "pick the payments migration to step back over"
    call_command("migrate", "payments", "0002", verbosity=0)
    try:
        response = client.get("/readyz")
        assert response.status_code == 503
        assert response.json()["migrations"] == "1 unapplied: payments.0003_payment_amount_mismatch_at"
        assert response.json()["database"] == "ok"
    finally:
        call_command("migrate", "payments", verbosity=0)
    # A negative answer is not kept: the next probe asks again.
    assert client.get("/readyz").status_code == 200


@pytest.mark.django_db
def test_a_shared_cache_is_checked_and_not_ready_when_it_fails(client, settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    assert client.get("/readyz").json()["cache"] == "ok"
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocked / "cache"),
        }
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["cache"] != "ok" and response.json()["database"] == "ok"


@pytest.mark.django_db
def test_a_cache_of_the_process_itself_is_not_a_readiness_check(client, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert "cache" not in client.get("/readyz").json()
