"""Demo online forms (``fixtures/forms/*.json``), loaded by ``manage.py load_demo``.

Idempotent and never overwriting: a procedure that already has any form version is left as it is, and a
procedure missing from the catalogue is skipped. Each file also holds one valid example of its data.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.catalog.models import Procedure

from . import services
from .models import OnlineForm

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "forms"


@dataclass
class DemoFormsResult:
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def demo_documents() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(FIXTURES_DIR.glob("*.json"))]


def load_demo_forms() -> DemoFormsResult:
    result = DemoFormsResult()
    for doc in demo_documents():
        code = doc["procedure"]
        with transaction.atomic():
            procedure = Procedure.objects.filter(code=code).first()
            if procedure is None or OnlineForm.objects.filter(procedure=procedure).exists():
                result.skipped.append(code)
                continue
            form = services.save_draft(
                OnlineForm(procedure=procedure, version=doc["version"], schema=doc["schema"], ui=doc["ui"])
            )
            services.publish(form)
        result.published.append(code)
    return result
