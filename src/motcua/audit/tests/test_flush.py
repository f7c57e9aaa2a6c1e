"""``manage.py flush`` (and so every ``transactional_db`` test) empties the log, and the guards stay."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from motcua.audit import selectors, services
from motcua.audit.models import AuditEntry, AuditHead


def test_flush_empties_the_log_and_leaves_the_triggers_in_place(transactional_db, officer):
    services.record("dossier.submit", actor=officer)
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists() and not AuditHead.objects.exists()

    entry = services.record("dossier.submit")  # a new log starts at 1
    assert entry.seq == 1 and selectors.verify_chain().ok
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1
