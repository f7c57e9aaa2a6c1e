"""/api/docs/: Swagger UI from our own static files (no CDN, works offline), and no inline script or style,
so that a strict Content-Security-Policy ('self') lets it run."""

from html.parser import HTMLParser

from django.conf import settings
from django.contrib.staticfiles import finders


class Page(HTMLParser):
    """Every address a page loads or links, and the inline scripts and styles it holds."""

    def __init__(self):
        super().__init__()
        self.addresses, self.inline, self._tag = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.addresses += [attrs[name] for name in ("src", "href") if attrs.get(name)]
        if "style" in attrs:
            self.inline.append(f"style attribute on <{tag}>")
        self._tag = tag

    def handle_data(self, data):
        if self._tag in ("script", "style") and data.strip():
            self.inline.append(f"<{self._tag}> {data.strip()[:60]}")

    def handle_endtag(self, tag):
        self._tag = None


def parsed(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def test_the_docs_load_only_our_own_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    page = parsed(response.content.decode())
    assert page.addresses, "the page loads Swagger UI from somewhere"
    for address in page.addresses:
        assert address.startswith("/") and not address.startswith("//"), address
    static = [a for a in page.addresses if a.startswith(settings.STATIC_URL)]
    assert any(a.endswith("swagger-ui-bundle.js") for a in static)
    assert any(a.endswith("swagger-ui.css") for a in static)
    for address in static:  # each is a file of ours that the static files serve
        assert finders.find(address.removeprefix(settings.STATIC_URL)), address


def test_the_docs_page_has_no_inline_script_or_style(client):
    page = parsed(client.get("/api/docs/").content.decode())
    assert page.inline == []
    scripts = [a for a in page.addresses if "?script" in a]
    assert scripts == ["/api/docs/?script="]


def test_the_start_up_script_points_at_our_schema_only(client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    script = response.content.decode()
    assert 'url: "/api/schema/"' in script
    assert '"validatorUrl": null' in script  # the public validator service is never asked
    assert "http://" not in script and "https://" not in script
