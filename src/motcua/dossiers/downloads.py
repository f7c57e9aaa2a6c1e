"""The HTTP answers that hand a dossier's files to someone a view has already allowed to read the dossier.

The portal, the desk and the API all answer downloads through here, so that each one is recorded in the
audit log alike and the files are served with the same protective headers.
"""

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
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    patch_cache_control(response, private=True, no_store=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


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
