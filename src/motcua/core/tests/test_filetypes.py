"""Files are judged by their bytes: a renamed file is refused, a real one is kept (images without EXIF)."""

import io
import zipfile

import pytest
from django.utils import translation
from PIL import Image

from motcua.core.filetypes import RejectedFile, check_file, html_accept, sniff
from motcua.dossiers.tests.fixtures import jpeg_with_exif, pdf_bytes


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def docx_bytes(macro: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        if macro:
            archive.writestr("word/vbaProject.bin", b"\x00")
    return out.getvalue()


def test_a_real_pdf_is_kept_as_it_is():
    content = pdf_bytes()
    checked = check_file(content)
    assert checked.kind.name == "pdf"
    assert checked.content == content


def test_an_executable_named_pdf_is_refused():
    with pytest.raises(RejectedFile, match="not one of the accepted kinds"):
        check_file(b"MZ\x90\x00" + b"\x00" * 200)


def test_a_pdf_header_on_garbage_is_refused():
    with pytest.raises(RejectedFile, match="damaged"):
        check_file(b"%PDF-1.7\n" + b"garbage" * 50)


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(RejectedFile, match="password"):
        check_file(out.getvalue())


def test_jpeg_loses_its_exif_and_is_turned_upright():
    checked = check_file(jpeg_with_exif())
    assert checked.kind.mime == "image/jpeg"
    with Image.open(io.BytesIO(checked.content)) as image:
        assert not image.getexif()
        # Orientation 6 meant "rotate 90°": the clean copy is stored the right way up (30 × 40).
        assert image.size == (30, 40)


def test_a_truncated_png_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (50, 50)).save(out, "PNG")
    with pytest.raises(RejectedFile, match="damaged"):
        check_file(out.getvalue()[:60])


def test_office_files_only_where_allowed():
    with pytest.raises(RejectedFile, match="accepted kinds"):
        check_file(docx_bytes())
    assert check_file(docx_bytes(), accept=("pdf", "docx")).kind.name == "docx"
    with pytest.raises(RejectedFile, match="macros"):
        check_file(docx_bytes(macro=True), accept=("docx",))


def test_a_plain_zip_is_not_an_office_file():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(RejectedFile):
        check_file(out.getvalue(), accept=("docx", "xlsx"))


def test_empty_file():
    with pytest.raises(RejectedFile, match="empty"):
        check_file(b"")


def test_sniff_and_accept_attribute():
    assert sniff(b"\x89PNG\r\n\x1a\n....") == "png"
    assert html_accept(("pdf", "jpeg")) == ".pdf,.jpg,.jpeg"


# --- images: the pixel budget, judged from the header before anything is decoded ---------------------------


@pytest.fixture
def no_decoding(monkeypatch):
    """Fails the test if any image's pixels are decoded."""
    from PIL import ImageFile

    def refuse(self):
        raise AssertionError("an image over the budget was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_tiny_file_claiming_huge_dimensions_is_refused_from_its_header(no_decoding):
    from .hostile_files import png_claiming

    for width, height in [(7_745, 7_745), (100_000, 100_000), (25_000_001, 1)]:
        content = png_claiming(width, height)
        assert len(content) < 200
        with pytest.raises(RejectedFile, match="too large in pixels"):
            check_file(content)


def test_a_decompression_bomb_is_refused_without_being_decoded(no_decoding):
    from .hostile_files import png_bomb

    content = png_bomb(5_200)  # 27 MB of pixels in ~27 KB
    assert len(content) < 40_000
    with pytest.raises(RejectedFile, match="too large in pixels"):
        check_file(content)


def test_the_issue_s_7745_pixel_png_is_over_the_budget(no_decoding):
    # Under the old cap of 60 MP it was decoded: ~3 s of CPU and ~470 MB.
    out = io.BytesIO()
    Image.new("1", (7_745, 7_745)).save(out, "PNG")
    with pytest.raises(RejectedFile, match="25 megapixels"):
        check_file(out.getvalue())


def test_the_budget_holds_just_under_and_refuses_just_over(monkeypatch):
    from motcua.core import filetypes

    monkeypatch.setattr(filetypes, "MAX_IMAGE_PIXELS", 100 * 100)
    for kind in ("PNG", "JPEG"):
        under, over = io.BytesIO(), io.BytesIO()
        Image.new("RGB", (100, 100), "white").save(under, kind)
        Image.new("RGB", (100, 101), "white").save(over, kind)
        assert check_file(under.getvalue()).kind.name in ("png", "jpeg")
        with pytest.raises(RejectedFile, match="too large in pixels"):
            check_file(over.getvalue())


def test_a_progressive_jpeg_counts_its_coefficients(monkeypatch):
    # Decoding a progressive JPEG holds every coefficient too: at 4:4:4 its pixels count 2.5 times.
    from motcua.core import filetypes

    monkeypatch.setattr(filetypes, "MAX_IMAGE_PIXELS", 100 * 100)
    baseline, progressive, subsampled = io.BytesIO(), io.BytesIO(), io.BytesIO()
    Image.new("RGB", (80, 80), "white").save(baseline, "JPEG", subsampling=0)
    Image.new("RGB", (80, 80), "white").save(progressive, "JPEG", progressive=True, subsampling=0)
    Image.new("RGB", (72, 72), "white").save(subsampled, "JPEG", progressive=True, subsampling=2)
    assert check_file(baseline.getvalue()).kind.name == "jpeg"  # 6,400 pixels
    with pytest.raises(RejectedFile, match="too large in pixels"):
        check_file(progressive.getvalue())  # counts 16,000
    assert check_file(subsampled.getvalue()).kind.name == "jpeg"  # 4:2:0 counts 1.75 x 5,184 = 9,072
