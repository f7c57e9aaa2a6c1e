"""Any write to the catalogue gives it a new revision, so cached search results are never stale."""

import uuid

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import models

TRACKED = (
    models.Agency,
    models.Sector,
    models.LegalDocument,
    models.Procedure,
    models.ProcedureStep,
    models.ProcedureMethod,
    models.Fee,
    models.DossierComponent,
)


def bump_revision(**_kwargs) -> None:
    updated = models.CatalogueRevision.objects.filter(pk=1).update(token=uuid.uuid4().hex)
    if not updated:
        models.CatalogueRevision.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


def connect() -> None:
    for model in TRACKED:
        post_save.connect(bump_revision, sender=model, dispatch_uid=f"catalog-revision-save-{model.__name__}")
        post_delete.connect(
            bump_revision, sender=model, dispatch_uid=f"catalog-revision-del-{model.__name__}"
        )
    for through in (models.Procedure.agencies.through, models.Procedure.legal_basis.through):
        m2m_changed.connect(
            bump_revision, sender=through, dispatch_uid=f"catalog-revision-m2m-{through.__name__}"
        )
