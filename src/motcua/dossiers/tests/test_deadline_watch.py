"""The deadline watch: warnings once per due date, an apology draft for a late dossier, sent by a leader;
lateness stays counted after the apology."""

from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.models import OfficerRole
from motcua.dossiers import deadline_watch, services
from motcua.dossiers.models import ApologyLetter, DeadlineWarning
from motcua.notifications.models import Notification

from .fixtures import make_officer, pdf_bytes, upload
from .test_workflow import VN, Clock


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def staff(agency):
    return {r: make_officer(f"{r}.han", agency, role=r) for r in OfficerRole.values}


@pytest.fixture
def received(citizen, procedure, online_form, valid_data, clock, staff):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    dossier = services.receive(services.submit(draft, by=citizen), by=staff["desk"])  # due Thu 5 Mar 09:00
    return services.assign(dossier, by=staff["leader"], assignee=staff["specialist"].username)


def test_due_soon_warns_the_assignee_and_leaders_once(received, staff):
    found = deadline_watch.watch(now=datetime(2026, 3, 4, 10, 0, tzinfo=VN))
    assert found.due_soon == [received.code] and found.overdue == []
    told = set(
        Notification.objects.filter(topic="dossier.due_soon").values_list("recipient__username", flat=True)
    )
    assert told == {staff["specialist"].username, staff["leader"].username}
    message = Notification.objects.filter(topic="dossier.due_soon").first()
    assert "09:00 05/03/2026" in message.body_vi and "09:00 05/03/2026" in message.body_en
    again = deadline_watch.watch(now=datetime(2026, 3, 4, 11, 0, tzinfo=VN))
    assert again.due_soon == []
    assert DeadlineWarning.objects.count() == 1


def test_overdue_drafts_an_apology_that_a_leader_sends(received, staff, citizen, clock):
    late = datetime(2026, 3, 6, 10, 0, tzinfo=VN)
    found = deadline_watch.watch(now=late)
    assert found.overdue == [received.code] and found.apologies == [received.code]
    letter = ApologyLetter.objects.get()
    assert letter.new_due_at > late
    assert deadline_watch.watch(now=late).apologies == []  # one draft at a time

    clock.now = late
    with pytest.raises(PermissionDenied):
        services.send_apology(letter, by=staff["specialist"], reason="Chờ xác minh")
    with pytest.raises(ValidationError):
        services.send_apology(letter, by=staff["leader"], reason="")
    services.send_apology(letter, by=staff["leader"], reason="Chờ kết quả xác minh của cơ quan khác")
    received.refresh_from_db()
    assert received.promised_at == letter.new_due_at
    assert received.due_at == datetime(2026, 3, 5, 9, 0, tzinfo=VN)  # lateness is not hidden
    assert Notification.objects.filter(topic="dossier.apology", recipient=citizen).exists()
    with pytest.raises(services.ActionRefused):
        services.send_apology(letter, by=staff["leader"], reason="again")


def test_a_paused_dossier_is_not_overdue(received, staff):
    services.request_supplement(received, by=staff["specialist"], note="Thiếu giấy tờ")
    found = deadline_watch.watch(now=datetime(2026, 3, 20, 10, 0, tzinfo=VN))
    assert found.overdue == []
