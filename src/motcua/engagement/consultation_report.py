"""The report of a consultation (báo cáo tổng hợp, tiếp thu, giải trình ý kiến góp ý) as XLSX and PDF: per
section (the whole draft, then each article) the comments received, approved, rejected, pending and
answered, then the approved comments with the agency's answers. Like the official documents, it is written
in Vietnamese only. Only officers who may read it get it (``rules.may_read_report``, asked by the callers).
"""

import io

from django.utils import timezone

from motcua.core.spreadsheets import append_row

from .selectors import consultations as selectors

WHOLE_DRAFT = "Toàn văn dự thảo"
COUNT_HEADER = ["Phần", "Tiêu đề", "Số ý kiến", "Đã duyệt", "Không duyệt", "Chờ duyệt", "Đã giải trình"]
COMMENT_HEADER = ["Phần", "STT", "Người góp ý", "Thời điểm", "Nội dung góp ý", "Tiếp thu, giải trình"]


def build(consultation) -> selectors.ConsultationReport:
    return selectors.report(consultation, whole_label=WHOLE_DRAFT)


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""


def xlsx(consultation) -> bytes:
    """Two sheets: the counts per section (with the totals), and the approved comments with the answers."""
    from openpyxl import Workbook  # only exports need it

    made = build(consultation)
    book = Workbook(write_only=True)
    counts = book.create_sheet("Tổng hợp")
    append_row(counts, [consultation.title])
    append_row(counts, [f"Cơ quan chủ trì soạn thảo: {consultation.agency.name}"])
    period = f"Thời gian lấy ý kiến: {_local(consultation.opens_at)} – {_local(consultation.closes_at)}"
    append_row(counts, [period])
    append_row(counts, [])
    append_row(counts, COUNT_HEADER)
    for section in made.sections:
        append_row(counts, [section.label, section.title, section.received, section.approved,
                            section.rejected, section.pending, section.responded])  # fmt: skip
    total = made.totals
    append_row(counts, ["Tổng cộng", "", total.received, total.approved, total.rejected, total.pending,
                        total.responded])  # fmt: skip
    comments = book.create_sheet("Ý kiến và giải trình")
    append_row(comments, COMMENT_HEADER)
    for section in made.sections:
        for number, row in enumerate(section.comments, start=1):
            append_row(comments, [section.label, number, row.author_name, _local(row.submitted_at),
                                  row.content, row.response])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def pdf(consultation) -> bytes:
    from motcua.documents.pdf import render_pdf  # WeasyPrint is loaded by the documents that need it

    made = build(consultation)
    context = {
        "agency": consultation.agency,
        "issued_at": made.made_at,
        "consultation": consultation,
        "report": made,
        "totals": made.totals,
    }
    return render_pdf("engagement/consultation_report.html", context)


def filename(consultation, extension: str) -> str:
    return f"bao-cao-gop-y-du-thao-{consultation.pk}.{extension}"


CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
RENDERERS = {"xlsx": xlsx, "pdf": pdf}


def render(consultation, extension: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report as ``extension`` ("xlsx" or "pdf")."""
    return RENDERERS[extension](consultation), CONTENT_TYPES[extension], filename(consultation, extension)


def download(consultation, extension: str, *, by, request=None) -> tuple[bytes, str, str]:
    """The report as ``render`` gives it, recorded in the audit log as a download by ``by`` (the back office's
    link and the API's both come here, after their own permission check)."""
    from motcua.audit import services as audit

    rendered = render(consultation, extension)
    audit.record(
        "document.download", actor=by, request=request, target=consultation,
        target_label=f"consultation {consultation.pk}", report=extension,
    )  # fmt: skip
    return rendered
