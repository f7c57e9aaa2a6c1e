"""Database triggers that refuse UPDATE and DELETE of audit entries, whoever sends them (raw SQL included).

One exception, on both databases: setting ``actor_id`` to NULL and nothing else, which is what deleting an
account does (``on_delete=SET_NULL``); the hash does not cover that column.

Migration 0001 installs them. On SQLite, Django rebuilds a table for most ALTERs and the rebuild drops its
triggers: a later migration that alters ``audit_auditentry`` must call ``install`` again. Other databases get
no trigger (the project runs on SQLite and PostgreSQL); the model's own guards still apply there.
"""

from django.db import connections

TABLE = "audit_auditentry"
MESSAGE = "audit_auditentry is append-only: entries cannot be changed or deleted"

# No "%" anywhere: these run through cursors with and without query parameters.
_POSTGRESQL_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL
           AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$
    """,
    f"""
    CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()
    """,
]
_POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only()",
]
_SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]


def _sqlite_create(columns: list[str]) -> list[str]:
    # SQLite has no row-to-JSON: the "nothing but actor_id changed" test names every other column.
    unchanged = " AND ".join(
        f'NEW."{column}" IS OLD."{column}"' for column in columns if column != "actor_id"
    )
    return [
        f"""
        CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT (NEW.actor_id IS NULL AND {unchanged})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
        f"""
        CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
        """,
    ]


def create_statements(vendor: str, model) -> list[str]:
    """The SQL that installs the triggers for ``model`` (the migration passes its historical model)."""
    if vendor == "postgresql":
        return list(_POSTGRESQL_CREATE)
    if vendor == "sqlite":
        return _sqlite_create([field.column for field in model._meta.concrete_fields])
    return []


def drop_statements(vendor: str) -> list[str]:
    return {"postgresql": _POSTGRESQL_DROP, "sqlite": _SQLITE_DROP}.get(vendor, [])


def install(using: str = "default", model=None) -> None:
    from .models import AuditEntry

    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in create_statements(connection.vendor, model or AuditEntry):
            cursor.execute(sql)


def remove(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for sql in drop_statements(connection.vendor):
            cursor.execute(sql)
