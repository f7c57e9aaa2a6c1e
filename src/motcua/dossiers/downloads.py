"""The HTTP answers that hand a dossier's files to someone a view has already allowed to read the dossier.

The portal, the desk and the API all answer downloads through here, so that each one is recorded in the
audit log alike and the files are served with the same protective headers. Which papers exist and which
result the applicant may have is decided by ``papers``; the views choose between ``standing`` (officers)
and ``for_applicant`` (the applicant).
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control

from motcua.audit import services as audit
from motcua.core.files import private_file_response
from motcua.documents import selectors as document_selectors

from .models import Attachment, Dossier
from .papers import receipt as receipt_paper
from .papers import result as result_paper
from .papers import slips


def _recorded(request, dossier: Dossier, **what) -> None:
    audit.record(
        "document.download", actor=request.user, request=request, target=dossier,
        target_label=dossier.reference, **what,
    )  # fmt: skip


def receipt_response(request, dossier: Dossier, *, inline: bool = False) -> HttpResponse:
    """The receipt-and-appointment slip of a sent dossier, checked against the hash it was issued with."""
    content = document_selectors.document_bytes(receipt_paper.receipt(dossier))
    _recorded(request, dossier, document="receipt")
    return _pdf_response(content, receipt_paper.filename(dossier), inline=inline)


def attachment_response(request, dossier: Dossier, attachment: Attachment, *, inline: bool = False):
    """A paper's file, named with the extension of what it is; one with active content (scripts, actions)
    is always a download, never shown in the browser."""
    _recorded(request, dossier, attachment=str(attachment.uuid))
    return private_file_response(
        attachment.file,
        filename=attachment.download_name,
        content_type=attachment.content_type,
        inline=inline and not attachment.is_active,
    )


def _pdf_response(content: bytes, filename: str, *, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def slip_response(request, dossier: Dossier, kind: str, *, inline: bool = False) -> HttpResponse:
    """A slip or letter of the dossier (forms 02 to 06), rendered from its record; Http404 when the
    dossier has none of that kind."""
    if kind not in slips.SLIPS:
        raise Http404
    try:
        content = slips.render_slip(dossier, kind)
    except ObjectDoesNotExist:
        raise Http404 from None
    _recorded(request, dossier, document=kind)
    return _pdf_response(content, slips.slip_filename(dossier, kind), inline=inline)


def result_response(request, dossier: Dossier, document, *, inline: bool = False) -> HttpResponse:
    """The signed result ``document`` (chosen by the caller with ``papers.result``), byte for byte as
    issued (its signature covers the whole file); Http404 when there is none to give."""
    if document is None:
        raise Http404
    content = document_selectors.document_bytes(document)
    _recorded(request, dossier, document="result")
    return _pdf_response(content, result_paper.filename(dossier), inline=inline)


def draft_result_response(request, dossier: Dossier, *, signer) -> HttpResponse:
    """The result as ``signer`` would sign it now, unnumbered and unsigned (``papers.result.draft``), shown
    in a frame of the approval page: the leader reads what they are about to sign."""
    content = result_paper.draft(dossier, signer=signer)
    _recorded(request, dossier, document="result_draft")
    response = _pdf_response(content, result_paper.draft_filename(dossier), inline=True)
    response["X-Frame-Options"] = "SAMEORIGIN"  # the approval page frames it; nobody else may
    response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response
