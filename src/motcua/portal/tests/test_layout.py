"""What every page's frame offers (menu, footer), the language of the catalogue's texts, and how citizens are
addressed in Vietnamese (always "ông/bà", never "bạn")."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.test import Client

import motcua

pytestmark = pytest.mark.django_db
SOURCE = Path(motcua.__file__).parent


class Lang(HTMLParser):
    """The language in force at each piece of text: the innermost ``lang`` attribute around it."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.texts = [], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            inherited = self.stack[-1][1] if self.stack else None
            self.stack.append((tag, dict(attrs).get("lang", inherited)))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        # The <title> is one string for the whole page: it cannot mark a part of itself.
        if data.strip() and self.stack and self.stack[-1][0] != "title":
            self.texts.append((data.strip(), self.stack[-1][1]))

    def language_of(self, text) -> set[str]:
        return {lang for data, lang in self.texts if text in data}


def languages(body: str) -> Lang:
    parser = Lang()
    parser.feed(body)
    return parser


def english_client() -> Client:
    client = Client()
    client.get("/ngon-ngu/en/", {"next": "/"})
    return client


def section(body: str, tag: str, label: str = "") -> str:
    match = re.search(rf"<{tag}\b[^>]*{re.escape(label)}[^>]*>(.*?)</{tag}>", body, re.S)
    assert match, f"no <{tag}> {label}"
    return match.group(1)


def test_the_footer_links_to_verification_and_the_api_docs_the_main_menu_not_to_the_api(client, catalogue):
    body = client.get("/").content.decode()
    footer = section(body, "footer")
    assert 'href="/xac-minh/"' in footer and "Xác minh văn bản" in footer
    assert 'href="/api/docs/"' in footer
    menu = section(body, "nav", 'aria-label="Menu chính"')
    assert "/api/" not in menu
    assert 'href="/tra-cuu/"' in menu


def test_in_english_the_catalogue_texts_are_marked_vietnamese(catalogue):
    client = english_client()
    page = languages(client.get("/thu-tuc/1.001193/").content.decode())
    assert page.language_of("Procedure code") == {"en"}
    for text in ("Thủ tục đăng ký khai sinh", "Hộ tịch", "Nộp hồ sơ", "Giấy khai sinh", "UBND xã An Bình"):
        assert page.language_of(text) == {"vi"}, text
    results = languages(client.get("/thu-tuc/", {"q": "khai sinh"}).content.decode())
    assert results.language_of("Thủ tục đăng ký khai sinh") == {"vi"}
    assert results.language_of("Sector:") == {"en"}


def test_in_vietnamese_no_element_repeats_the_page_language(client, catalogue):
    body = client.get("/thu-tuc/1.001193/").content.decode()
    assert len(re.findall(r'\slang="vi"', body)) == 2  # <html> and the language switch's own link


def test_a_procedure_with_several_agencies_folds_each_ones_contacts(client, catalogue):
    from motcua.catalog.models import Agency, Procedure

    procedure = Procedure.objects.get(code="1.001193")
    procedure.agencies.add(Agency.objects.get(slug="so-tu-phap"))
    contacts = section(client.get("/thu-tuc/1.001193/").content.decode(), "section", 'id="contacts"')
    assert contacts.count("<details") == 2
    assert re.search(r"<summary[^>]*>Sở Tư pháp</summary>", contacts)
    assert "stp@haidong.gov.vn" in contacts


def vietnamese_texts():
    """Every Vietnamese message of the translation catalogues and of the online forms' fixtures."""
    for po in SOURCE.glob("**/locale/vi/LC_MESSAGES/*.po"):
        for entry in polib.pofile(str(po)):
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                yield f"{po.relative_to(SOURCE)}: {entry.msgid!r}", text
    for form in (SOURCE / "fixtures" / "forms").glob("*.json"):
        for match in re.finditer(r'"vi":\s*("(?:[^"\\]|\\.)*")', form.read_text(encoding="utf-8")):
            yield str(form.relative_to(SOURCE)), json.loads(match.group(1))


def test_citizens_are_addressed_as_ong_ba_never_ban():
    texts = list(vietnamese_texts())
    assert len(texts) > 500
    informal = [where for where, text in texts if re.search(r"\bbạn\b", text, re.IGNORECASE)]
    assert informal == []


def test_every_sideways_scrolling_table_can_be_reached_by_keyboard_and_is_named():
    """A .table-responsive scrolls on a phone: keyboard users must be able to focus it (axe-core's
    scrollable-region-focusable), and a focusable region needs a name."""
    containers = []
    for template in SOURCE.glob("**/templates/**/*.html"):
        for tag in re.findall(r"<div\b[^>]*\btable-responsive\b[^>]*>", template.read_text(encoding="utf-8")):
            containers.append(tag)
            assert 'tabindex="0"' in tag and 'role="region"' in tag, f"{template.name}: {tag}"
            assert "aria-label=" in tag or "aria-labelledby=" in tag, f"{template.name}: {tag}"
    assert len(containers) >= 3
