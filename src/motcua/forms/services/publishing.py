"""Writes of form versions: saving a draft whose definition is sound, a new version, publishing one."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import FormLocked, FormStatus, OnlineForm
from ..schema import check_definition


class DefinitionError(Exception):
    """The form's schema or UI hints are not sound; ``problems`` is ``{"schema": [...], "ui": [...]}``."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(m for messages in problems.values() for m in messages))


def component_orders(procedure) -> set[int]:
    return set(procedure.components.values_list("order", flat=True))


def definition_problems(form: OnlineForm) -> dict[str, list[str]]:
    return check_definition(form.schema, form.ui or {}, component_orders(form.procedure))


@transaction.atomic
def save_draft(form: OnlineForm) -> OnlineForm:
    """Create or change a draft version; the definition must be sound."""
    if not form.is_editable:
        raise FormLocked(_("A published form cannot change: create a new version."))
    problems = definition_problems(form)
    if any(problems.values()):
        raise DefinitionError(problems)
    form.save()
    return form


@transaction.atomic
def new_version(form: OnlineForm) -> OnlineForm:
    """A new draft copied from ``form``, numbered after the procedure's highest version."""
    last = OnlineForm.objects.filter(procedure=form.procedure).order_by("-version").first()
    return OnlineForm.objects.create(
        procedure=form.procedure,
        version=(last.version if last else 0) + 1,
        schema=form.schema,
        ui=form.ui,
    )


@transaction.atomic
def publish(form: OnlineForm) -> OnlineForm:
    """Publish a draft and retire the procedure's previous published version, atomically."""
    # The procedure row serialises concurrent publishing; the partial unique index is the last guard.
    type(form.procedure).objects.select_for_update().get(pk=form.procedure_id)
    form.refresh_from_db()
    if form.status != FormStatus.DRAFT:
        raise FormLocked(_("Only a draft can be published."))
    problems = definition_problems(form)
    if any(problems.values()):
        raise DefinitionError(problems)
    now = timezone.now()
    OnlineForm.objects.filter(procedure_id=form.procedure_id, status=FormStatus.PUBLISHED).update(
        status=FormStatus.RETIRED, updated_at=now
    )
    form.status = FormStatus.PUBLISHED
    form.published_at = now
    form.save(update_fields=["status", "published_at", "updated_at"])
    return form
