"""What the issued receipt (form 01) shows, read back from the PDF as a person or a program would."""

import io

import pypdf
import pytest
from fontTools.ttLib import TTFont
from pypdf.generic import ContentStream
from reportlab.lib.units import mm

from motcua.documents.canvas import FONT_FILES, FONTS_DIR
from motcua.documents.qr import BORDER, make_qr
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
