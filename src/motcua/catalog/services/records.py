"""A procedure as a *record*, the shape of the national database of procedures: the record's fields, a
procedure turned into its record, and a record checked and turned into model values (``clean_record``).

A record is a plain dict holding the whole procedure (see ``RECORD_FIELDS``), the same shape that
``export_procedures`` writes and ``import_procedures`` reads.
"""

import re
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from ..fees import check_exemptions
from ..models import (
    Agency,
    AuthorityLevel,
    Channel,
    LegalDocument,
    LegalDocumentKind,
    OnlineLevel,
    PaperKind,
    Procedure,
    Sector,
    TimeUnit,
)

SCALAR_FIELDS = [
    "code",
    "name",
    "authority_level",
    "sector",
    "implementing_body",
    "online_level",
    "declared_online_level",
    "fee_before_processing",
    "is_active",
    "effective_from",
    "cutoff_time",
    "popularity",
    "requirements",
    "result_type",
    "notes",
]
LIST_FIELDS = ["agencies", "applicant_types", "steps", "methods", "fees", "components", "legal_basis"]
RECORD_FIELDS = SCALAR_FIELDS + LIST_FIELDS
REQUIRED_FIELDS = ["code", "name", "authority_level", "sector"]


@dataclass
class RecordError:
    """One problem in one record: ``row`` counts from 1 as people count rows (headers excluded)."""

    row: int
    field: str
    message: str

    def __str__(self):
        return _("row %(row)s, field %(field)s: %(message)s") % {
            "row": self.row,
            "field": self.field,
            "message": self.message,
        }


# --- record ↔ model -----------------------------------------------------------------------------------


