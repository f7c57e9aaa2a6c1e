"""The PostgreSQL database in a backup: ``pg_dump`` in its custom format, restored in one transaction.

The tools get the connection from ``settings.DATABASES`` through the environment (``PGHOST``,
``PGPASSWORD``…), never on their command line. ``pg_dump`` can dump servers of its own major version and
older only: the client is checked against the server first. The restore turns the dump back into SQL
(``pg_restore -f -``) and runs it with ``psql --single-transaction`` after dropping the schema's tables:
the database is either all old or all new, and tables made by migrations newer than the backup do not
survive it.
"""

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings

from .errors import BackupError

DUMP_NAME = "motcua.pgdump"

_ENVIRONMENT = {
    "HOST": "PGHOST",
    "PORT": "PGPORT",
    "USER": "PGUSER",
    "PASSWORD": "PGPASSWORD",
    "NAME": "PGDATABASE",
}
_OPTIONS = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "passfile": "PGPASSFILE", "service": "PGSERVICE", "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT", "target_session_attrs": "PGTARGETSESSIONATTRS",
}  # fmt: skip

# Every table of the current schema but those an extension owns, dropped with what depends on them.
_DROP_TABLES = """
DO $motcua$
DECLARE item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
    LOOP
        EXECUTE format('DROP TABLE IF EXISTS %s CASCADE', item.name);
    END LOOP;
END
$motcua$;
"""


def tool(name: str) -> str:
    """The path of a PostgreSQL client program: in ``MOTCUA_PG_BINDIR`` when set, else on the PATH."""
    folder = getattr(settings, "MOTCUA_PG_BINDIR", "")
    found = str(Path(folder) / name) if folder else shutil.which(name)
    if not found or not Path(found).is_file():
        where = f"in {folder} (MOTCUA_PG_BINDIR)" if folder else "on the PATH"
        raise BackupError(
            f"{name} was not found {where}: install the PostgreSQL client (Debian: postgresql-client) of the "
            "server's major version or newer, or set MOTCUA_PG_BINDIR to its bin folder."
        )
    return found


def tool_major(path: str) -> int:
    output = subprocess.run([path, "--version"], capture_output=True, text=True, check=False).stdout  # noqa: S603
    found = re.search(r"(\d+)(?:\.\d+)?", output)
    if not found:
        raise BackupError(f"Cannot tell the version of {path} from {output.strip()!r}.")
    return int(found.group(1))


def server_major(connection) -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def environment(settings_dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in _ENVIRONMENT.items():
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    for key, variable in _OPTIONS.items():
        if settings_dict.get("OPTIONS", {}).get(key):
            env[variable] = str(settings_dict["OPTIONS"][key])
    return env


def dump(connection, target: Path) -> dict:
    """``pg_dump`` of the database into ``target``, after checking that this client can dump that server."""
    pg_dump = tool("pg_dump")
    client, server = tool_major(pg_dump), server_major(connection)
    if client < server:
        raise BackupError(
            f"{pg_dump} is version {client} and cannot dump a PostgreSQL {server} server: install the client "
            f"of version {server} or newer (Debian: postgresql-client-{server}) and point MOTCUA_PG_BINDIR "
            "at its bin folder."
        )
    _run(
        [pg_dump, "--format=custom", "--no-password", f"--file={target}"],
        environment(connection.settings_dict),
        "pg_dump",
    )
    return {"server_version": server, "client_version": client}


def ensure_can_restore(connection, database: dict) -> None:
    """BackupError when this client cannot read the dump, the server is older than the one dumped, or other
    sessions are connected to the database (its tables are about to be dropped)."""
    for name in ("pg_restore", "psql"):
        client = tool_major(tool(name))
        if client < int(database.get("client_version", 0)):
            raise BackupError(
                f"The dump was made by pg_dump {database['client_version']}; {name} {client} cannot read it: "
                f"install the PostgreSQL client {database['client_version']} or newer."
            )
    server = server_major(connection)
    if server < int(database.get("server_version", 0)):
        raise BackupError(
            f"The backup comes from PostgreSQL {database['server_version']}; this server is {server}. "
            "Restore into a server of the same major version or newer."
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        others = cursor.fetchone()[0]
    if others:
        raise BackupError(
            f"{others} other session(s) are connected to the database {connection.settings_dict['NAME']}. "
            "Stop the portal, the task workers and every other program using it, then restore again."
        )


def restore(connection, dump_file: Path) -> None:
    """Replace the database's tables with the dump's, in one transaction."""
    env = environment(connection.settings_dict)
    script = [
        tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--file=-",
        str(dump_file),
    ]  # fmt: skip
    runner = [
        tool("psql"), "--no-psqlrc", "--quiet", "--no-password", "--single-transaction",
        "--set=ON_ERROR_STOP=1", f"--command={_DROP_TABLES}", "--file=-",
    ]  # fmt: skip
    # psql runs -c and -f in the order given, all in the one transaction.
    with tempfile.TemporaryFile() as producer_errors:
        producer = subprocess.Popen(script, env=env, stdout=subprocess.PIPE, stderr=producer_errors)  # noqa: S603
        consumer = subprocess.run(  # noqa: S603
            runner, env=env, stdin=producer.stdout, capture_output=True, text=True, check=False
        )
        producer.stdout.close()
        producer.wait()
        producer_errors.seek(0)
        errors = producer_errors.read().decode(errors="replace")
    if producer.returncode or consumer.returncode:
        detail = (errors + consumer.stderr).strip()
        raise BackupError(
            "The database restore failed and was rolled back (the database is as it was).",
            detail.splitlines()[-20:],
        )


def _run(command: list[str], env: dict[str, str], name: str) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode:
        raise BackupError(
            f"{name} failed (exit status {result.returncode}).", result.stderr.strip().splitlines()
        )
