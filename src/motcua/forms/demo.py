"""Demo online forms (``fixtures/forms/*.json``), loaded by ``manage.py load_demo``.

Idempotent and never overwriting: a procedure that already has a form written for it is left as it is,
and a procedure missing from the catalogue is skipped. Each file also holds one valid example of its data.
Then every other demo procedure that offers online submission gets its generic form published
(``services.publish_generic_forms``), so the whole demo catalogue can be sent online.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.catalog.models import Procedure

from . import services
from .models import FormKind, OnlineForm

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "forms"


@dataclass
class DemoFormsResult:
    published: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    generic: list[str] = field(default_factory=list)  # codes with a generic form published (now or before)


def demo_documents() -> list[dict]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(FIXTURES_DIR.glob("*.json"))]


def load_demo_forms() -> DemoFormsResult:
    result = DemoFormsResult()
    for doc in demo_documents():
        code = doc["procedure"]
        with transaction.atomic():
            procedure = Procedure.objects.filter(code=code).first()
            versions = OnlineForm.objects.filter(procedure=procedure)
            if procedure is None or versions.filter(kind=FormKind.BESPOKE).exists():
                result.skipped.append(code)
                continue
            # After a generic version (made on first use), the written form is numbered after it.
            last = versions.order_by("-version").values_list("version", flat=True).first() or 0
            form = services.save_draft(
                OnlineForm(
                    procedure=procedure,
                    version=max(doc["version"], last + 1),
                    schema=doc["schema"],
                    ui=doc["ui"],
                )
            )
            services.publish(form)
        result.published.append(code)
    result.generic = [form.procedure.code for form in services.publish_generic_forms()]
    return result
