import pytest
from django.db import DEFAULT_DB_ALIAS, connections

from motcua.core.health import database_status


@pytest.mark.django_db
def test_healthz_reports_a_reachable_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def _unreachable_connection():
    """A real connection object pointed at a database that cannot be reached."""
    default = connections[DEFAULT_DB_ALIAS]
    settings_dict = dict(default.settings_dict)
    if default.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-motcua-dir/db.sqlite3"
    else:
        settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", "1"  # nothing listens on port 1
        settings_dict["OPTIONS"] = {**settings_dict.get("OPTIONS", {}), "connect_timeout": 2}
    return default.__class__(settings_dict, alias="unreachable")


def test_database_status_says_why_when_the_database_is_unreachable(django_db_blocker):
    with django_db_blocker.unblock():
        ok, reason = database_status(_unreachable_connection())
    assert ok is False
    assert reason


def test_healthz_answers_503_with_the_reason_when_the_database_is_down(client, django_db_blocker):
    broken = _unreachable_connection()
    saved = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = broken
    try:
        with django_db_blocker.unblock():
            response = client.get("/healthz")
    finally:
        connections[DEFAULT_DB_ALIAS] = saved
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] and body["database"] != "ok"


@pytest.mark.django_db
def test_an_unknown_api_address_answers_json_404(client):
    response = client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


@pytest.mark.django_db
def test_an_unknown_page_answers_the_friendly_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
