"""The form a procedure is filled in with now: its own published form, else its generic form, published on
first use and whenever what it is built from changed."""

from django.db import IntegrityError, transaction

from motcua.catalog.models import Procedure

from .. import generic
from ..models import FormKind, FormStatus, OnlineForm
from .publishing import publish


def form_for(procedure) -> OnlineForm:
    """The form ``procedure`` is filled in with now: its published form written for it, else its generic
    form (``generic``), published on first use and again, as a new version, whenever what it is built from
    (the dossier components) changed. Raises ``OnlineForm.DoesNotExist`` when the procedure does not offer
    online submission (``Procedure.accepts_online_submission``)."""
    if not procedure.accepts_online_submission:
        raise OnlineForm.DoesNotExist(f"Procedure {procedure.code} does not offer online submission.")
    current = OnlineForm.objects.filter(procedure=procedure, status=FormStatus.PUBLISHED).first()
    if current is not None and current.kind == FormKind.BESPOKE:
        return current
    schema, ui = generic.build(procedure)
    digest = generic.fingerprint(schema, ui)
    if current is not None and current.fingerprint == digest:
        return current
    try:
        return _publish_generic(procedure, schema, ui, digest)
    except IntegrityError:
        # Another process published this very version between our read and our write (SQLite, or a
        # database without row locks): it is the one to use.
        return OnlineForm.objects.get(procedure=procedure, status=FormStatus.PUBLISHED)


@transaction.atomic
def _publish_generic(procedure, schema: dict, ui: dict, digest: str) -> OnlineForm:
    # The procedure's row serialises first uses: two first drafts at once publish one version.
    type(procedure).objects.select_for_update().get(pk=procedure.pk)
    current = OnlineForm.objects.filter(procedure=procedure, status=FormStatus.PUBLISHED).first()
    if current is not None and (current.kind == FormKind.BESPOKE or current.fingerprint == digest):
        return current
    last = OnlineForm.objects.filter(procedure=procedure).order_by("-version").first()
    form = OnlineForm.objects.create(
        procedure=procedure,
        version=(last.version if last else 0) + 1,
        schema=schema,
        ui=ui,
        kind=FormKind.GENERIC,
        fingerprint=digest,
    )
    return publish(form)


def publish_generic_forms(procedures=None) -> list[OnlineForm]:
    """``form_for`` each procedure offering online submission (all of them by default) that has no form
    written for it: the generic forms after a catalogue import, published now rather than on first use.
    Idempotent; returns the generic forms published now or before."""
    if procedures is None:
        procedures = Procedure.objects.offering_online_submission()
    forms = []
    for procedure in procedures:
        if procedure.accepts_online_submission:
            form = form_for(procedure)
            if form.kind == FormKind.GENERIC:
                forms.append(form)
    return forms
