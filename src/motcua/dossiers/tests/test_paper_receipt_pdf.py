"""What the issued receipt (form 01) shows, read back from the PDF as a person or a program would."""

import io
import unicodedata

import pypdf
import pytest
from fontTools.ttLib import TTFont

from motcua.documents.pdf import FONT_FAMILY
from motcua.documents.qr import BORDER, PNG_SCALE, make_qr
from motcua.dossiers.tests.paper_fixtures import CODE, COMPONENTS

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    """The text of every page, NFC-normalised and with runs of white space made single spaces."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def fonts_of(pdf: bytes) -> dict[str, TTFont]:
    """The fonts a PDF embeds: their PDF names and the font programs."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = TTFont(
                io.BytesIO(descriptor["/FontFile2"].get_object().get_data())
            )
    return fonts


def test_the_receipt_is_a_one_page_pdf_in_vietnamese_with_the_dossier_facts(issued_receipt):
    pdf = issued_receipt["pdf"]
    assert pdf.startswith(b"%PDF-")
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1
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
    # PDF font names are "ABCDEF+<family>-<style>"; the family is the one @font-face gives the shipped files,
    # so a font of the machine (DejaVu, or its own Noto) would show under another name.
    family = FONT_FAMILY.replace(" ", "-")
    assert sorted(name.split("+", 1)[1] for name in fonts) == [family, f"{family}-Bold", f"{family}-Italic"]
    assert not any("DejaVu" in name for name in fonts)
    assert {font["name"].getDebugName(1) for font in fonts.values()} == {"Noto Serif"}


def test_the_qr_code_on_the_receipt_is_the_tracking_address(issued_receipt):
    reader = pypdf.PdfReader(io.BytesIO(issued_receipt["pdf"]))
    (image,) = reader.pages[0].images
    pixels = image.image.convert("L")
    symbol = make_qr(issued_receipt["tracking_url"])
    # Sample the middle of each module of the embedded PNG and compare with the symbol of the address.
    size = symbol.symbol_size(scale=1, border=BORDER)[0]
    assert pixels.size == (size * PNG_SCALE, size * PNG_SCALE)
    half = PNG_SCALE // 2
    printed = [
        [pixels.getpixel((x * PNG_SCALE + half, y * PNG_SCALE + half)) < 128 for x in range(size)]
        for y in range(size)
    ]
    expected = [[bool(module) for module in row] for row in symbol.matrix_iter(border=BORDER)]
    assert printed == expected
    assert issued_receipt["tracking_url"] == f"http://127.0.0.1:8000/tra-cuu/?code={CODE}"
