"""Reads of online forms."""

from motcua.catalog.models import DossierComponent

from .models import FormStatus, OnlineForm
from .schema import file_fields


def published_form(procedure_code: str) -> OnlineForm:
    """The form currently published for an active procedure (written for it or generic); raises
    ``OnlineForm.DoesNotExist``. To fill a procedure in, use ``services.form_for``, which makes the generic
    form when there is none yet."""
    return OnlineForm.objects.select_related("procedure").get(
        procedure__code=procedure_code, procedure__is_active=True, status=FormStatus.PUBLISHED
    )


def form_components(form: OnlineForm) -> list[dict]:
    """The procedure's dossier components, each with the file field of the form that takes it (or None)."""
    field_by_order = {sub["x-component"]: name for name, sub in file_fields(form.schema).items()}
    return [
        {"component": component, "field": field_by_order.get(component.order)}
        for component in DossierComponent.objects.filter(procedure_id=form.procedure_id).order_by("order")
    ]


def forms_of(procedure) -> list[OnlineForm]:
    return list(OnlineForm.objects.filter(procedure=procedure).order_by("-version"))


def has_published_form(procedure) -> bool:
    """Whether ``procedure`` can be filled in online now: every procedure that offers online submission has
    a form, its own published one or its generic one (``services.form_for``, published on first use)."""
    return procedure.accepts_online_submission
