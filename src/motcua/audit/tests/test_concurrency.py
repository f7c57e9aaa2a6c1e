"""Appends from concurrent transactions: the head row's lock hands out 1, 2, 3… and one chain."""

import threading
import time

from django.db import OperationalError, connection, transaction

from motcua.audit import selectors, services

from .conftest import seqs

THREADS = 6
EACH = 5


def _in_shared_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def test_concurrent_appends_get_every_number_once_and_one_chain(transactional_db, officer):
    start = threading.Barrier(THREADS)
    errors, retries = [], []

    def append(n, i):
        while True:
            try:
                with transaction.atomic():
                    services.record("dossier.view", actor=officer, target=("dossiers.dossier", f"{n}-{i}"))
                return
            except OperationalError as exc:
                # pytest-django's SQLite test database lives in memory with a shared cache, where a second
                # writer is told "table is locked" at once instead of waiting as with a database file
                # (busy timeout): start the transaction again, as waiting would have.
                if not (_in_shared_memory_sqlite() and "locked" in str(exc)):
                    raise
                retries.append(n)
                time.sleep(0.002)

    def worker(n):
        try:
            start.wait()
            for i in range(EACH):
                append(n, i)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert seqs() == list(range(1, THREADS * EACH + 1))
    result = selectors.verify_chain(batch_size=7)
    assert result.ok and result.count == THREADS * EACH
    if connection.vendor == "postgresql":
        assert retries == []  # writers wait for the head row's lock there
