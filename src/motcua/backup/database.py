"""The database part of a backup, whichever the vendor: dump, restore, and the migrations on either side."""

from pathlib import Path

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from . import postgresql, sqlite
from .errors import BackupError

VENDORS = {"sqlite": sqlite, "postgresql": postgresql}


def _vendor_module():
    module = VENDORS.get(connection.vendor)
    if module is None:
        raise BackupError(f"Backups support SQLite and PostgreSQL; this database is {connection.vendor}.")
    return module


def dump_name() -> str:
    return _vendor_module().DUMP_NAME


def dump(target: Path) -> dict:
    """Write a consistent copy of the database to ``target``; returns what the manifest says about it."""
    module = _vendor_module()
    if module is sqlite:
        return sqlite.dump(connection.settings_dict, target)
    return postgresql.dump(connection, target)


def ensure_can_restore(database: dict) -> None:
    """BackupError when restoring now would be unsafe (the database in use, tools too old)."""
    module = _vendor_module()
    if module is sqlite:
        connection.close()
        sqlite.ensure_alone(connection.settings_dict)
    else:
        postgresql.ensure_can_restore(connection, database)
        connection.close()


def restore(dump_file: Path) -> None:
    module = _vendor_module()
    connection.close()
    if module is sqlite:
        sqlite.restore(connection.settings_dict, dump_file)
    else:
        postgresql.restore(connection, dump_file)


def applied_migrations() -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connection).applied_migrations())


def unknown_migrations(applied: list[list[str]]) -> list[str]:
    """The backup's applied migrations that this code does not have (the backup is newer than the code)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(tuple(replaced) for replaced in migration.replaces)  # squashed away
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]


def pending_migrations() -> list[str]:
    """Migrations of this code not applied to the database (after restoring an older backup)."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