def procedure_to_record(procedure: Procedure) -> dict:
    """The whole procedure as a record (prefetch steps, methods, fees, components, legal basis first)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "authority_level": procedure.authority_level,
        "sector": procedure.sector.code,
        "implementing_body": procedure.implementing_body,
        "online_level": procedure.online_level,
        "declared_online_level": procedure.declared_online_level,
        "fee_before_processing": procedure.fee_before_processing,
        "is_active": procedure.is_active,
        "effective_from": procedure.effective_from.isoformat() if procedure.effective_from else None,
        "cutoff_time": _time_text(procedure.cutoff_time),
        "popularity": procedure.popularity,
        "requirements": procedure.requirements,
        "result_type": procedure.result_type,
        "notes": procedure.notes,
        "agencies": [a.code for a in procedure.agencies.all()],
        "applicant_types": list(procedure.applicant_types or []),
        "steps": [{"title": s.title, "description": s.description} for s in procedure.steps.all()],
        "methods": [
            {
                "channel": m.channel,
                "processing_time": None if m.processing_time is None else str(m.processing_time.normalize()),
                "time_unit": m.time_unit,
                "description": m.description,
            }
            for m in procedure.methods.all()
        ],
        "fees": [
            {
                "channel": f.channel,
                "name": f.name,
                "amount": f.amount,
                "description": f.description,
                "unit_label": f.unit_label,
                "per_unit": f.per_unit,
                "exemptions": list(f.exemptions or []),
            }
            for f in procedure.fees.all()
        ],
        "components": [
            {
                "name": c.name,
                "originals": c.originals,
                "certified_copies": c.certified_copies,
                "photocopies": c.photocopies,
                "is_required": c.is_required,
                "form_name": c.form_name,
                "form_template": c.form_template.name or "",
                "note": c.note,
                "paper_kind": c.paper_kind,
            }
            for c in procedure.components.all()
        ],
        "legal_basis": [
            {
                "number": d.number,
                "kind": d.kind,
                "title": d.title,
                "issuer": d.issuer,
                "issued_on": d.issued_on.isoformat() if d.issued_on else None,
            }
            for d in procedure.legal_basis.all()
        ],
    }


def _time_text(value: time | None) -> str | None:
    if value is None:
        return None
    return value.isoformat(timespec="minutes" if not value.second else "seconds")


def export_queryset():
    return Procedure.objects.select_related("sector").prefetch_related(
        "agencies", "steps", "methods", "fees", "components", "legal_basis"
    )


class _Checker:
    """Collects field errors of one record while converting its values."""

    def __init__(self, row: int):
        self.row = row
        self.errors: list[RecordError] = []

    def add(self, field_name: str, message) -> None:
        self.errors.append(RecordError(self.row, field_name, str(message)))

    def text(self, data: dict, key: str, where: str, max_length: int, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            value = str(value)
        value = value.strip()
        if required and not value:
            self.add(where, _("This field is required."))
        elif len(value) > max_length:
            self.add(where, _("Too long: at most %(max)s characters.") % {"max": max_length})
        return value

    def choice(self, data: dict, key: str, where: str, choices, required: bool = True, default="") -> str:
        value = data.get(key)
        if value in (None, ""):
            if required and not default:
                self.add(where, _("This field is required."))
            return default
        if value not in choices.values:
            self.add(
                where,
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(map(str, choices.values))},
            )
        return value

    def integer(self, data: dict, key: str, where: str, default=None, minimum: int = 0):
        value = data.get(key)
        if value in (None, ""):
            return default
        try:
            number = int(str(value).strip())
        except ValueError:
            self.add(where, _("'%(value)s' is not a whole number.") % {"value": value})
            return default
        if number < minimum:
            self.add(where, _("Must be at least %(min)s.") % {"min": minimum})
        return number

    def boolean(self, data: dict, key: str, where: str, default: bool) -> bool:
        value = data.get(key)
        if value in (None, ""):
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "có", "co", "x"}:
            return True
        if text in {"0", "false", "no", "không", "khong"}:
            return False
        self.add(where, _("'%(value)s' is not yes/no (true or false).") % {"value": value})
        return default

    def iso_date(self, data: dict, key: str, where: str) -> date | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            self.add(where, _("'%(value)s' is not a date in the form YYYY-MM-DD.") % {"value": value})
            return None

    def time_of_day(self, data: dict, key: str, where: str) -> time | None:
        value = data.get(key)
        if value in (None, ""):
            return None
        if isinstance(value, time):
            return value
        text = str(value).strip()
        try:
            # HH:MM as people write it; a spreadsheet's time cell reads back as HH:MM:SS.
            if not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", text):
                raise ValueError
            return time(*(int(part) for part in text.split(":")))
        except ValueError:
            self.add(
                where, _("'%(value)s' is not a time of day in the form HH:MM, e.g. 15:00.") % {"value": value}
            )
            return None

    def items(self, data: dict, key: str) -> list:
        value = data.get(key)
        if value in (None, ""):
            return []
        if not isinstance(value, list):
            self.add(key, _("Must be a list."))
            return []
        return value


def clean_record(data: dict, row: int) -> tuple[dict, list[RecordError]]:
    """Check one record; return the converted values and every error found (empty when valid)."""
    c = _Checker(row)
    if not isinstance(data, dict):
        c.add("*", _("Each procedure must be an object with named fields."))
        return {}, c.errors
    for key in sorted(set(data) - set(RECORD_FIELDS)):
        c.add(key, _("Unknown field."))

    out: dict = {}
    out["code"] = c.text(data, "code", "code", 20, required=True)
    if out["code"]:
        try:
            Procedure._meta.get_field("code").run_validators(out["code"])
        except ValidationError as exc:
            c.add("code", " ".join(exc.messages))
    out["name"] = c.text(data, "name", "name", 1000, required=True)
    out["authority_level"] = c.choice(data, "authority_level", "authority_level", AuthorityLevel)
    sector_code = c.text(data, "sector", "sector", 40, required=True)
    out["sector"] = Sector.objects.filter(code=sector_code).first() if sector_code else None
    if sector_code and out["sector"] is None:
        c.add("sector", _("No sector has the code '%(code)s'.") % {"code": sector_code})
    out["implementing_body"] = c.text(data, "implementing_body", "implementing_body", 500)
    # The level the national database declares; the portal derives its own (catalog.levels). An exported
    # record carries both, and then the declared one is the one kept.
    for key in ("online_level", "declared_online_level"):
        level = c.integer(data, key, key)
        if level is not None and level not in OnlineLevel.values:
            c.add(key, _("The online service level must be 1, 2, 3 or 4."))
        out[key] = level
    if data.get("declared_online_level") not in (None, ""):
        out["online_level"] = out["declared_online_level"]
    out["declared_online_level"] = out.pop("online_level")
    out["fee_before_processing"] = c.boolean(
        data, "fee_before_processing", "fee_before_processing", default=False
    )
    out["is_active"] = c.boolean(data, "is_active", "is_active", default=True)
    out["effective_from"] = c.iso_date(data, "effective_from", "effective_from")
    out["cutoff_time"] = c.time_of_day(data, "cutoff_time", "cutoff_time")
    out["popularity"] = c.integer(data, "popularity", "popularity", default=0)
    out["requirements"] = c.text(data, "requirements", "requirements", 20000)
    out["result_type"] = c.text(data, "result_type", "result_type", 1000)
    out["notes"] = c.text(data, "notes", "notes", 20000)

    agency_codes = [str(a).strip() for a in c.items(data, "agencies")]
    found = {a.code: a for a in Agency.objects.filter(code__in=agency_codes)}
    for i, code in enumerate(agency_codes):
        if code not in found:
            c.add(f"agencies[{i + 1}]", _("No agency has the code '%(code)s'.") % {"code": code})
    out["agencies"] = [found[code] for code in agency_codes if code in found]

    applicant_types = c.items(data, "applicant_types")
    from ..models import ApplicantType

    for i, value in enumerate(applicant_types):
        if value not in ApplicantType.values:
            c.add(
                f"applicant_types[{i + 1}]",
                _("'%(value)s' is not one of: %(allowed)s.")
                % {"value": value, "allowed": ", ".join(ApplicantType.values)},
            )
    out["applicant_types"] = applicant_types

    out["steps"] = []
    for i, item in enumerate(c.items(data, "steps"), start=1):
        where = f"steps[{i}]"
        if not isinstance(item, dict):
            c.add(where, _("Each step must be an object with a title."))
            continue
        out["steps"].append(
            {
                "order": i,
                "title": c.text(item, "title", f"{where}.title", 255, required=True),
                "description": c.text(item, "description", f"{where}.description", 20000),
            }
        )

    out["methods"] = []
    channels_seen = set()
    for i, item in enumerate(c.items(data, "methods"), start=1):
        where = f"methods[{i}]"
        if not isinstance(item, dict):
            c.add(where, _("Each method must be an object with a channel."))
            continue
        channel = c.choice(item, "channel", f"{where}.channel", Channel)
        if channel in channels_seen:
            c.add(f"{where}.channel", _("The channel '%(value)s' is listed twice.") % {"value": channel})
        channels_seen.add(channel)
        raw_time = item.get("processing_time")
        processing_time = None
        if raw_time not in (None, ""):
            try:
                processing_time = Decimal(str(raw_time).strip().replace(",", "."))
                if processing_time < 0 or processing_time >= 10000:
                    raise InvalidOperation
            except InvalidOperation:
                c.add(f"{where}.processing_time", _("'%(value)s' is not a valid time.") % {"value": raw_time})
                processing_time = None
        out["methods"].append(
            {
                "channel": channel,
                "processing_time": processing_time,
                "time_unit": c.choice(
                    item, "time_unit", f"{where}.time_unit", TimeUnit, default=TimeUnit.WORKING_DAY
                ),
                "description": c.text(item, "description", f"{where}.description", 5000),
            }
        )

    out["fees"] = []
    for i, item in enumerate(c.items(data, "fees"), start=1):
        where = f"fees[{i}]"
        if not isinstance(item, dict):
            c.add(where, _("Each fee must be an object with a name."))
            continue
        fee = {
            "channel": c.choice(item, "channel", f"{where}.channel", Channel, required=False),
            "name": c.text(item, "name", f"{where}.name", 255, required=True),
            "amount": c.integer(item, "amount", f"{where}.amount"),
            "description": c.text(item, "description", f"{where}.description", 5000),
            "unit_label": c.text(item, "unit_label", f"{where}.unit_label", 40),
            "per_unit": c.text(item, "per_unit", f"{where}.per_unit", 100),
            "exemptions": [],
        }
        for key in sorted(set(item) - set(fee)):
            c.add(f"{where}.{key}", _("Unknown field."))
        if fee["per_unit"] and not fee["unit_label"]:
            c.add(f"{where}.unit_label", _("Name the unit the quantity field counts."))
        try:
            fee["exemptions"] = check_exemptions(item.get("exemptions"))
        except ValidationError as exc:
            for message in exc.messages:
                c.add(f"{where}.exemptions", message)
        out["fees"].append(fee)

    out["components"] = []
    for i, item in enumerate(c.items(data, "components"), start=1):
        where = f"components[{i}]"
        if not isinstance(item, dict):
            c.add(where, _("Each dossier component must be an object with a name."))
            continue
        template = c.text(item, "form_template", f"{where}.form_template", 255)
        if template and not default_storage.exists(template):
            c.add(f"{where}.form_template", _("No stored file '%(path)s'.") % {"path": template})
        out["components"].append(
            {
                "order": i,
                "name": c.text(item, "name", f"{where}.name", 1000, required=True),
                "originals": c.integer(item, "originals", f"{where}.originals", default=0),
                "certified_copies": c.integer(
                    item, "certified_copies", f"{where}.certified_copies", default=0
                ),
                "photocopies": c.integer(item, "photocopies", f"{where}.photocopies", default=0),
                "is_required": c.boolean(item, "is_required", f"{where}.is_required", default=True),
                "form_name": c.text(item, "form_name", f"{where}.form_name", 255),
                "form_template": template,
                "note": c.text(item, "note", f"{where}.note", 5000),
                "paper_kind": c.choice(item, "paper_kind", f"{where}.paper_kind", PaperKind, required=False),
            }
        )

    out["legal_basis"] = []
    for i, item in enumerate(c.items(data, "legal_basis"), start=1):
        where = f"legal_basis[{i}]"
        if isinstance(item, str):
            item = {"number": item}
        if not isinstance(item, dict):
            c.add(where, _("Each legal basis entry must be an object with a number."))
            continue
        number = c.text(item, "number", f"{where}.number", 80, required=True)
        known = LegalDocument.objects.filter(number=number).first() if number else None
        kind = item.get("kind") or (known.kind if known else "") or guess_legal_kind(number)
        out["legal_basis"].append(
            {
                "number": number,
                "kind": c.choice({"kind": kind}, "kind", f"{where}.kind", LegalDocumentKind),
                "title": c.text(item, "title", f"{where}.title", 500),
                "issuer": c.text(item, "issuer", f"{where}.issuer", 255),
                "issued_on": c.iso_date(item, "issued_on", f"{where}.issued_on"),
            }
        )
    return out, c.errors


def guess_legal_kind(number: str) -> str:
    """The kind of a Vietnamese legal document from its number's suffix (QH = law, NĐ-CP = decree…)."""
    upper = number.upper()
    if "/QH" in upper:
        return LegalDocumentKind.LAW
    if "NĐ-CP" in upper or "ND-CP" in upper:
        return LegalDocumentKind.DECREE
    if "/NQ" in upper:
        return LegalDocumentKind.RESOLUTION
    if "/TT" in upper:
        return LegalDocumentKind.CIRCULAR
    if "/QĐ" in upper or "/QD" in upper:
        return LegalDocumentKind.DECISION
    return LegalDocumentKind.OTHER
