"""Versions: one published form per procedure, publishing retires the previous one, published is frozen."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.forms import services
from motcua.forms.models import FormLocked, FormStatus, OnlineForm

from .conftest import SCHEMA, UI

pytestmark = pytest.mark.django_db


def test_publishing_a_new_version_retires_the_previous_one(form):
    draft = services.new_version(form)
    assert (draft.version, draft.status) == (2, FormStatus.DRAFT)
    services.publish(draft)
    form.refresh_from_db()
    assert form.status == FormStatus.RETIRED and form.published_at is not None
    assert draft.status == FormStatus.PUBLISHED
    assert OnlineForm.objects.filter(procedure=form.procedure, status=FormStatus.PUBLISHED).get() == draft


def test_a_published_version_cannot_change_or_be_deleted(form):
    form.schema = {**SCHEMA, "title": "changed"}
    with pytest.raises(FormLocked):
        form.save()
    form.refresh_from_db()
    with pytest.raises(FormLocked):
        form.delete()
    with pytest.raises(FormLocked):
        services.publish(form)  # not a draft


def test_the_database_refuses_two_published_versions_of_one_procedure(form):
    with pytest.raises(IntegrityError), transaction.atomic():
        OnlineForm.objects.create(
            procedure=form.procedure,
            version=2,
            schema=SCHEMA,
            ui=UI,
            status="published",
            published_at=timezone.now(),
        )


def test_the_database_refuses_a_version_number_twice(form):
    with pytest.raises(IntegrityError), transaction.atomic():
        OnlineForm.objects.create(procedure=form.procedure, version=1, schema=SCHEMA, ui=UI)


def test_a_procedure_with_forms_cannot_be_deleted(form):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        form.procedure.delete()


def test_a_broken_definition_is_not_saved(procedure):
    with pytest.raises(services.DefinitionError) as caught:
        services.save_draft(
            OnlineForm(
                procedure=procedure,
                version=1,
                schema={"type": "object", "properties": {"a": {"type": "strin"}}},
            )
        )
    assert caught.value.problems["schema"]
