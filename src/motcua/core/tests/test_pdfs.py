"""The one bounded check of uploaded PDFs: hostile structures refused with a message, actions found."""

import io
import time

import pytest
from django.utils import translation

from motcua.core import pdfs
from motcua.core.filetypes import RejectedFile, check_file
from motcua.core.pdfs import PdfRefused, inspect_pdf
from motcua.dossiers.tests.fixtures import pdf_bytes

from .hostile_files import active_pdf, deep_pdf, fan_pdf, looping_pdf, raw_pdf


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("hostile", [fan_pdf, deep_pdf, looping_pdf], ids=["fan", "deep", "loop"])
def test_a_hostile_page_tree_is_refused_at_once_with_a_message(hostile):
    content = hostile()
    assert len(content) < 20_000
    started = time.process_time()
    with pytest.raises(PdfRefused, match="too complex to check"):
        inspect_pdf(content)
    # pypdf's own walk of the fan took ~1 s of CPU before giving up with LimitReachedError (a 500).
    assert time.process_time() - started < 0.5
    with pytest.raises(RejectedFile, match="too complex to check"):
        check_file(content)


def test_more_pages_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_PAGES", 3)
    assert inspect_pdf(pdf_bytes(pages=3)).pages == 3
    with pytest.raises(PdfRefused, match="too complex"):
        inspect_pdf(pdf_bytes(pages=4))


def test_more_objects_than_the_limit_are_refused(monkeypatch):
    monkeypatch.setattr(pdfs, "MAX_OBJECTS", 5)
    with pytest.raises(PdfRefused, match="too complex"):
        inspect_pdf(pdf_bytes(pages=10))


@pytest.mark.parametrize(
    "broken",
    [
        b"%PDF-1.7\n" + b"garbage" * 50,
        raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"[1 2 3]"}),  # a page tree that is no tree
        raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids 5 /Count 1 >>"}),
        raw_pdf({1: b"<< /Type /Catalog >>"}),  # no page tree at all
        raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< " * 5000}),
    ],
    ids=["garbage", "tree-not-dict", "kids-not-array", "no-pages", "nested-dicts"],
)
def test_a_damaged_pdf_is_a_message_never_an_exception(broken):
    with pytest.raises(PdfRefused, match="damaged"):
        inspect_pdf(broken)


def test_a_pdf_without_pages():
    empty = raw_pdf({1: b"<< /Type /Catalog /Pages 2 0 R >>", 2: b"<< /Type /Pages /Kids [] /Count 0 >>"})
    with pytest.raises(PdfRefused, match="no pages"):
        inspect_pdf(empty)


def test_a_password_protected_pdf_is_refused():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(PdfRefused, match="password"):
        inspect_pdf(out.getvalue())


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("open_action", {"/OpenAction", "/JavaScript", "/JS"}),
        ("page_aa", {"/AA", "/JavaScript", "/JS"}),
        ("launch", {"/OpenAction", "/Launch"}),
        ("names", {"/JavaScript", "/JS"}),
    ],
)
def test_active_content_is_named(kind, expected):
    facts = inspect_pdf(active_pdf(kind))
    assert set(facts.active_content) == expected and facts.is_active
    assert check_file(active_pdf(kind)).active_content == facts.active_content


def test_an_ordinary_pdf_has_no_active_content():
    facts = inspect_pdf(pdf_bytes(pages=3))
    assert (facts.pages, facts.active_content, facts.is_active) == (3, (), False)


def test_escaped_names_do_not_hide_javascript():
    # /J#61vaScript is /JavaScript written with an escape (ISO 32000 7.3.5).
    content = raw_pdf(
        {
            1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] >>",
            4: b"<< /S /J#61vaScript /J#53 (app.alert(1)) >>",
        }
    )
    assert set(inspect_pdf(content).active_content) == {"/OpenAction", "/JavaScript", "/JS"}
