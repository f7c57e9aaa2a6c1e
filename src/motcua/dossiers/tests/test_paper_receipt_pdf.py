"""What the issued receipt (form 01) shows, read back from the PDF as a person or a program would."""

import copy
import io
from concurrent.futures import ThreadPoolExecutor

import pypdf
import pytest
from fontTools.ttLib import TTFont
from pypdf.generic import ContentStream
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from motcua.catalog.models import Channel
from motcua.documents.canvas import FONT_FILES, FONTS_DIR
from motcua.documents.qr import BORDER, make_qr
from motcua.dossiers.models import ApplicantKind
from motcua.dossiers.papers import receipt as receipt_paper
from motcua.dossiers.papers import receipt_pdf
from motcua.dossiers.tests.paper_fixtures import CODE, COMPONENTS, text_of

pytestmark = pytest.mark.django_db


def fonts_of(pdf: bytes) -> dict[str, TTFont]:
    """The fonts a PDF uses, every one of them embedded: their PDF names and the font programs."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert font["/Subtype"] == "/TrueType", font  # no standard PDF font (Helvetica) slipped in
            program = font["/FontDescriptor"].get_object()["/FontFile2"].get_object().get_data()
            fonts[str(font["/BaseFont"])] = TTFont(io.BytesIO(program))
    return fonts


def test_the_receipt_is_a_one_page_pdf_in_vietnamese_with_the_dossier_facts(issued_receipt):
    pdf = issued_receipt["pdf"]
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.pages[0].mediabox.width == pytest.approx(210 * mm)  # A4 portrait
    assert reader.pages[0].mediabox.height == pytest.approx(297 * mm)
    assert reader.metadata.title == f"Giấy tiếp nhận hồ sơ và hẹn trả kết quả {CODE}"
    assert reader.metadata.author == "Trung tâm Phục vụ hành chính công tỉnh Hải Đông"
    assert reader.trailer["/Root"]["/Lang"] == "vi"
    text = text_of(pdf)

    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text
    assert f"Mã hồ sơ: {CODE}" in text
    assert "Tiếp nhận hồ sơ của: Nguyễn Văn An" in text
    assert "Số định danh cá nhân: 030090012345" in text
    assert "Đăng ký khai sinh (mã thủ tục: 1.001193)" in text
    assert "Thời gian tiếp nhận: 09 giờ 30 phút, ngày 02/12/2026" in text
    assert "Thời gian hẹn trả kết quả: 09 giờ 30 phút, ngày 07/12/2026" in text
    assert "Thời gian hẹn trả kết quả là dự kiến" in text  # an online dossier the desk has not checked yet
    assert "Hình thức nộp hồ sơ: Trực tuyến" in text
    assert f"Tra cứu tình trạng hồ sơ tại {issued_receipt['tracking_url']} hoặc quét mã QR" in text.replace(
        "/? ", "/?"
    )


def test_the_list_of_papers_names_each_required_component_with_its_files(issued_receipt):
    text = text_of(issued_receipt["pdf"])
    # No., name, originals, certified copies, photocopies (blank when none), files attached.
    assert f"1 {COMPONENTS[0]['name']} 1 1" in text
    assert f"2 {COMPONENTS[1]['name']} 1 1 2" in text
    # The optional paper was not attached: the slip does not claim it was received.
    assert COMPONENTS[2]["name"] not in text


def test_the_receipt_embeds_only_the_fonts_shipped_with_the_project(issued_receipt):
    fonts = fonts_of(issued_receipt["pdf"])
    # PDF font names are "ABCDEF+<PostScript name>" of a subset: reportlab draws with the files it was given
    # (documents.canvas.FONT_FILES), never with a font of the machine, so each is one of the shipped files.
    shipped = {TTFont(FONTS_DIR / name)["name"].getDebugName(6) for name in FONT_FILES.values()}
    assert shipped == {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic"}
    assert {name.split("+", 1)[1] for name in fonts} == shipped
    assert {font["name"].getDebugName(1) for font in fonts.values()} == {"Noto Serif"}


def filled_rectangles(page, reader) -> list[tuple[float, float, float, float]]:
    """The rectangles (x, y, width, height) of the paths a page fills: the modules of its QR code (borders
    and rules are stroked, text is text)."""
    filled, pending = [], []
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"re":
            pending.append(tuple(float(v) for v in operands))
        elif operator in (b"f", b"f*", b"F"):
            filled += pending
            pending = []
        elif operator in (b"S", b"s", b"n", b"B", b"b"):
            pending = []
    return filled


def test_the_qr_code_on_the_receipt_is_the_tracking_address(issued_receipt):
    reader = pypdf.PdfReader(io.BytesIO(issued_receipt["pdf"]))
    assert not reader.pages[0].images  # drawn as squares, sharp at any zoom, not as a picture
    rectangles = filled_rectangles(reader.pages[0], reader)
    symbol = make_qr(issued_receipt["tracking_url"])
    size = symbol.symbol_size(scale=1, border=0)[0]
    module = rectangles[0][3]
    assert all(height == pytest.approx(module) for *_, height in rectangles)
    # 30 mm wide with its quiet zone of BORDER modules, in the top right corner of the code block.
    assert module * (size + 2 * BORDER) == pytest.approx(30 * mm)
    left, top = min(r[0] for r in rectangles), max(r[1] + r[3] for r in rectangles)
    assert left + (size + BORDER) * module == pytest.approx(210 * mm - 15 * mm)
    printed = [[False] * size for _ in range(size)]
    for x, y, width, _ in rectangles:
        row = round((top - y) / module) - 1
        first = round((x - left) / module)
        for column in range(first, first + round(width / module)):
            printed[row][column] = True
    expected = [[bool(module) for module in row] for row in symbol.matrix_iter(border=0)]
    assert printed == expected
    assert issued_receipt["tracking_url"] == f"http://127.0.0.1:8000/tra-cuu/?code={CODE}"


def test_the_receipt_shows_every_fact_of_its_context(dossier, counter_officer):
    """Every key of ``receipt_context`` is printed: a fact added there without being drawn fails here."""
    dossier.channel = Channel.IN_PERSON
    dossier.submitted_by = counter_officer
    dossier.applicant_kind = ApplicantKind.BUSINESS
    dossier.due_is_provisional = False
    dossier.procedure_record["methods"].append(
        {"channel": "in_person", "processing_time": "5", "time_unit": "working_day"}
    )
    context = receipt_paper.receipt_context(dossier)
    text = text_of(receipt_pdf.render(context))

    shown = {
        "dossier": [
            f"Mã hồ sơ: {CODE} Mã tra cứu: {CODE}",
            "Tiếp nhận hồ sơ của: Nguyễn Văn An",
            "Địa chỉ: Số 5 ngõ 12 phố Lê Lợi, phường Hải An, tỉnh Hải Đông",
            "Số điện thoại: 0912345678; thư điện tử: an@example.com",
            "Thời gian hẹn trả kết quả: 09 giờ 30 phút, ngày 07/12/2026.",
            "NGƯỜI NỘP HỒ SƠ (Ký và ghi rõ họ tên) Nguyễn Văn An",
        ],
        "agency": [
            "ỦY BAN NHÂN DÂN TỈNH HẢI ĐÔNG TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH HẢI ĐÔNG",
            "Bộ phận tiếp nhận và trả kết quả: Trung tâm Phục vụ hành chính công tỉnh Hải Đông",
            "Địa chỉ: Số 1 đường Trần Hưng Đạo, phường Hải An; điện thoại: 0220 3 123 456",
        ],
        "issued_at": ["Độc lập - Tự do - Hạnh phúc ngày 02 tháng 12 năm 2026"],
        "received_at": ["4. Thời gian tiếp nhận: 09 giờ 30 phút, ngày 02/12/2026."],
        "procedure_code": ["(mã thủ tục: 1.001193)"],
        "procedure_name": ["Nội dung yêu cầu giải quyết: Đăng ký khai sinh"],
        "id_label": ["Mã số thuế: 030090012345"],
        "channel": ["Hình thức nộp hồ sơ: Trực tiếp"],
        "in_person": ["NGƯỜI NỘP HỒ SƠ"],
        "officer_name": ["NGƯỜI TIẾP NHẬN HỒ SƠ (Ký và ghi rõ họ tên) Lê Thị Hoa"],
        "papers": [f"1 {COMPONENTS[0]['name']} 1 1", f"2 {COMPONENTS[1]['name']} 1 1 2"],
        "processing_time": ["3. Thời gian giải quyết hồ sơ theo quy định: 5 ngày làm việc."],
        "tracking_url": [f"tại {context['tracking_url']} hoặc quét mã QR."],
    }
    assert set(shown) == set(context)
    for key, fragments in shown.items():
        for fragment in fragments:
            assert fragment in text, (key, fragment)
    assert "là dự kiến" not in text  # the desk fixed the appointment


def text_lines(pdf: bytes) -> list[tuple[int, float, float, float, str]]:
    """Each line of text drawn: (page number, x, baseline, width, text), the width measured with the font
    the PDF names (the canvas draws a line in one text object, whose pieces pypdf reports one by one)."""
    by_name = {TTFont(FONTS_DIR / file)["name"].getDebugName(6): name for name, file in FONT_FILES.items()}
    lines = {}
    for number, page in enumerate(pypdf.PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text, cm, tm, font, size, number=number):
            if not text.strip("\n") or font is None:
                return
            assert cm[:4] == [1, 0, 0, 1] and tm[:4] == [1, 0, 0, 1]  # neither scaled nor turned
            name = by_name[str(font["/BaseFont"]).split("+", 1)[1]]
            width = pdfmetrics.stringWidth(text.strip("\n"), name, size)
            key = (number, round(cm[4] + tm[4], 2), round(cm[5] + tm[5], 2))
            previous = lines.get(key, (0.0, ""))
            lines[key] = (previous[0] + width, previous[1] + text.strip("\n"))

        page.extract_text(visitor_text=visit)
    return [(page, x, y, width, text) for (page, x, y), (width, text) in lines.items()]


def test_a_long_procedure_name_and_many_papers_flow_onto_numbered_pages_within_the_margins(dossier):
    long_name = " ".join(["Cấp giấy chứng nhận đăng ký hoạt động của tổ chức hành nghề"] * 12)
    dossier.procedure_record["name"] = long_name
    dossier.procedure_record["components"] = [
        {
            "order": order,
            "name": f"Giấy tờ {order}: bản sao hợp lệ văn bản xác nhận của cơ quan có thẩm quyền "
            f"về việc đáp ứng các điều kiện theo quy định tại Nghị định số {order}/2025/NĐ-CP",
            "originals": 1,
            "photocopies": order % 3,
        }
        for order in range(1, 41)
    ]
    # A paper name without spaces, wider than its column, is broken between its characters.
    dossier.procedure_record["components"][7]["name"] = "X" * 200
    context = receipt_paper.receipt_context(dossier)
    pdf = receipt_pdf.render(context)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)

    assert len(reader.pages) >= 3
    flat = "".join(text.split())
    assert "".join(f"Nội dung yêu cầu giải quyết: {long_name} (mã thủ tục: 1.001193)".split()) in flat
    position = 0
    for paper in context["papers"]:  # every paper, in order
        position = flat.index("".join(paper["name"].split()), position)
    assert "6. Tra cứu tình trạng hồ sơ" in text  # and the end of the form after them
    for number, page in enumerate(reader.pages[1:], start=2):
        page_text = page.extract_text().split()
        assert page_text[0] == str(number)  # numbered from the second page, at the top
    # The list of papers goes on over the second page, under its header again.
    assert "TT Tên giấy tờ Số lượng bản" in " ".join(reader.pages[1].extract_text().split())

    left, right = 30 * mm, 210 * mm - 15 * mm
    top, bottom = 297 * mm - 20 * mm, 20 * mm
    for page, x, y, width, line in text_lines(pdf):
        if line == str(page) and y > top:
            continue  # the page number, in the top margin
        assert left - 0.01 <= x and x + width <= right + 0.01, (page, line)
        assert bottom <= y <= top, (page, line)


def test_receipts_drawn_by_several_threads_at_once_are_each_whole(dossier):
    contexts = []
    for number in range(1, 7):
        context = receipt_paper.receipt_context(dossier)
        code = f"000.00.20.H99-261202-{number:04d}"
        context["dossier"] = copy.copy(dossier)
        context["dossier"].code = code
        context["tracking_url"] = f"http://127.0.0.1:8000/tra-cuu/?code={code}"
        contexts.append(context)
    alone = [text_of(receipt_pdf.render(context)) for context in contexts]  # also loads the agency's parent

    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda context: text_of(receipt_pdf.render(context)), contexts * 3))

    assert together == alone * 3
