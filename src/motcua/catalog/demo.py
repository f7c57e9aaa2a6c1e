"""The demo data of the catalogue: a fictional province, its sectors and real procedures.

The data lives in ``motcua/fixtures/`` (agencies.json, sectors.json, procedures.json). Loading is idempotent
and never overwrites: agencies and sectors are created only when their code is missing, procedures go through
``services.import_records(update_existing=False)``, and form templates are generated only for components that
have a form name and no file yet. What an administrator changed survives a second run.
"""

import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from . import services
from .models import Agency, ApplicantType, DossierComponent, Sector

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"

AGENCY_FIELDS = [
    "code",
    "slug",
    "name",
    "short_name",
    "level",
    "kind",
    "address",
    "phone",
    "email",
    "website",
    "office_hours",
    "is_active",
    "order",
]
SECTOR_FIELDS = ["code", "slug", "name", "description", "order"]


class DemoDataError(Exception):
    """The fixture files are inconsistent (e.g. an agency's parent code is unknown)."""


@dataclass
class DemoResult:
    agencies_created: int = 0
    agencies_skipped: list[str] = field(default_factory=list)
    sectors_created: int = 0
    procedures_created: int = 0
    procedures_skipped: int = 0
    forms_written: int = 0

    def summary(self) -> str:
        text = _(
            "Demo data: %(agencies)s agencies created, %(sectors)s sectors created, "
            "%(created)s procedures created, %(skipped)s skipped (already present), "
            "%(forms)s form templates written."
        ) % {
            "agencies": self.agencies_created,
            "sectors": self.sectors_created,
            "created": self.procedures_created,
            "skipped": self.procedures_skipped,
            "forms": self.forms_written,
        }
        if self.agencies_skipped:
            text += " " + _(
                "Agencies not created because their slug (or their parent's) is taken: %(codes)s."
            ) % {"codes": ", ".join(self.agencies_skipped)}
        return text


def read_fixture(name: str, key: str | None = None, directory: Path | None = None):
    """The parsed content of a fixture file; ``key`` picks the list out of a file that also holds a note."""
    path = (directory or FIXTURES_DIR) / name
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return data[key] if key else data


# --- agencies and sectors -----------------------------------------------------------------------------


def load_agencies(rows: list[dict], result: DemoResult) -> None:
    """Create missing agencies, parents before children; existing codes are left exactly as they are."""
    known = dict(Agency.objects.values_list("code", "pk"))
    taken_slugs = set(Agency.objects.values_list("slug", flat=True))
    pending = [row for row in rows if row["code"] not in known]
    while pending:
        # Tree order: a row is ready once its parent exists (in the database or created in an earlier pass).
        ready = [row for row in pending if not row.get("parent") or row["parent"] in known]
        if not ready:
            raise DemoDataError(
                _("Unknown parent agency code for: %(codes)s.")
                % {"codes": ", ".join(row["code"] for row in pending)}
            )
        for row in ready:
            parent_skipped = row.get("parent") and known[row["parent"]] is None
            if row["slug"] in taken_slugs or parent_skipped:
                # An administrator gave this slug to another agency (or to this one's parent): theirs wins,
                # and the subtree is not grafted elsewhere.
                result.agencies_skipped.append(row["code"])
                known[row["code"]] = None
                continue
            values = {key: row[key] for key in AGENCY_FIELDS if key in row}
            agency = Agency.objects.create(parent_id=known.get(row.get("parent") or ""), **values)
            known[agency.code] = agency.pk
            taken_slugs.add(agency.slug)
            result.agencies_created += 1
        pending = [row for row in pending if row not in ready]


def load_sectors(rows: list[dict], result: DemoResult) -> None:
    existing_codes = set(Sector.objects.values_list("code", flat=True))
    existing_slugs = set(Sector.objects.values_list("slug", flat=True))
    for row in rows:
        if row["code"] in existing_codes or row["slug"] in existing_slugs:
            continue
        Sector.objects.create(**{key: row[key] for key in SECTOR_FIELDS if key in row})
        result.sectors_created += 1


# --- form templates -----------------------------------------------------------------------------------

CITIZEN_FIELDS = [
    "Họ, chữ đệm, tên",
    "Ngày, tháng, năm sinh",
    "Giới tính",
    "Dân tộc",
    "Quốc tịch",
    "Số định danh cá nhân",
    "Nơi cư trú",
    "Số điện thoại",
    "Thư điện tử",
]
ORGANISATION_FIELDS = [
    "Tên tổ chức, doanh nghiệp",
    "Mã số doanh nghiệp, mã số thuế",
    "Địa chỉ trụ sở chính",
    "Họ, chữ đệm, tên người đại diện",
    "Số định danh cá nhân của người đại diện",
    "Số điện thoại",
    "Thư điện tử",
]
# A few lines that the forms of a sector always ask for, on top of the applicant's identity.
SECTOR_FIELDS_EXTRA = {
    "HOTICH": ["Quan hệ với người được đăng ký hộ tịch"],
    "CUTRU": ["Nơi thường trú", "Nơi tạm trú", "Nơi ở hiện tại", "Họ, chữ đệm, tên chủ hộ"],
    "CANCUOC": ["Nơi thường trú", "Nơi ở hiện tại"],
    "XNC": ["Nơi sinh", "Nghề nghiệp", "Số hộ chiếu đã được cấp (nếu có)"],
    "DATDAI": ["Thửa đất số", "Tờ bản đồ số", "Địa chỉ thửa đất", "Diện tích (m²)"],
    "XAYDUNG": ["Địa điểm xây dựng", "Loại công trình, cấp công trình", "Diện tích xây dựng (m²)"],
    "GIAODUC": ["Họ, chữ đệm, tên học sinh", "Lớp, trường đang học"],
    "HKD": ["Tên hộ kinh doanh", "Địa chỉ kinh doanh", "Ngành, nghề kinh doanh", "Vốn kinh doanh"],
    "THUE": ["Mã số thuế (nếu có)"],
}
DOTS = "." * 90


