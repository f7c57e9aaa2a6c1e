"""Gapless counters (numbers per agency and period: dossier codes, result numbers, receipt numbers): one row
per key, incremented by one statement that holds the row locked until the caller's transaction ends."""

from datetime import date

from django.db import connection


def take(table: str, period: str, wanted: dict[tuple[int, object], int]) -> dict[tuple[int, object], int]:
    """Take ``count`` consecutive numbers for each (agency id, period) of ``wanted``; returns the first of
    each. One statement per thousand keys increments each counter (creating it), holding its row locked until
    the caller's transaction ends: concurrent callers take turns, and a rolled-back caller gives its numbers
    back. Keys are taken in one order, so two callers never wait for each other in a circle. SQLite (3.35+)
    and PostgreSQL both run it."""
    first: dict[tuple[int, object], int] = {}
    items = sorted(wanted.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            values = ", ".join(["(%s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} (agency_id, {period}, last) VALUES {values} "  # noqa: S608 (names above)
                f"ON CONFLICT (agency_id, {period}) DO UPDATE SET last = {table}.last + excluded.last "
                f"RETURNING agency_id, {period}, last",
                [v for (agency_id, key), count in chunk for v in (agency_id, key, count)],
            )
            for agency_id, key, last in cursor.fetchall():
                if isinstance(key, str):  # SQLite returns a date as text
                    key = date.fromisoformat(key)
                first[(agency_id, key)] = last - wanted[(agency_id, key)] + 1
    return first
