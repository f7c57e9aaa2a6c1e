"""``manage.py seed_load``: bulk dossiers with unique codes that live submissions continue, spread statuses,
a current step for those in progress, and no second run by mistake."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from motcua.accounts.models import OfficerRole
from motcua.dossiers import services
from motcua.dossiers.loadtest import SEED_DOMAIN, seeded_dossiers
from motcua.dossiers.models import CodeSequence, Dossier, DossierEvent, DossierStatus, DossierStep

from .fixtures import make_officer, pdf_bytes, upload

S = DossierStatus
IN_PROGRESS = {
    S.SUBMITTED,
    S.RECEIVED,
    S.PROCESSING,
    S.SUPPLEMENT_REQUESTED,
    S.PAYMENT_REQUESTED,
    S.RESULT_READY,
}


def seed(**options):
    out = io.StringIO()
    call_command("seed_load", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def unit(agency, procedure, online_form, desk_officer):
    """The test agency with its officers: desk (the fixture), specialist, leader and records office."""
    make_officer("chuyenvien.thu", agency, OfficerRole.SPECIALIST)
    make_officer("lanhdao.thu", agency, OfficerRole.LEADER)
    make_officer("vanthu.thu", agency, OfficerRole.RECORDS)
    return agency


def test_seeded_dossiers_have_unique_codes_that_a_live_submission_continues(
    unit, citizen, procedure, valid_data, time_machine_monday
):
    printed = seed(dossiers=300, days=1, seed=7)
    assert "Seeded 300 dossiers" in printed and "rows/s" in printed

    rows = list(
        Dossier.objects.values("code", "status", "applicant_id", "applicant_email", "agency_id", "channel")
    )
    assert len(rows) == 300 == seeded_dossiers().count()
    codes = [r["code"] for r in rows]
    assert len(set(codes)) == 300
    # All sent today (Monday 2 March 2026) to the one agency: numbers 1 to 300 of its day, no gap.
    pattern = re.compile(rf"{re.escape(unit.code)}-260302-(\d{{4}})")
    assert sorted(int(pattern.fullmatch(c).group(1)) for c in codes) == list(range(1, 301))
    assert CodeSequence.objects.get(agency=unit).last == 300
    assert all(r["applicant_email"].endswith("@" + SEED_DOMAIN) for r in rows)
    # Sent online: by a portal account (fictional too); at the desk, some.
    assert all(r["applicant_id"] for r in rows if r["channel"] == "online")
    assert any(r["applicant_id"] is None for r in rows if r["channel"] != "online")

    # Today's dossiers are mostly still being handled, in several statuses, each held by its current step.
    statuses = Counter(r["status"] for r in rows)
    assert len(statuses) >= 3, statuses
    held = Dossier.objects.filter(status__in=IN_PROGRESS - {S.RESULT_READY})
    assert held.exists()
    for dossier in held.select_related("current_step"):
        assert dossier.current_step is not None and dossier.current_step.dossier_id == dossier.pk
        assert dossier.current_agency_id == dossier.current_step.agency_id
        assert dossier.assignee_id == dossier.current_step.assignee_id
    assert DossierStep.objects.count() == Dossier.objects.exclude(current_step=None).count()
    events = Counter(DossierEvent.objects.values_list("dossier_id", flat=True))
    assert len(events) == 300 and set(events.values()) <= {1, 2, 3}

    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    sent = services.submit(draft, by=citizen)
    assert sent.code == f"{unit.code}-260302-0301"
    assert Dossier.objects.filter(code=sent.code).count() == 1
    assert CodeSequence.objects.get(agency=unit).last == 301


def test_two_years_are_mostly_returned_and_a_second_run_needs_append(unit, time_machine_monday):
    seed(dossiers=300, seed=11)
    with pytest.raises(CommandError, match="already holds seeded dossiers"):
        seed(dossiers=10)
    seed(dossiers=100, seed=11, append=True)

    assert Dossier.objects.count() == 400
    assert Dossier.objects.values("code").distinct().count() == 400
    statuses = Counter(Dossier.objects.values_list("status", flat=True))
    assert statuses[S.RETURNED] > 300, statuses
    assert statuses[S.RETURNED] < 400
    # Every (agency, day) sequence row equals the dossiers of that day: the next live code is free.
    per_day = Counter(code.rsplit("-", 1)[0] for code in Dossier.objects.values_list("code", flat=True))
    last = {
        f"{unit.code}-{s.day:%y%m%d}": s.last
        for s in CodeSequence.objects.filter(agency=unit).order_by("day")
    }
    assert per_day == Counter(last)
    returned = Dossier.objects.filter(status=S.RETURNED).first()
    assert returned.finished_at and returned.submitted_at <= returned.received_at <= returned.finished_at
    assert returned.current_step_id is None and returned.timeliness in {"early", "on_time", "late"}


def test_seeded_dossiers_obey_the_clock_and_the_numbering_of_live_ones(
    unit, procedure, citizen, valid_data, desk_officer, time_machine_monday, demo_pki, settings
):
    """Every due time, step due time, verdict and result number the seeder wrote, recomputed with the
    functions live dossiers use (before, the seeder had its own copy of the calendar, of the verdict and of
    the numbering, and its own rules: a dossier at the records office was already "finished")."""
    from types import SimpleNamespace

    from motcua.documents import pki
    from motcua.dossiers import clock, workflow
    from motcua.dossiers.models import Outcome, ResultSequence, StepKind

    # Office hours that are not the default, and a cut-off hour: the seeder must follow both.
    settings.MOTCUA_OFFICE_HOURS = "07:30-11:30,13:30-17:00"
    procedure.cutoff_time = datetime.time(15, 0)
    procedure.save()
    seed(dossiers=400, days=150, seed=5)

    rows = (
        Dossier.objects.select_related("procedure", "workflow", "current_step")
        .prefetch_related("procedure__methods", "supplement_requests")
        .order_by("id")
    )
    approved: dict[tuple[int, int], list[int]] = {}
    checked = Counter()
    for dossier in rows:
        definition = workflow.definition_for(dossier.procedure, dossier.workflow)
        provisional = dossier.status in (S.SUBMITTED, S.REFUSED) and dossier.channel == "online"
        start = dossier.submitted_at if provisional else dossier.received_at
        deadline = clock.dossier_deadline(dossier.procedure, dossier.channel, start)
        expected = deadline.due_at if deadline else None
        for request in dossier.supplement_requests.exclude(supplied_at=None).order_by("requested_at"):
            moved = SimpleNamespace(
                paused_at=request.requested_at, due_is_provisional=False, due_at=expected, current_step=None,
                procedure=dossier.procedure, channel=dossier.channel,
            )  # fmt: skip
            assert (
                clock.resume(moved, request.supplied_at, definition=definition) == request.paused_working_time
            )
            expected = moved.due_at
            checked["resumed"] += 1
        assert dossier.due_at == expected, dossier.code
        if dossier.finished_at is not None:
            assert dossier.timeliness == clock.timeliness(dossier.finished_at, dossier.due_at), dossier.code
            assert dossier.outcome in Outcome.values
            checked["verdicts"] += 1
        finished = {S.REFUSED, S.WITHDRAWN, S.STOPPED, S.RESULT_READY, S.RETURNED}
        assert (dossier.finished_at is not None) == (dossier.status in finished), dossier.code
        step = dossier.current_step
        if step is not None:
            counting_from = (
                deadline.counted_from if deadline and step.started_at == dossier.received_at else None
            )
            due = clock.step_due(definition.step(step.order), step.started_at, counting_from=counting_from)
            assert step.due_at == due, dossier.code
            checked["steps"] += 1
        if dossier.result_number:
            approval = definition.first_of(StepKind.APPROVAL)
            seq, year = dossier.result_number.split("/")
            approved.setdefault((approval.acting_agency_id(dossier.agency_id), int(year)), []).append(
                int(seq)
            )
    assert checked["verdicts"] > 200 and checked["steps"] > 10 and checked["resumed"] > 5, checked
    # Result numbers: per approving agency and year, 1..N without a gap, and the sequence row at N.
    for (agency_id, year), numbers in approved.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1))
        assert ResultSequence.objects.get(agency_id=agency_id, year=year).last == len(numbers)

    # A live approval continues the sequence of the year.
    pki.ensure_demo_certificate(unit)
    leader = make_officer("lanhdao.moi", unit, OfficerRole.LEADER)
    specialist = make_officer("chuyenvien.moi", unit, OfficerRole.SPECIALIST)
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    dossier = services.receive(services.submit(draft, by=citizen), by=desk_officer)
    dossier = services.assign(dossier, by=leader, assignee=specialist.username)
    dossier = services.approve(services.propose(dossier, by=specialist), by=leader)
    assert dossier.result_number == f"{len(approved.get((unit.pk, 2026), [])) + 1}/2026"


def test_seeded_applicants_have_accounts_papers_and_a_reception(agency, procedure, time_machine_monday):
    """Who sends a dossier online has an account (some come back with another dossier); papers point at one
    shared file, some reused from the applicant's store; a dossier sent online and received has its
    reception in its history (statistics count it by it); a fee is frozen on a dossier sent online."""
    from django.contrib.contenttypes.models import ContentType

    from motcua.core.storage import private_storage
    from motcua.documents.models import StoredDocument
    from motcua.dossiers.loadtest import seeded_accounts
    from motcua.dossiers.models import Attachment, AttachmentSource, DossierAction

    from .seeding import seed_world

    fee_procedure = seed_world(agency, procedure)
    seed(dossiers=300, days=200, seed=3)

    dossiers = list(Dossier.objects.select_related("applicant").prefetch_related("events", "attachments"))
    online = [d for d in dossiers if d.channel == "online"]
    assert online and len(online) < len(dossiers)
    for d in online:
        account = d.applicant
        assert account is not None and d.submitted_by_id == account.pk
        assert account.username == d.applicant_id_number and account.email == d.applicant_email
        assert account.email.endswith("@" + SEED_DOMAIN) and not account.has_usable_password()
        assert not account.is_demo and account.date_joined <= d.submitted_at
        profile = account.citizen if d.applicant_kind == "citizen" else account.business
        assert d.applicant_id_number in (
            getattr(profile, "personal_id", None),
            getattr(profile, "tax_code", None),
        )
    assert seeded_accounts().count() == len({d.applicant_id for d in dossiers if d.applicant_id})
    assert max(Counter(d.applicant_id for d in online).values()) > 1  # someone came back

    for d in dossiers:
        actions = [e.action for e in d.events.all()]
        received = d.status not in (S.SUBMITTED, S.REFUSED)
        if d.channel == "online":
            assert (DossierAction.RECEIVE in actions) == received, (d.code, actions)
            assert d.fee_total == (150000 if d.procedure_id == fee_procedure.pk else 0)
            assert d.fee_total == (d.fee_quote or {}).get("total", 0)
            assert d.attachments.all(), d.code  # every required paper uploaded
        else:
            assert actions[0] == DossierAction.REGISTER and d.fee_total == 0
        if d.finished_at is not None:
            assert d.outcome and d.timeliness, d.code

    papers = Attachment.objects.select_related("dossier", "reused_from")
    assert papers.filter(dossier__channel="in_person").exists()  # scanned at the desk, for some
    assert Dossier.objects.filter(channel="in_person", attachments=None).exists()  # on paper only
    shared = {p.file.name for p in papers}
    assert len(shared) == 1 and private_storage().exists(shared.pop())
    reused = [p for p in papers if p.reused_from_id]
    assert reused, "some paper is reused from the store"
    for paper in reused:
        assert paper.source == AttachmentSource.STORE
        assert paper.reused_from.owner_id == paper.dossier.applicant_id
        assert paper.reused_from.added_at < paper.uploaded_at
    attachment_type = ContentType.objects.get_for_model(Attachment)
    for entry in StoredDocument.objects.all():
        origin = Attachment.objects.select_related("dossier").get(pk=entry.origin_id)
        assert entry.origin_type == attachment_type and origin.dossier.applicant_id == entry.owner_id
        assert entry.file.name != origin.file.name  # the store keeps its own copy


def test_other_apps_add_their_rows_in_each_batch_and_once_at_the_end(unit, time_machine_monday):
    from django.db import connection

    from motcua.dossiers.loadtest import batch_seeded, seeding_finished

    batches, finished = [], []

    def on_batch(sender, *, dossiers, run, **kwargs):
        written = Dossier.objects.filter(pk__in=[row["id"] for row in dossiers]).count()
        batches.append((len(dossiers), written, connection.in_atomic_block, run.seed))

    def on_finished(sender, *, run, **kwargs):
        finished.append(Dossier.objects.count())

    batch_seeded.connect(on_batch, dispatch_uid="test.batch")
    seeding_finished.connect(on_finished, dispatch_uid="test.finished")
    try:
        seed(dossiers=250, batch=100, days=30, seed=9)
    finally:
        batch_seeded.disconnect(dispatch_uid="test.batch")
        seeding_finished.disconnect(dispatch_uid="test.finished")
    assert sum(n for n, *_ in batches) == 250 and len(batches) >= 2
    assert all(n == written and atomic and run_seed == 9 for n, written, atomic, run_seed in batches)
    assert finished == [250]


def test_if_empty_seeds_only_a_database_without_seeded_dossiers(unit, time_machine_monday):
    assert "Seeded 40 dossiers" in seed(dossiers=40, days=30, if_empty=True)
    assert "nothing seeded" in seed(dossiers=40, days=30, if_empty=True)
    assert Dossier.objects.count() == 40
