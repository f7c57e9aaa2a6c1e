"""Form 01 of Circular 03/2025 Annex I (giấy tiếp nhận hồ sơ và hẹn trả kết quả) drawn on a canvas.

Every sent dossier gets one, so it is drawn directly (``documents.canvas``, a few ms of CPU) rather than laid
out from HTML by WeasyPrint like the occasional slips. It shows exactly ``receipt.receipt_context``, laid out
like the other papers (base_document.html and print.css): the issuing agency beside the national motto, the
title, the dossier code beside the tracking QR code, the applicant's facts, the numbered items with the list
of papers, and the signatures of a counter dossier. Vietnamese only, like every official form.
"""

from reportlab.lib.units import mm

from motcua.documents.canvas import Cell, Sheet, block, clean, runs
from motcua.documents.qr import BORDER
from motcua.documents.templatetags.motcua_documents import date_line, time_and_date

TITLE = "Giấy tiếp nhận hồ sơ và hẹn trả kết quả"
QR_SIDE = 30 * mm
PAPER_COLUMNS = (0.07, 0.46, 0.11, 0.14, 0.11, 0.11)
PAPER_HEADER = (
    Cell("TT", 0, rows=2),
    Cell("Tên giấy tờ", 1, rows=2),
    Cell("Số lượng bản", 2, columns=3),
    Cell("Tệp đính kèm", 5, rows=2),
    Cell("Bản chính", 2, row=1),
    Cell("Bản sao chứng thực", 3, row=1),
    Cell("Bản chụp", 4, row=1),
)
PROVISIONAL = (
    "Thời gian hẹn trả kết quả là dự kiến: hồ sơ nộp trực tuyến sẽ được xác định thời gian hẹn trả chính "
    "thức khi cán bộ bộ phận một cửa kiểm tra và tiếp nhận hồ sơ."
)


def _or_dash(value) -> str:
    return clean(value) or "—"


def _count(value) -> str:
    """A number of copies: blank when none, as the paper form leaves it."""
    return str(value) if value else ""


