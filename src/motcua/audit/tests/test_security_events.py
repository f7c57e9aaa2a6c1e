"""Every entry of the accounts' security log is also an ``auth.<kind>`` entry of the audit log."""

import pytest
from django.db import transaction

from motcua.accounts import services as accounts
from motcua.accounts.models import SecurityEvent
from motcua.audit import selectors
from motcua.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


PASSWORD = "Mat-khau-dai-2026"  # as in conftest.citizen


def login(client, username, password=PASSWORD):
    return client.post("/tai-khoan/dang-nhap/", {"username": username, "password": password})


def test_a_login_is_in_the_audit_log(client, citizen):
    assert login(client, "030090012345").status_code == 302
    entry = AuditEntry.objects.get(action="auth.login")
    assert entry.actor == citizen and entry.ip == "127.0.0.1"
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "accounts.user",
        str(citizen.pk),
        "030090012345",
    )


def test_a_failed_login_for_an_unknown_name_has_no_actor_but_keeps_the_name(client):
    login(client, "khong-co-ai", "sai-mat-khau")
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert (entry.actor, entry.target_type, entry.target_label) == (None, "", "khong-co-ai")
    assert entry.detail == {"locked": False}


def test_the_security_event_and_its_audit_entry_are_kept_or_lost_together(citizen):
    with pytest.raises(RuntimeError), transaction.atomic():
        accounts.record_security_event("password_changed", user=citizen)
        raise RuntimeError
    assert not SecurityEvent.objects.exists() and not AuditEntry.objects.exists()

    accounts.record_security_event("token_created", user=citizen, token="abcd1234")
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.detail, entry.actor) == ("auth.token_created", {"token": "abcd1234"}, None)
    assert list(selectors.entries_for(citizen)) == [entry]
