"""Streaming a private file to the one person a view has allowed to read it."""

from django.http import FileResponse
from django.utils.cache import patch_cache_control


def private_file_response(
    field_file, *, filename: str, content_type: str, inline: bool = False
) -> FileResponse:
    """The file as a download (or shown in the browser when ``inline``), never cached by proxies."""
    response = FileResponse(
        field_file.open("rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    if inline:
        # Previewed in a frame of the portal's own pages (the officer's dossier view), nowhere else.
        response["X-Frame-Options"] = "SAMEORIGIN"
        # A stored file is shown, never run: no scripts; images also lose every other power. (Chrome will
        # not show a PDF in a sandboxed document, so a PDF keeps the viewer.)
        policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
        response["Content-Security-Policy"] = (
            policy if content_type == "application/pdf" else f"sandbox; {policy}"
        )
    else:
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
