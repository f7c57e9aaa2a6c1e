"""Demo workflows (``fixtures/workflows.json``), loaded by ``manage.py load_demo``.

Never overwriting: a procedure that already has a workflow keeps it; a procedure missing from the catalogue
is skipped. Each demo workflow must be sound (``workflow.problems``), or loading stops with the reasons.
"""

import json
from pathlib import Path

from django.db import transaction

from motcua.catalog.models import Agency, Procedure

from . import workflow
from .models import Workflow

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "workflows.json"


class DemoWorkflowError(ValueError):
    pass


def load_demo_workflows() -> list[str]:
    """Create the missing demo workflows; returns the codes of the procedures that got one."""
    created = []
    for item in json.loads(FIXTURE.read_text(encoding="utf-8"))["workflows"]:
        procedure = Procedure.objects.filter(code=item["procedure"]).first()
        if procedure is None or Workflow.objects.filter(procedure=procedure).exists():
            continue
        steps = [
            {**step, "agency": Agency.objects.get(code=step["agency"]) if step.get("agency") else None}
            for step in item["steps"]
        ]
        with transaction.atomic():
            saved = workflow.save_workflow(procedure, steps, supplement_clock=item["supplement_clock"])
            found = workflow.problems(procedure, saved.steps.order_by("order"))
            if found:
                raise DemoWorkflowError(f"{procedure.code}: " + " ".join(found))
        created.append(procedure.code)
    return created
