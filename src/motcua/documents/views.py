"""The public verification pages (xác minh văn bản): by the code a result prints, or by uploading its PDF; and
the download of an entry of the owner's document store, which its page and its API share.

Anyone may use them, signed in or not. They show whether a document is genuine and, when the portal knows
it, what its header and signature block print, never the applicant's data (see
``verification.DocumentFacts``). Look-ups are rate-limited per client address, as codes could be guessed.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from motcua.core import pdfs, ratelimit
from motcua.core.net import client_ip

from . import selectors
from .verification import VerificationResult, looks_like_pdf, normalize_code

TEMPLATE = "documents/verify.html"
DEFAULT_RATE = 30
DEFAULT_MAX_MB = 20


def verify_rate() -> int:
    """MOTCUA_VERIFY_RATE: look-ups (by code or by file) per client address and minute."""
    return int(getattr(settings, "MOTCUA_VERIFY_RATE", DEFAULT_RATE))


def max_upload_bytes() -> int:
    """MOTCUA_VERIFY_MAX_MB: the largest PDF one may upload to check."""
    return int(getattr(settings, "MOTCUA_VERIFY_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


def within_rate(request) -> bool:
    """Count one look-up of this client (page and API share the count)."""
    return ratelimit.hit("verify", client_ip(request) or "-", verify_rate())


def read_upload(upload) -> bytes | str:
    """The bytes of an uploaded file, or the message saying why it cannot be checked.

    A PDF first passes the bounded check every uploaded PDF passes (``core.pdfs``, as the dossiers'
    papers do): one too complex or damaged to open is refused here with that check's message, before
    the signature's parser walks it. Bytes that are not a PDF at all go on, to be answered "not a PDF".
    """
    if upload is None:
        return _("Choose the PDF file to check.")
    limit = max_upload_bytes()
    if upload.size > limit:
        return _("The file is larger than %(mb)s MB: it cannot be a result of this portal.") % {
            "mb": limit // (1024 * 1024)
        }
    content = upload.read()
    if looks_like_pdf(content):
        try:
            pdfs.inspect_pdf(content)
        except pdfs.PdfRefused as exc:
            return str(exc)
    return content


def _page(request, *, result: VerificationResult | None = None, error: str = "", code: str = "", status=200):
    context = {
        "result": result,
        "error": error,
        "code": code,
        "max_mb": max_upload_bytes() // (1024 * 1024),
    }
    return render(request, TEMPLATE, context, status=status)


def _too_many(request):
    error = _("Too many look-ups from your connection; try again in a minute.")
    response = _page(request, error=error, status=429)
    response["Retry-After"] = str(ratelimit.retry_after())
    return response


@never_cache
def verify(request):
    """Xác minh văn bản: the form to type a verification code or upload a PDF, and the check of an upload."""
    if request.method == "POST":
        if not within_rate(request):
            return _too_many(request)
        content = read_upload(request.FILES.get("file"))
        if isinstance(content, str):
            return _page(request, error=content, status=400)
        return _page(request, result=selectors.verify_pdf(content))
    typed = (request.GET.get("ma") or "").strip()
    if typed:
        code = normalize_code(typed)
        if code is None:
            error = _("A verification code has 12 letters and digits, such as 7K2M-9QXD-4HNB.")
            return _page(request, error=error, code=typed[:40], status=400)
        return redirect("documents:verify_code", code=code)
    return _page(request)


@never_cache
def verify_code(request, code):
    """The page the QR code of a result opens: is there a result with this code, and what it prints."""
    if not within_rate(request):
        return _too_many(request)
    result = selectors.verify_code(code)
    return _page(request, result=result, code=code[:40], status=200 if result.found else 404)


def stored_file_response(entry) -> HttpResponse:
    """The file of an entry of the owner's document store (the caller found it with ``selectors.entry_of``),
    its bytes checked against its SHA-256; always a download, never cached, never run."""
    content = selectors.stored_bytes(entry)
    content_type, filename = selectors.stored_file_facts(entry)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
