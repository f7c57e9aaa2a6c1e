"""Every step of every demo workflow waits in a queue of the role that must act on it, and that officer opens
on it: a dossier walked from submission to its return is looked for, at each step, in the queues of an
officer holding the acting role in the agency that holds it.

Before, a leader had no queue with the dossiers waiting for assignment (a received dossier showed to them
only under "due soon"), a result ready to return showed only under "finished", and a desk officer opened on
"assigned to me" (empty) while a new dossier waited."""

import json
from pathlib import Path

import pytest

from motcua.accounts.models import OfficerRole
from motcua.catalog.models import Agency
from motcua.catalog.tests.factories import make_agency
from motcua.documents import pki
from motcua.dossiers import queues, services, workflow
from motcua.dossiers.models import DossierStatus, StepKind

from .fixtures import make_officer, pdf_bytes, upload

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "workflows.json"
DEMO = {item["procedure"]: item for item in json.loads(FIXTURE.read_text(encoding="utf-8"))["workflows"]}


def _agency(code):
    return Agency.objects.filter(code=code).first() or make_agency(code=code, slug=f"co-quan-{code[7:9]}")


class Staff:
    """Officers of every role in every agency of the walk; the first of each role is the one who acts."""

    def __init__(self):
        self.by_agency: dict[int, dict[str, object]] = {}

    def of(self, agency) -> dict[str, object]:
        if agency.pk not in self.by_agency:
            self.by_agency[agency.pk] = {
                role: make_officer(f"{role}.{agency.pk}", agency, role=role) for role in OfficerRole.values
            }
        return self.by_agency[agency.pk]


def where_it_waits(dossier, officer) -> str:
    """The work queue of ``officer`` that holds ``dossier``, checked to be where they open and listed in their
    menu with its count."""
    seen = queues.Officer.of(officer)
    counts = queues.counts(seen)
    holding = [
        name for name in queues.WORK if name in counts and queues.queue(seen, name).filter(pk=dossier.pk)
    ]
    assert holding, f"{dossier.status}/{dossier.acting_role} at step {dossier.current_step} not in a queue"
    assert counts[holding[0]] >= 1 and holding[0] in queues.available(seen)
    # Nothing else waits for this officer: they open on the queue that holds this dossier.
    assert queues.default_queue(seen, counts) == holding[0]
    return holding[0]


def walk(dossier, staff: Staff) -> list[tuple[str, str, str]]:
    """Take the dossier through its workflow as its officers would; returns (step kind, role, queue)."""
    seen = []
    while dossier.status != DossierStatus.RETURNED:
        step = dossier.current_step
        people = staff.of(dossier.current_agency)
        role = dossier.acting_role
        seen.append((step.kind, role, where_it_waits(dossier, people[role])))
        if step.kind == StepKind.RECEPTION:
            dossier = services.receive(dossier, by=people[role])
        elif step.kind == StepKind.PROCESSING:
            if dossier.assignee is None:
                seen.append((step.kind, "leader", where_it_waits(dossier, people[OfficerRole.LEADER])))
                dossier = services.assign(dossier, by=people["leader"], assignee=people[role].username)
                seen.append((step.kind, role, where_it_waits(dossier, people[role])))
            following = workflow.definition_for(dossier.procedure, dossier.workflow).after(step.order)
            action = services.propose if following.kind == StepKind.APPROVAL else services.forward
            dossier = action(dossier, by=people[role], note="Đủ điều kiện")
        elif step.kind == StepKind.APPROVAL:
            pki.ensure_demo_certificate(dossier.current_agency)  # as setup_demo_pki leaves the demo
            dossier = services.approve(dossier, by=people[role], note="Đồng ý")
        elif step.kind == StepKind.RECORDS:
            dossier = services.number_result(dossier, by=people[role])
        else:
            assert step.kind == StepKind.RETURN and dossier.status == DossierStatus.RESULT_READY
            dossier = services.return_result(dossier, by=people[role], method="online")
        dossier.refresh_from_db()
    return seen


@pytest.mark.parametrize("code", [None, *DEMO])
def test_every_step_of_every_demo_workflow_waits_where_its_role_looks(
    code, agency, procedure, online_form, citizen, valid_data, demo_pki
):
    if code is not None:
        steps = [
            {**step, "agency": _agency(step["agency"]) if step["agency"] else None}
            for step in DEMO[code]["steps"]
        ]
        workflow.save_workflow(procedure, steps, supplement_clock=DEMO[code]["supplement_clock"])
    staff = Staff()
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    dossier = services.submit(draft, by=citizen)

    seen = walk(dossier, staff)

    kinds = [kind for kind, _role, _queue in seen]
    definition = workflow.definition_for(procedure)
    assert set(kinds) == {s.kind for s in definition.steps}  # every kind of step was looked at
    assert ("reception", "desk", "new") in seen
    assert ("processing", "leader", "to_assign") in seen and ("processing", "specialist", "mine") in seen
    assert ("approval", "leader", "to_receive") in seen
    assert ("return", "desk", "to_receive") in seen
