"""The embedded SQLite backend: writers take turns through a lock file, readers never wait for it.

Each test opens its own SQLite file with the project's backend (the suite's own database is in memory,
where there is one process only and no lock file).
"""

import threading

import pytest
from django.db.utils import ConnectionHandler, OperationalError

from motcua.core.sqlite.base import DatabaseWrapper

pytestmark = pytest.mark.django_db


@pytest.fixture
def database(tmp_path):
    """A connection maker for one SQLite file (each thread gets its own connection), with one table."""
    handler = ConnectionHandler(
        {"default": {"ENGINE": "motcua.core.sqlite", "NAME": str(tmp_path / "turns.sqlite3"),
                     "OPTIONS": {"timeout": 0.5, "transaction_mode": "IMMEDIATE"}}}
    )  # fmt: skip
    with handler["default"].cursor() as cursor:
        cursor.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    yield handler
    handler.close_all()


class Transaction:
    """What ``transaction.atomic`` does to a connection of its own: begin, then commit or roll back."""

    def __init__(self, connection):
        self.connection = connection

    def __enter__(self):
        self.connection.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        return self.connection

    def __exit__(self, kind, error, trace):
        if kind is None:
            self.connection.commit()
        else:
            self.connection.rollback()
        self.connection.set_autocommit(True)


def insert(connection, text):
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO note (text) VALUES (%s)", [text])


def notes(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM note ORDER BY id")
        return [text for (text,) in cursor.fetchall()]


def test_the_embedded_default_uses_this_backend(settings, database):
    assert isinstance(database["default"], DatabaseWrapper)
    if settings.DATABASE_URL:
        pytest.skip("this run is on the database of DATABASE_URL")
    assert settings.DATABASES["default"]["ENGINE"] == "motcua.core.sqlite"


def test_a_second_writer_waits_for_the_first_to_commit_and_readers_do_not(database):
    first = database["default"]
    inside, seen, order = threading.Event(), {}, []

    def second_writer():
        connection = database["default"]  # this thread's own connection
        inside.wait(5)
        seen["read while the first writes"] = notes(connection)  # WAL: reading needs no turn
        with Transaction(connection):
            order.append("second begins")
            insert(connection, "second")
        connection.close()

    other = threading.Thread(target=second_writer)
    other.start()
    with Transaction(first):
        insert(first, "first")
        inside.set()
        other.join(0.2)  # the second thread has read, and now waits for its turn
        assert other.is_alive() and order == []
        order.append("first commits")
    other.join(5)

    assert order == ["first commits", "second begins"]
    assert seen["read while the first writes"] == []  # not the first's uncommitted row
    assert notes(first) == ["first", "second"]
    assert not first.write_turn.held


def write_from_another_thread(database, text: str, *, in_transaction: bool) -> str:
    """Write ``text`` from a thread with its own connection; the error it got, or "" when it wrote."""
    outcome = {}

    def body():
        connection = database["default"]
        try:
            if in_transaction:
                with Transaction(connection):
                    insert(connection, text)
            else:
                insert(connection, text)
            outcome["error"] = ""
        except OperationalError as exc:
            outcome["error"] = str(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    thread.join(5)  # its timeout (0.5 s) passes first when it gets no turn
    return outcome["error"]


def test_a_writer_that_gets_no_turn_in_time_fails_like_a_locked_database(database):
    holder = database["default"]
    with Transaction(holder):
        insert(holder, "holding")
        error = write_from_another_thread(database, "too late", in_transaction=True)
    assert "no turn to write within 0.5 s" in error
    assert notes(holder) == ["holding"]
    assert write_from_another_thread(database, "in time", in_transaction=True) == ""  # the turn is free


def test_a_rolled_back_transaction_gives_its_turn_back(database):
    connection = database["default"]
    with pytest.raises(RuntimeError), Transaction(connection):
        insert(connection, "never kept")
        assert connection.write_turn.held
        raise RuntimeError("the service refused")
    assert not connection.write_turn.held and notes(connection) == []


def test_a_write_outside_a_transaction_takes_the_turn_for_its_statement(database):
    connection = database["default"]
    insert(connection, "alone")  # autocommit: the statement is its own transaction
    assert not connection.write_turn.held
    with Transaction(connection):
        error = write_from_another_thread(database, "blocked", in_transaction=False)
    assert "no turn to write" in error  # it waited for the turn, not in SQLite's busy loop
    assert notes(connection) == ["alone"]


def test_an_in_memory_database_has_no_lock_file():
    handler = ConnectionHandler({"default": {"ENGINE": "motcua.core.sqlite", "NAME": ":memory:"}})
    assert handler["default"].write_turn is None
