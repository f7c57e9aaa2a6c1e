"""Every HTML page carries a strict Content-Security-Policy (motcua.core.csp): no inline script or style
anywhere, only our own files; the API's Swagger UI alone gets what it needs, and only on its page."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from motcua.dossiers import services
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parents[2]
SWAGGER_UI = "/api/docs/"


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def assert_strict(response) -> None:
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith("/") and not href.startswith(("/static/", "/media/")):
            self.links.append(href.split("#")[0])


def walk(client, start: str, limit: int = 40) -> list[str]:
    """The HTML pages reachable from ``start`` in one step, each checked; returns the addresses seen."""
    first = client.get(start)
    assert_strict(first)
    parser = Links()
    parser.feed(first.content.decode())
    seen = [start]
    for href in dict.fromkeys(parser.links):
        if len(seen) >= limit or href in seen or "/ngon-ngu/" in href or href.startswith(SWAGGER_UI):
            continue  # the language switch only redirects; Swagger UI has its own test below
        response = client.get(href)
        seen.append(href)
        if response.get("Content-Type", "").startswith("text/html"):
            assert_strict(response)
    return seen


def test_public_pages_have_the_policy(client, procedure, online_form):
    seen = walk(client, "/")
    seen += walk(client, f"/thu-tuc/{procedure.code}/")
    for extra in ("/tra-cuu/", "/xac-minh/", "/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/", "/khong-co/"):
        assert_strict(client.get(extra))
    assert {"/thu-tuc/", "/co-quan/", "/linh-vuc/"} <= set(seen)


def test_error_pages_and_refusals_have_the_policy(client):
    assert_strict(client.get("/", HTTP_HOST="evil.example"))  # 400, rendered without a request context
    assert_strict(client.get("/khong-co-trang-nay/"))  # 404


def test_a_citizens_pages_have_the_policy(client, citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    sent = services.submit(draft, by=citizen)
    client.force_login(citizen)
    walk(client, f"/ho-so/{sent.code}/")
    for page in ("/ho-so/", "/thong-bao/", "/tai-khoan/", "/kho-du-lieu/"):
        assert_strict(client.get(page))


def test_the_back_office_and_the_admin_have_the_policy(client, agency, citizen, procedure, online_form):
    client.force_login(make_officer("motcua.csp", agency))
    walk(client, "/mot-cua/")
    admin = get_user_model().objects.create_superuser("quantri", "qt@example.com", "Quantri@12345")
    admin.otp_exempt = True
    admin.save()
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    walk(client, "/admin/", limit=15)


def test_the_browsable_api_has_the_policy(client, procedure):
    assert_strict(client.get("/api/v1/procedures/", HTTP_ACCEPT="text/html"))


def test_swagger_ui_lives_within_the_sites_policy(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_strict(response)
    # The page's own script is a file of ours, not inline: every <script> has a src the policy allows.
    body = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", body)
    assert scripts and all("src=" in attrs for attrs in scripts)


def test_files_keep_their_own_stricter_policy(client, citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    attachment = services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    client.force_login(citizen)
    response = client.get(f"/ho-so/{draft.reference}/tep/{attachment.uuid}/")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"].startswith("sandbox")


# --- the templates stay within the policy ----------------------------------------------------------------

# Rendered into PDFs (WeasyPrint) or e-mails, never served to a browser as a page: inline styles are fine.
NOT_PAGES = ("/papers/", "documents/base_document.html", "notifications/email", "/tests/")


def page_templates() -> list[Path]:
    found = [p for p in SRC.rglob("templates/**/*.html") if not any(part in str(p) for part in NOT_PAGES)]
    assert len(found) > 20
    return found


def test_no_page_template_has_inline_script_style_or_event_handlers():
    """The policy forbids them: a template that used one would silently break in the browser."""
    offenders = []
    for path in page_templates():
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>",
            r"<style\b",
            r"\sstyle=\"",
            r"\son[a-z]+=\"",
            r"javascript:",
        ):
            offenders += [f"{path.relative_to(SRC)}: {m.group(0)}" for m in re.finditer(pattern, text)]
    assert offenders == []
