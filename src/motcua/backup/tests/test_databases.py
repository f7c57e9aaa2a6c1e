"""What is particular to each database: a restore waits for the database to be free, PostgreSQL's client
tools must be able to read the server, and a failed PostgreSQL restore leaves the database as it was.
Each test runs in the pass of the suite that has its database (CI runs both)."""

import io
import sqlite3

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from motcua.audit import services as audit
from motcua.audit.models import AuditEntry
from motcua.backup import postgresql

from .conftest import state

pytestmark = pytest.mark.django_db(transaction=True)

on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's file swap (this pass is PostgreSQL)"
)
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's client tools (this pass is SQLite)"
)


def refused(*args) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command(*args, stdout=io.StringIO())
    assert refusal.value.returncode == 1
    return str(refusal.value)


@on_sqlite
def test_sqlite_restore_waits_until_nothing_else_has_the_database_open(backup):
    audit.record("backup.test", target_label="sau sao lưu")
    before = state()
    # A portal worker still running: a connection in WAL mode, open on the same file.
    other = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("SELECT count(*) FROM audit_auditentry").fetchone()
        message = refused("restore", str(backup), "--noinput")
    finally:
        other.close()
    assert "is in use by another process. Stop the portal" in message
    assert state() == before
    # Once it has stopped, the restore goes through.
    call_command("restore", str(backup), "--noinput", stdout=io.StringIO())
    assert AuditEntry.objects.count() == len(before[0]) - 1


@on_postgresql
def test_a_pg_dump_older_than_the_server_is_refused_with_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(postgresql, "tool_major", lambda path: 9)
    message = refused("backup", str(tmp_path / "backup"))
    server = connection.pg_version // 10000
    assert f"is version 9 and cannot dump a PostgreSQL {server} server" in message
    assert f"postgresql-client-{server}" in message
    assert list(tmp_path.iterdir()) == []


@on_postgresql
def test_postgresql_restore_waits_until_no_other_session_is_connected(backup):
    before = state()
    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        message = refused("restore", str(backup), "--noinput")
    finally:
        other.close()
    assert "1 other session(s) are connected to the database" in message
    assert state() == before


@on_postgresql
def test_a_postgresql_restore_that_fails_half_way_leaves_the_database_as_it_was(backup, monkeypatch):
    audit.record("backup.test", target_label="sau sao lưu")
    before = state()
    # The tables are dropped, then something fails: the one transaction is rolled back.
    monkeypatch.setattr(postgresql, "_DROP_TABLES", postgresql._DROP_TABLES + "SELECT 1 / 0;")
    message = refused("restore", str(backup), "--noinput")
    assert "rolled back (the database is as it was)" in message and "division by zero" in message
    assert state() == before


def test_the_password_reaches_the_postgresql_tools_through_their_environment():
    env = postgresql.environment(
        {"NAME": "motcua", "USER": "motcua", "PASSWORD": "mật-khẩu", "HOST": "db", "PORT": 5433,
         "OPTIONS": {"sslmode": "verify-full"}}
    )  # fmt: skip
    assert (env["PGDATABASE"], env["PGUSER"], env["PGPASSWORD"]) == ("motcua", "motcua", "mật-khẩu")
    assert (env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == ("db", "5433", "verify-full")
