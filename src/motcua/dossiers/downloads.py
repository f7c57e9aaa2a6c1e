"""The HTTP answers that hand a dossier's files to someone a view has already allowed to read the dossier.

The portal, the desk and the API all answer downloads through here, so that each one is recorded in the
audit log alike and the files are served with the same protective headers.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from motcua.audit import services as audit
from motcua.core.files import private_file_response
from motcua.documents import selectors as document_selectors
from motcua.documents import services as documents

from .models import Attachment, Dossier


def receipt_response(request, dossier: Dossier, *, inline: bool = False) -> HttpResponse:
    """The receipt-and-appointment slip of a sent dossier, checked against the hash it was issued with."""
    document = documents.receipt_for(dossier)
    content = document_selectors.document_bytes(document)
    audit.record(
        "document.download", actor=request.user, request=request, target=dossier,
        target_label=dossier.code, document="receipt",
    )  # fmt: skip
    return _pdf_response(content, f"giay-tiep-nhan-{dossier.code}.pdf", inline=inline)


def attachment_response(request, dossier: Dossier, attachment: Attachment, *, inline: bool = False):
    audit.record(
        "document.download", actor=request.user, request=request, target=dossier,
        target_label=dossier.reference, attachment=str(attachment.uuid),
    )  # fmt: skip
    return private_file_response(
        attachment.file,
        filename=attachment.original_name or attachment.file.name.rsplit("/", 1)[-1],
        content_type=attachment.content_type,
        inline=inline,
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
    from django.http import Http404

    from motcua.documents import slips

    if kind not in slips.SLIPS:
        raise Http404
    try:
        content = slips.render_slip(dossier, kind)
    except ObjectDoesNotExist:
        raise Http404 from None
    audit.record(
        "document.download", actor=request.user, request=request, target=dossier,
        target_label=dossier.code, document=kind,
    )  # fmt: skip
    return _pdf_response(content, slips.slip_filename(dossier, kind), inline=inline)


def result_response(request, dossier: Dossier, *, inline: bool = False) -> HttpResponse:
    """The signed result, byte for byte as issued (its signature covers the whole file)."""
    from django.http import Http404

    document = document_selectors.result_of(dossier)
    if document is None:
        raise Http404
    content = document_selectors.document_bytes(document)
    audit.record(
        "document.download", actor=request.user, request=request, target=dossier,
        target_label=dossier.code, document="result",
    )  # fmt: skip
    return _pdf_response(content, f"ket-qua-{dossier.code}.pdf", inline=inline)
