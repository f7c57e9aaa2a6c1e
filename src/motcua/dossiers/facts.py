"""What a dossier tells statistics about itself, as query expressions over ``Dossier`` rows.

Statistics (``stats``) keep a ledger of dossiers; what counts as a digitised dossier, a reused paper or an
electronic result is a fact about dossiers, so it is written here, once, and stats annotates with it.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef

from motcua.documents.models import Document, DocumentKind

from .models import Attachment, Dossier, DossierAction, DossierEvent


def received():
    """Tiếp nhận: the desk accepted the dossier (received online, or registered at the desk). ``received_at``
    alone does not say it: a dossier sent online carries the moment it was sent until the desk receives it,
    and keeps it when it is refused or withdrawn first."""
    return Exists(
        DossierEvent.objects.filter(
            dossier=OuterRef("pk"), action__in=[DossierAction.RECEIVE, DossierAction.REGISTER]
        )
    )


def digitised():
    """Số hóa: the dossier's papers are kept electronically (at least one file: uploaded by the applicant,
    scanned at the desk or reused from the document store). A dossier on paper only has none."""
    return Exists(Attachment.objects.filter(dossier=OuterRef("pk")))


def reused_papers():
    """Tái sử dụng: at least one paper came from the applicant's document store instead of a new upload."""
    return Exists(Attachment.objects.filter(dossier=OuterRef("pk"), reused_from__isnull=False))


def electronic_result():
    """Kết quả điện tử: a result signed with the agency's certificate stands for the dossier (not revoked,
    not superseded)."""
    results = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(Dossier),
        subject_id=OuterRef("pk"),
        kind=DocumentKind.RESULT,
        certificate__isnull=False,
        revoked_at__isnull=True,
        superseded_at__isnull=True,
    )
    return Exists(results)


def annotations() -> dict:
    return {
        "received": received(),
        "digitised": digitised(),
        "reused": reused_papers(),
        "e_result": electronic_result(),
    }
