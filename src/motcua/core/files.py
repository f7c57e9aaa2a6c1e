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
    # A stored PDF or image is shown, never run: no scripts, no plugins, no sniffing of another type.
    response["Content-Security-Policy"] = (
        "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