def form_title(component: DossierComponent) -> str:
    """The title printed on the form: the paper's name without the customary 'theo mẫu' tail."""
    title = component.name
    for tail in (" theo mẫu", " (theo mẫu)"):
        if title.endswith(tail):
            title = title[: -len(tail)]
    return title.upper()


def build_form_docx(component: DossierComponent) -> bytes:
    """A blank form for one component: national header, title, procedure, labelled lines, signature."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    procedure = component.procedure
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)

    def centred(text: str, bold: bool = False, italic: bool = False, size: int | None = None):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        return paragraph

    label = document.add_paragraph()
    label.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    label.add_run(component.form_name).italic = True

    centred("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    centred("Độc lập - Tự do - Hạnh phúc", bold=True)
    centred("―――――――――――――")
    centred(form_title(component), bold=True, size=14)
    centred(f"Thủ tục: {procedure.name} (mã {procedure.code})", italic=True, size=12)

    if procedure.implementing_body:
        document.add_paragraph(f"Kính gửi: {procedure.implementing_body}")

    applicants = set(procedure.applicant_types or [])
    fields = list(CITIZEN_FIELDS)
    if (
        applicants & {ApplicantType.BUSINESS, ApplicantType.ORGANISATION}
        and ApplicantType.CITIZEN not in applicants
    ):
        fields = list(ORGANISATION_FIELDS)
    fields += SECTOR_FIELDS_EXTRA.get(procedure.sector.code, [])
    document.add_paragraph().add_run("Thông tin người yêu cầu").bold = True
    for name in fields:
        document.add_paragraph(f"{name}: {DOTS[: max(20, 90 - len(name))]}")

    document.add_paragraph().add_run("Nội dung đề nghị").bold = True
    for _line in range(4):
        document.add_paragraph(DOTS + "." * 10)

    document.add_paragraph(
        "Tôi cam đoan những nội dung khai trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật "
        "về cam đoan của mình."
    )
    signature = document.add_paragraph()
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.add_run("……………, ngày …… tháng …… năm ……\n").italic = True
    signature.add_run("NGƯỜI YÊU CẦU\n").bold = True
    signature.add_run("(Ký, ghi rõ họ, chữ đệm, tên)").italic = True

    note = document.add_paragraph()
    note.add_run(
        "Mẫu minh hoạ do Motcua tạo cho dữ liệu demo; khi sử dụng thật, dùng mẫu ban hành kèm văn bản "
        "quy phạm pháp luật."
    ).italic = True

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_form_templates(procedure_codes: list[str] | None = None) -> int:
    """Generate the DOCX template of every component that has a form name and no file; return how many."""
    components = (
        DossierComponent.objects.filter(form_template="")
        .exclude(form_name="")
        .select_related("procedure__sector")
    )
    if procedure_codes is not None:
        components = components.filter(procedure__code__in=procedure_codes)
    written = 0
    for component in components:
        filename = f"{component.order:02d}.docx"
        target = component.form_template.field.generate_filename(component, filename)
        # A file left at this path by an earlier database belongs to no one now; replace it rather than
        # letting the storage add a random suffix.
        if default_storage.exists(target):
            default_storage.delete(target)
        component.form_template.save(filename, ContentFile(build_form_docx(component)), save=True)
        written += 1
    return written


# --- entry point --------------------------------------------------------------------------------------


def without_agencies(record: dict, codes: list[str]) -> dict:
    """The record without the agencies that were not created (their slug belongs to someone else)."""
    if not codes or not set(codes) & set(record.get("agencies") or []):
        return record
    return {**record, "agencies": [code for code in record["agencies"] if code not in codes]}


def load_demo(directory: Path | None = None, *, forms: bool = True) -> DemoResult:
    """Load the whole demo (agencies, sectors, procedures and, unless ``forms`` is false, form templates).

    Safe to run again. Leaving the forms out halves the time, for callers that never open a template.
    """
    result = DemoResult()
    agencies = read_fixture("agencies.json", "agencies", directory)
    sectors = read_fixture("sectors.json", "sectors", directory)
    records = read_fixture("procedures.json", directory=directory)
    with transaction.atomic():
        load_agencies(agencies, result)
        load_sectors(sectors, result)
        new_records = [without_agencies(r, result.agencies_skipped) for r in records]
        imported = services.import_records(new_records, update_existing=False)
    result.procedures_created = len(imported.created)
    result.procedures_skipped = len(imported.skipped)
    # Files are written after the commit so that a failed import leaves no orphan file behind.
    if forms:
        result.forms_written = write_form_templates([r["code"] for r in records])
    return result
