"""PDF rendering of documents: a Django template (HTML and print CSS) laid out by WeasyPrint.

Every PDF uses the fonts shipped in ``fonts/`` (subsets of Noto Serif, see fonts/README.txt), never the
machine's: the same document renders the same on every server. WeasyPrint reaches only ``data:`` URIs
and the project's own files (those fonts and the ``static/`` folders of Motcua's apps): a template, or a
value printed in it, can make it read neither the network nor any other file of the server.
"""

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("motcua.documents")

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
PACKAGE_DIR = Path(__file__).resolve().parent.parent

# The templates name this family; a distinct name (not "Noto Serif") means a font of the machine can
# never stand in for these files unnoticed: the PDF would then name another font.
FONT_FAMILY = "Motcua Noto Serif"
FONTS = (
    # (file, font-weight, font-style)
    ("NotoSerif-Regular.ttf", "normal", "normal"),
    ("NotoSerif-Bold.ttf", "bold", "normal"),
    ("NotoSerif-Italic.ttf", "normal", "italic"),
)


def allowed_roots() -> tuple[Path, ...]:
    """Folders whose files a PDF may embed: the shipped fonts and the static files of Motcua's apps."""
    return (FONTS_DIR, *sorted(p.resolve() for p in PACKAGE_DIR.glob("*/static") if p.is_dir()))


class ProjectFilesFetcher(URLFetcher):
    """WeasyPrint's URL fetcher limited to ``data:`` URIs and files inside ``allowed_roots()``.

    Anything else is refused (WeasyPrint then logs a warning and leaves the resource out).
    """

    def __init__(self):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = allowed_roots()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(url2pathname(unquote(parts.path))).resolve()
            if path.is_file() and any(path.is_relative_to(root) for root in self.roots):
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        logger.warning("PDF rendering refused to fetch %s", url[:200])
        raise ValueError(f"Documents may only use the project's own files, not {url[:200]}")


def font_faces_css() -> str:
    """The @font-face rules of the shipped fonts, for the family ``FONT_FAMILY``."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{(FONTS_DIR / name).as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for name, weight, style in FONTS
    )


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    """The PDF of ``template_name`` rendered with ``context`` (and the context processors of ``request``).

    Templates are rendered in Vietnamese whatever the visitor's language: official documents are issued in
    Vietnamese only (Decree 30/2020). A one-page slip takes about 0.15 s of CPU: render in a background task
    where the request does not need the PDF itself.
    """
    with translation.override("vi"):
        html = render_to_string(template_name, context, request=request)
    fetcher = ProjectFilesFetcher()
    # A fresh configuration per document: it holds the loaded fonts and is not shared between threads.
    font_config = FontConfiguration()
    fonts = CSS(string=font_faces_css(), url_fetcher=fetcher, font_config=font_config)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[fonts], font_config=font_config)
