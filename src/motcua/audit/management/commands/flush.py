"""Django's ``flush``, able to empty the audit log on SQLite too.

Flushing empties every table, the audit log included (tests that use ``transactional_db`` flush after
each test). PostgreSQL's TRUNCATE fires no row trigger, but SQLite flushes with DELETE, which the
append-only triggers refuse: on SQLite they are dropped for the flush and put back in the same transaction.
"""

from django.core.management.commands import flush
from django.db import connections, transaction

from motcua.audit import triggers


class Command(flush.Command):
    def handle(self, **options):
        database = options["database"]
        if connections[database].vendor != "sqlite":
            return super().handle(**options)
        with transaction.atomic(using=database):
            triggers.remove(database)
            super().handle(**options)
            triggers.install(database)
        return None
