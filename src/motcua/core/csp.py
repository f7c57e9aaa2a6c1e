"""The Content-Security-Policy of every HTML page.

The site ships no script of its own and no inline style: its pages load only their own style sheets,
fonts and images (QR codes as ``data:`` images), send forms only to themselves and may not be framed. A
view whose page needs more (the API's Swagger UI) says so with ``csp_update``, for that view only; a
response that already has a policy (a stored file shown inline, ``core.files``) keeps its own.
"""

from functools import wraps

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


def policy(extra: dict[str, tuple[str, ...]] | None = None) -> str:
    """The header's value: the site's policy with the sources of ``extra`` added to their directives."""
    directives = {name: list(sources) for name, sources in POLICY.items()}
    for name, sources in (extra or {}).items():
        wanted = directives.setdefault(name, list(POLICY["default-src"]))
        wanted.extend(source for source in sources if source not in wanted)
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def csp_update(**directives: tuple[str, ...]):
    """Decorate a view whose page needs more sources: ``csp_update(style_src=("'unsafe-inline'",))``."""
    extra = {name.replace("_", "-"): tuple(sources) for name, sources in directives.items()}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response.csp_update = extra
            return response

        return wrapper

    return decorator


class ContentSecurityPolicyMiddleware:
    """Sets the policy on every HTML answer, error pages included (it sits above the other middleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if HEADER not in response and response.get("Content-Type", "").startswith("text/html"):
            response[HEADER] = policy(getattr(response, "csp_update", None))
        return response
