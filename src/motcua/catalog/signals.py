"""Any write to the catalogue gives it a new revision, so cached search results are never stale; a change of
a procedure's methods, fees, papers or agencies refreshes its derived service level (``catalog.levels``)."""

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


def refresh_level(sender, instance, **kwargs) -> None:
    from .services import refresh_online_level

    if kwargs.get("raw"):  # loading a fixture: the rows are not all there yet
        return
    # By id: while a procedure is deleted its fees go first, and the procedure row may already be gone.
    refresh_online_level(models.Procedure(pk=instance.procedure_id))


def refresh_level_m2m(sender, instance, action, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    from .services import refresh_online_level, refresh_online_levels

    if isinstance(instance, models.Procedure):
        refresh_online_level(instance)
    elif kwargs.get("pk_set"):
        refresh_online_levels(models.Procedure.objects.filter(pk__in=kwargs["pk_set"]))


def connect_levels() -> None:
    for model in (models.ProcedureMethod, models.Fee, models.DossierComponent):
        post_save.connect(refresh_level, sender=model, dispatch_uid=f"catalog-level-save-{model.__name__}")
        post_delete.connect(refresh_level, sender=model, dispatch_uid=f"catalog-level-del-{model.__name__}")
    m2m_changed.connect(
        refresh_level_m2m, sender=models.Procedure.agencies.through, dispatch_uid="catalog-level-agencies"
    )
