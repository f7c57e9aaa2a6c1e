"""The dossier's clock: one length of a working day for the dossier and its steps, and a verdict (early, on
time, late) recorded with the outcome for every way a dossier ends."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest

from motcua.accounts.models import OfficerRole
from motcua.dossiers import clock as dossier_clock
from motcua.dossiers import services, workflow
from motcua.dossiers.models import DossierStatus, Outcome, StepKind, Timeliness
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload

from .test_workflow import VN, Clock

S = DossierStatus


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def staff(agency):
    return {r: make_officer(f"{r}.dong-ho", agency, role=r) for r in OfficerRole.values}


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data, clock):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def at(when: datetime, clock) -> None:
    clock.now = when


class TestOneLengthOfAWorkingDay:
    """With office hours of 7.5 hours (07:30–11:30, 13:30–17:00), a working day is 7.5 hours for the dossier
    and for each of its steps: before, the steps counted 8-hour days and ended an hour after the dossier."""

    @pytest.fixture(autouse=True)
    def short_days(self, settings, procedure):
        settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
        procedure.methods.filter(channel="online").update(processing_time=Decimal(2))

    def test_the_dossier_is_due_when_its_last_step_is(self, sent, staff, clock, demo_pki, agency):
        from motcua.documents import pki

        pki.ensure_demo_certificate(agency)
        dossier = services.receive(sent, by=staff["desk"])  # Monday 09:00
        assert dossier.due_at == datetime(2026, 3, 4, 9, 0, tzinfo=VN)  # 15 working hours later
        dossier = services.assign(dossier, by=staff["leader"], assignee=staff["specialist"].username)
        # Each step is done exactly when it is due; the next one starts then.
        at(dossier.current_step.due_at, clock)
        dossier = services.propose(dossier, by=staff["specialist"])
        at(dossier.current_step.due_at, clock)
        dossier = services.approve(dossier, by=staff["leader"])
        at(dossier.current_step.due_at, clock)
        dossier = services.number_result(dossier, by=staff["records"])

        last = dossier.current_step
        assert last.kind == StepKind.RETURN
        assert last.due_at == dossier.due_at
        done = dossier.steps.exclude(finished_at=None).exclude(kind=StepKind.RECEPTION).order_by("order")
        assert [s.timeliness for s in done] == [Timeliness.ON_TIME] * 3

    def test_budgets_in_hours_and_days_are_compared_with_the_office_day(self, procedure):
        steps = list(workflow.default_steps(procedure))
        assert workflow.problems(procedure, steps) == []
        in_hours = [
            workflow.StepDefinition(**{**s.__dict__, "budget": hours, "budget_unit": "working_hour"})
            for s, hours in zip(steps, [8, 9, 3, Decimal("1.5"), Decimal("1.5")], strict=True)
        ]
        assert workflow.problems(procedure, in_hours) == []  # 15 hours: two days of 7.5 hours

    def test_the_warning_limit_is_one_office_day(self):
        now = datetime(2026, 3, 2, 16, 0, tzinfo=VN)  # Monday, an hour before closing
        # 1 hour on Monday, then 4 + 2.5 on Tuesday (an 8-hour day would give 16:30).
        assert dossier_clock.due_soon_limit(now) == datetime(2026, 3, 3, 16, 0, tzinfo=VN)


class TestEveryEndingRecordsItsVerdict:
    """Refusing, stopping and withdrawing set the outcome, the end and the timeliness like a result does;
    before, they left ``timeliness`` empty, and a statistic over finished dossiers would miss them."""

    def finished(self, dossier):
        dossier.refresh_from_db()
        return dossier.outcome, dossier.finished_at is not None, dossier.timeliness

    def test_a_refusal(self, sent, staff, clock):
        services.refuse(sent, by=staff["desk"], note="Không thuộc thẩm quyền")
        assert self.finished(sent) == (Outcome.REFUSED, True, Timeliness.EARLY)

    def test_a_withdrawal(self, sent, citizen, clock):
        at(datetime(2026, 3, 6, 10, 0, tzinfo=VN), clock)  # after the provisional due date
        services.withdraw(sent, by=citizen)
        assert self.finished(sent) == (Outcome.WITHDRAWN, True, Timeliness.LATE)

    def test_a_stop(self, sent, staff, clock):
        dossier = services.receive(sent, by=staff["desk"])
        services.stop(dossier, by=staff["leader"], note="Người nộp đề nghị dừng")
        assert self.finished(sent) == (Outcome.STOPPED, True, Timeliness.EARLY)

    def test_a_stop_while_the_clock_stands_still_counts_until_it_stopped(self, sent, staff, clock):
        dossier = services.receive(sent, by=staff["desk"])
        due = dossier.due_at
        services.request_supplement(dossier, by=staff["desk"], note="Thiếu giấy tờ", papers=["Tờ khai"])
        at(due + timedelta(days=30), clock)  # a month later the applicant has still not answered
        services.stop(dossier, by=staff["leader"], note="Quá thời hạn bổ sung")
        outcome, ended, timeliness = self.finished(dossier)
        assert (outcome, ended) == (Outcome.STOPPED, True)
        assert timeliness == Timeliness.EARLY  # the agency was not late: the applicant was
        step = dossier.steps.get(kind=StepKind.PROCESSING)
        assert step.timeliness == Timeliness.EARLY

    def test_a_rejection_and_a_result(self, sent, staff, clock):
        dossier = services.receive(sent, by=staff["desk"])
        services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện")
        assert self.finished(dossier) == (Outcome.REJECTED, True, Timeliness.EARLY)
