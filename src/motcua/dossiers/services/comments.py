"""Internal comments (ý kiến nội bộ): notes officers who may read a dossier leave on it for each other."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.audit import services as audit

from .. import rules
from ..models import Dossier, DossierComment
from .errors import require


@transaction.atomic
def comment(dossier: Dossier, *, by, text: str) -> DossierComment:
    """An internal note by an officer who may read the dossier (the applicant never sees it)."""
    text = require(text, "text", _("Write the comment."))[:4000]
    if not rules.may_comment(dossier, by):
        raise PermissionDenied(_("Only officers handling the dossier comment on it."))
    note = DossierComment.objects.create(dossier=dossier, author=by, text=text)
    audit.record("dossier.comment", actor=by, target=dossier, target_label=dossier.code)
    return note
