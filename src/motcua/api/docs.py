"""The API's browsable documentation (Swagger UI at ``/api/docs/``) and the one exception it needs to the
site's Content-Security-Policy (``motcua.core.csp``), for this page only.

Its script comes from a URL of its own (drf-spectacular's split view), never inline; its template holds an
inline ``<style>`` block, and Swagger UI's files come from ``SWAGGER_UI_DIST`` (a CDN unless served from our
static files), whose origin the page may then load from.
"""

from urllib.parse import urlsplit

from drf_spectacular.settings import spectacular_settings
from drf_spectacular.views import SpectacularSwaggerSplitView

from motcua.core.csp import csp_update


def swagger_ui_origins() -> tuple[str, ...]:
    """The origins Swagger UI's files and icon come from, other than our own."""
    urls = (spectacular_settings.SWAGGER_UI_DIST, spectacular_settings.SWAGGER_UI_FAVICON_HREF)
    parts = [urlsplit(str(url or "")) for url in urls]
    return tuple(sorted({f"{p.scheme}://{p.netloc}" for p in parts if p.scheme in {"http", "https"}}))


def swagger_ui_view():
    origins = swagger_ui_origins()
    return csp_update(script_src=origins, style_src=("'unsafe-inline'", *origins), img_src=origins)(
        SpectacularSwaggerSplitView.as_view(url_name="api:schema")
    )
