"""The Content-Security-Policy of every HTML page.

The site has no inline script or style: its pages load only their own scripts, style sheets, fonts and
images (QR codes as ``data:`` images), send forms only to themselves and may not be framed. The API's
Swagger UI lives within it too (its files are ours, its script is a file). The one connection a page may
open elsewhere is the live dialogue stream, when it is served from another address (``MOTCUA_LIVE_URL``).
A response that already has a policy (a stored file shown inline, ``core.files``) keeps its own.
"""

from urllib.parse import urlsplit

from django.conf import settings

HEADER = "Content-Security-Policy"

POLICY: dict[str, tuple[str, ...]] = {
    "default-src": ("'self'",),
    "script-src": ("'self'",),
    "style-src": ("'self'",),
    "img-src": ("'self'", "data:"),
    "font-src": ("'self'",),
    "connect-src": ("'self'",),
    "object-src": ("'none'",),
    "base-uri": ("'self'",),
    "form-action": ("'self'",),
    "frame-ancestors": ("'none'",),
}


def policy() -> str:
    """The header's value."""
    directives = dict(POLICY)
    live = urlsplit(settings.MOTCUA_LIVE_URL)
    if live.scheme in ("http", "https") and live.netloc:
        directives["connect-src"] = (*POLICY["connect-src"], f"{live.scheme}://{live.netloc}")
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every HTML answer, error pages included (it sits above the other middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response and response.get("Content-Type", "").startswith("text/html"):
            response[HEADER] = policy()
        return response
