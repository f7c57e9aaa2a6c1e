"""Helpers for the audit tests: accounts to act with, and a way to tamper with the log as someone with
direct database access could."""

from contextlib import contextmanager

import pytest
from django.db import connection

from motcua.audit import triggers
from motcua.audit.models import AuditEntry


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(
        "motcua.tthcc-tinh", password="Mat-khau-dai-2026", kind="officer"
    )


@pytest.fixture
def citizen(django_user_model):
    return django_user_model.objects.create_user(
        "030090012345", password="Mat-khau-dai-2026", full_name="Nguyễn Văn An"
    )


@contextmanager
def guards_off():
    """The append-only triggers off for the block, as a database owner can do; the test's transaction
    rolls the change back afterwards either way."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # ALTER TABLE refuses to run while the rows just written still have deferred FK checks queued.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {triggers.TABLE} DISABLE TRIGGER {triggers.TABLE}_append_only")
        yield
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {triggers.TABLE} ENABLE TRIGGER {triggers.TABLE}_append_only")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    else:
        triggers.remove()
        yield
        triggers.install()


def tamper(sql: str, params=()):
    """Run raw SQL on the log with the triggers off."""
    with guards_off(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def seqs() -> list[int]:
    return list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
