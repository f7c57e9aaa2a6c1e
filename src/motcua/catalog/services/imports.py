"""Writes of records into the catalogue: an import of many records, all or nothing, and one cleaned record
saved; the folded search text rebuilt after bulk changes."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import DossierComponent, Fee, LegalDocument, Procedure, ProcedureMethod, ProcedureStep
from .online_levels import refresh_online_level
from .records import SCALAR_FIELDS, RecordError, clean_record


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


class ImportRejected(Exception):
    """The import wrote nothing; ``errors`` says every reason."""

    def __init__(self, errors: list[RecordError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def import_records(records: list[dict], *, update_existing: bool = True) -> ImportResult:
    """Upsert procedures by code, all or nothing.

    Every record is checked first; if any has an error, ``ImportRejected`` lists them all and nothing is
    written. With ``update_existing=False`` procedures that already exist are left exactly as they are
    (the demo loader uses this so that a second run keeps what administrators changed).
    """
    errors: list[RecordError] = []
    cleaned: list[dict] = []
    codes_seen: dict[str, int] = {}
    skipped: list[str] = []
    if not update_existing:
        # Records that will be skipped are not checked: an old record must not block new ones.
        codes = [r.get("code") for r in records if isinstance(r, dict) and isinstance(r.get("code"), str)]
        present = set(Procedure.objects.filter(code__in=codes).values_list("code", flat=True))
        skipped = [r["code"] for r in records if isinstance(r, dict) and r.get("code") in present]
        records = [r for r in records if not (isinstance(r, dict) and r.get("code") in present)]
    for row, record in enumerate(records, start=1):
        values, record_errors = clean_record(record, row)
        errors.extend(record_errors)
        code = values.get("code")
        if code:
            if code in codes_seen:
                errors.append(
                    RecordError(
                        row,
                        "code",
                        _("The code %(code)s is already on row %(row)s.")
                        % {"code": code, "row": codes_seen[code]},
                    )
                )
            codes_seen.setdefault(code, row)
        cleaned.append(values)
    if errors:
        raise ImportRejected(errors)

    result = ImportResult(skipped=skipped)
    with transaction.atomic():
        existing = set(Procedure.objects.filter(code__in=codes_seen).values_list("code", flat=True))
        for values in cleaned:
            save_procedure(values)
            (result.updated if values["code"] in existing else result.created).append(values["code"])
    return result


def save_procedure(values: dict) -> Procedure:
    """Write one cleaned record (from ``clean_record``), replacing its steps, methods, fees and components."""
    scalars = {k: values[k] for k in SCALAR_FIELDS if k not in ("code", "online_level")}
    scalars["applicant_types"] = values["applicant_types"]
    procedure, _created = Procedure.objects.update_or_create(code=values["code"], defaults=scalars)

    procedure.steps.all().delete()
    ProcedureStep.objects.bulk_create(ProcedureStep(procedure=procedure, **s) for s in values["steps"])
    procedure.methods.all().delete()
    ProcedureMethod.objects.bulk_create(ProcedureMethod(procedure=procedure, **m) for m in values["methods"])
    procedure.fees.all().delete()
    Fee.objects.bulk_create(Fee(procedure=procedure, **f) for f in values["fees"])
    # A record without a template path keeps the file the same paper already had (same name), so an
    # update from a spreadsheet does not orphan the forms that were uploaded or generated.
    kept_templates = {
        c.name: c.form_template.name for c in procedure.components.all() if c.form_template.name
    }
    procedure.components.all().delete()
    DossierComponent.objects.bulk_create(
        DossierComponent(
            procedure=procedure,
            **{**comp, "form_template": comp["form_template"] or kept_templates.get(comp["name"], "")},
        )
        for comp in values["components"]
    )

    documents = []
    for entry in values["legal_basis"]:
        defaults = {"kind": entry["kind"]}
        # An entry that gives only a number must not blank what is already known of that document.
        for key in ("title", "issuer", "issued_on"):
            if entry[key]:
                defaults[key] = entry[key]
        document, _ = LegalDocument.objects.update_or_create(number=entry["number"], defaults=defaults)
        documents.append(document)
    procedure.legal_basis.set(documents)
    procedure.agencies.set(values["agencies"])
    procedure.refresh_search_text(save=True)
    refresh_online_level(procedure)
    return procedure


def reindex_procedures(procedures=None) -> int:
    """Rebuild the folded search text (after bulk changes of agencies or components)."""
    count = 0
    for procedure in procedures if procedures is not None else Procedure.objects.select_related("sector"):
        procedure.refresh_search_text(save=True)
        count += 1
    return count