def _national_header(sheet: Sheet, agency, issued_at) -> None:
    """The issuing agency (its parent above it) on the left, the national motto and the date on the right."""
    left_width = sheet.width * 0.44 - 4
    right_x, right_width = sheet.left + sheet.width * 0.44, sheet.width * 0.56
    issuer = []
    if agency.parent_id:
        issuer.append(block(clean(agency.parent.name).upper(), left_width, 12, "center"))
    issuer.append(block(runs((clean(agency.name).upper(), "bold")), left_width, 12, "center"))
    motto = block(runs(("Độc lập - Tự do - Hạnh phúc", "bold")), right_width, 13, "center")
    bottoms = sheet.columns(
        [
            (sheet.left, left_width, issuer),
            (
                right_x,
                right_width,
                [
                    block(runs(("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "bold")), right_width, 12, "center"),
                    motto,
                    8,
                    block(runs((date_line(issued_at), "italic")), right_width, 13, "center"),
                ],
            ),
        ]
    )
    # The rule under the agency is a third of its column; the one under the motto as long as the motto.
    agency_bottom = bottoms[len(issuer) - 1] - 4
    sheet.line(sheet.left + left_width / 3, agency_bottom, sheet.left + 2 * left_width / 3, agency_bottom)
    motto_width = motto.lines[-1][1]
    motto_bottom = bottoms[len(issuer) + 1] + 0.5
    middle = right_x + right_width / 2
    sheet.line(middle - motto_width / 2, motto_bottom, middle + motto_width / 2, motto_bottom)
    sheet.y = min(sheet.y, agency_bottom)
    sheet.skip(10)


def _code_block(sheet: Sheet, context: dict) -> None:
    """The dossier code and the reception desk, beside the QR code of the tracking address."""
    dossier, agency = context["dossier"], context["agency"]
    width = sheet.width - QR_SIDE - 6
    lines = [
        block(runs((f"Mã hồ sơ: {clean(dossier.code)}", "bold")), width, 14),
        block(runs("Mã tra cứu: ", (clean(dossier.code), "bold")), width),
        block(f"Bộ phận tiếp nhận và trả kết quả: {clean(agency.name)}", width),
    ]
    address, phone = clean(agency.address), clean(agency.phone)
    if address or phone:
        where = "; ".join(
            part for part in (address and f"Địa chỉ: {address}", phone and f"điện thoại: {phone}") if part
        )
        lines.append(block(where, width))
    text_height = sum(b.height + 3 for b in lines)
    height = max(text_height, QR_SIDE)
    sheet.skip(4)
    sheet.keep(height)
    top = sheet.y - (height - text_height) / 2
    for text in lines:
        sheet.draw_lines(text, sheet.left, top, width)
        top -= text.height + 3
    sheet.qr(context["tracking_url"], sheet.left + sheet.width - QR_SIDE, sheet.y, QR_SIDE, border=BORDER)
    sheet.y -= height


def _signatures(sheet: Sheet, context: dict) -> None:
    """The applicant (a counter dossier) and the receiving officer sign; an online receipt has neither."""
    half = sheet.width / 2

    def signer(role: str, name: str) -> list:
        return [
            block(runs((role.upper(), "bold")), half, 13, "center"),
            block(runs(("(Ký và ghi rõ họ tên)", "italic")), half, 12, "center"),
            42,
            block(runs((clean(name), "bold")), half, 13, "center"),
        ]

    applicant = signer("Người nộp hồ sơ", context["dossier"].applicant_name) if context["in_person"] else []
    sheet.skip(10)
    sheet.columns(
        [
            (sheet.left, half, applicant),
            (sheet.left + half, half, signer("Người tiếp nhận hồ sơ", context["officer_name"])),
        ]
    )


def render(context: dict) -> bytes:
    """The PDF of form 01 for ``context`` (what ``receipt.receipt_context`` returns)."""
    dossier = context["dossier"]
    sheet = Sheet(title=f"{TITLE} {dossier.code}", author=context["agency"].name)
    _national_header(sheet, context["agency"], context["issued_at"])
    sheet.paragraph(runs((TITLE.upper(), "bold")), size=14, align="center", after=4)
    _code_block(sheet, context)

    sheet.skip(4)
    for parts in (
        runs("Tiếp nhận hồ sơ của: ", (clean(dossier.applicant_name), "bold")),
        f"{context['id_label']}: {_or_dash(dossier.applicant_id_number)}",
        f"Địa chỉ: {_or_dash(dossier.applicant_address)}",
        f"Số điện thoại: {_or_dash(dossier.applicant_phone)}; "
        f"thư điện tử: {_or_dash(dossier.applicant_email)}",
        f"Nội dung yêu cầu giải quyết: {clean(context['procedure_name'])} "
        f"(mã thủ tục: {clean(context['procedure_code'])})",
        f"Hình thức nộp hồ sơ: {context['channel']}",
    ):
        sheet.paragraph(parts)
    sheet.skip(4)

    sheet.paragraph(runs(("1. Thành phần hồ sơ nộp gồm:", "bold")))
    papers = [
        (
            str(number),
            paper["name"],
            _count(paper["originals"]),
            _count(paper["certified_copies"]),
            _count(paper["photocopies"]),
            str(paper["files"]),
        )
        for number, paper in enumerate(context["papers"], start=1)
    ] or [("Không có giấy tờ kèm theo.",)]
    centre = "center"
    sheet.table(PAPER_COLUMNS, PAPER_HEADER, papers, align=(centre, "left", centre, centre, centre, centre))

    due_at = dossier.due_at
    appointment = f"{time_and_date(due_at)}." if due_at else "sẽ được thông báo sau khi hồ sơ được kiểm tra."
    for heading, text in (
        ("2. Số lượng hồ sơ:", " 01 bộ."),
        (
            "3. Thời gian giải quyết hồ sơ theo quy định:",
            f" {clean(context['processing_time']) or 'theo quy định của thủ tục'}.",
        ),
        ("4. Thời gian tiếp nhận:", f" {time_and_date(context['received_at'])}."),
        ("5. Thời gian hẹn trả kết quả:", f" {appointment}"),
    ):
        sheet.paragraph(runs((heading, "bold"), text))
    if due_at and dossier.due_is_provisional:
        sheet.paragraph(runs((PROVISIONAL, "italic")), size=12, align="justify")
    sheet.paragraph(
        runs(("6. Tra cứu tình trạng hồ sơ", "bold"), f" tại {context['tracking_url']} hoặc quét mã QR.")
    )
    if context["officer_name"]:
        _signatures(sheet, context)
    return sheet.pdf()
