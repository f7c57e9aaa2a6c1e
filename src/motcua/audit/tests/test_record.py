"""Recording: numbered, chained entries that nobody can change or delete afterwards."""

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from motcua.accounts.models import AccountKind
from motcua.audit import selectors, services
from motcua.audit.models import GENESIS_HASH, AppendOnlyError, AuditEntry, AuditHead

from .conftest import seqs

pytestmark = pytest.mark.django_db


def test_entries_are_numbered_and_each_links_to_the_one_before(officer, citizen):
    first = services.record("citizen.view", actor=officer, target=citizen, target_label="030090012345")
    second = services.record("dossier.receive", actor=officer, target=("dossiers.dossier", 42))
    third = services.record("auth.logout", actor=officer)

    assert [first.seq, second.seq, third.seq] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert first.at <= second.at <= third.at
    head = AuditHead.objects.get()
    assert (head.last_seq, head.last_hash) == (3, third.hash)
    assert selectors.verify_chain().ok


def test_who_what_and_from_where(officer, citizen):
    entry = services.record("citizen.view", actor=officer, ip="203.113.0.7", target=citizen, reason="lookup")
    entry = AuditEntry.objects.get(seq=entry.seq)
    assert (entry.actor, entry.actor_pk, entry.actor_username) == (officer, officer.pk, "motcua.tthcc-tinh")
    assert entry.ip == "203.113.0.7"
    assert (entry.action, entry.target_type, entry.target_id) == (
        "citizen.view",
        "accounts.user",
        str(citizen.pk),
    )
    assert entry.target_label == "Nguyễn Văn An"  # str(target) when no label is given
    assert entry.detail == {"reason": "lookup"}


def test_the_request_gives_the_actor_and_the_address(officer):
    request = RequestFactory().get("/", REMOTE_ADDR="2001:0db8:0000::0001")
    request.user = officer
    entry = services.record("document.download", request=request, target=("documents.file", "receipt-1"))
    assert entry.actor == officer
    assert entry.ip == "2001:db8::1"  # one spelling per address, as PostgreSQL's inet gives it back

    request.user = AnonymousUser()
    assert services.record("dossier.track", request=request).actor is None


def test_detail_values_are_stored_as_json_that_verifies_after_reading_back(officer):
    services.record(
        "payment.confirm",
        actor=officer,
        amount=Decimal("150000.00"),
        paid_on=date(2026, 3, 2),
        paid_at=datetime(2026, 3, 2, 9, 30, tzinfo=timezone.get_fixed_timezone(420)),
        within=timedelta(days=3),
        order=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        kinds={"fee", "charge"},
        kind=AccountKind.CITIZEN,
        by=officer,
        ratio=0.25,
        whole=1e15,
        huge=1e300,
        codes=(1, 2),
    )
    stored = AuditEntry.objects.get().detail
    assert stored == {
        "amount": "150000.00",
        "paid_on": "2026-03-02",
        "paid_at": "2026-03-02T09:30:00+07:00",
        "within": "P3DT00H00M00S",
        "order": "12345678-1234-5678-1234-567812345678",
        "kinds": ["charge", "fee"],
        "kind": "citizen",
        "by": {"type": "accounts.user", "id": str(officer.pk)},
        "ratio": 0.25,
        "whole": 10**15,
        "huge": "1e+300",  # jsonb would give back the decimal expansion, not this float
        "codes": [1, 2],
    }
    assert selectors.verify_chain().ok


def test_what_is_not_json_is_refused_and_so_is_a_bad_action_name():
    with pytest.raises(TypeError):
        services.record("dossier.submit", attachment=object())
    with pytest.raises(ValueError, match="dotted"):
        services.record("Dossier submitted")
    assert not AuditEntry.objects.exists()


def test_the_orm_refuses_to_change_or_delete_entries(officer):
    entry = services.record("dossier.submit", actor=officer)
    entry.action = "dossier.refuse"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(seq=entry.seq).update(action="dossier.refuse")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(seq=2, action="x.y")])
    with pytest.raises(AppendOnlyError):  # rows come from services.record, with their hash
        AuditEntry.objects.create(seq=2, at=timezone.now(), action="dossier.submit")
    assert AuditEntry.objects.get().action == "dossier.submit"


def test_the_database_refuses_raw_updates_and_deletes(officer):
    services.record("dossier.submit", actor=officer)
    for sql in (
        "UPDATE audit_auditentry SET action = 'dossier.refuse'",
        "UPDATE audit_auditentry SET actor_id = NULL, action = 'dossier.refuse'",
        "DELETE FROM audit_auditentry",
    ):
        with (
            pytest.raises(IntegrityError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEntry.objects.get().action == "dossier.submit"


def test_deleting_an_account_keeps_its_entries_and_the_chain(citizen):
    services.record("auth.login", actor=citizen)
    citizen.delete()
    entry = AuditEntry.objects.get()
    assert entry.actor is None
    assert (entry.actor_pk, entry.actor_username) != (None, "") and entry.actor_username == "030090012345"
    assert selectors.verify_chain().ok


def test_an_entry_rolls_back_with_the_change_it_records(officer):
    services.record("dossier.submit", actor=officer)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.record("dossier.receive", actor=officer)
        raise RuntimeError("the transition failed after its audit entry")
    assert seqs() == [1]
    assert AuditHead.objects.get().last_seq == 1
    assert services.record("dossier.receive", actor=officer).seq == 2  # no gap
    assert selectors.verify_chain().ok


def test_an_entry_costs_three_queries_in_the_caller_s_transaction(officer, django_assert_num_queries):
    services.record("dossier.submit", actor=officer)  # the first one also creates the head row
    with transaction.atomic(), django_assert_num_queries(3):  # lock the head, insert, move the head
        services.record("dossier.receive", actor=officer)
