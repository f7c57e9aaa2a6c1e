"""The demo forms: at least ten published forms, each with a valid example that passes validation."""

import pytest

from motcua.catalog.models import DossierComponent
from motcua.forms import services, units
from motcua.forms.demo import demo_documents, load_demo_forms
from motcua.forms.models import FormKind, FormStatus, OnlineForm

pytestmark = pytest.mark.django_db


def test_ten_demo_procedures_get_a_published_form(demo_forms):
    assert len(demo_forms.published) >= 10
    published = OnlineForm.objects.filter(status=FormStatus.PUBLISHED)
    assert published.filter(kind=FormKind.BESPOKE).count() == len(demo_forms.published)
    for code in (
        "1.001193",
        "1.000894",
        "1.000656",
        "1.004873",
        "1.004222",
        "1.004194",
        "1.001612",
        "1.013225",
        "3.000333",
        "1.001776",
    ):
        assert code in demo_forms.published


@pytest.mark.parametrize("doc", demo_documents(), ids=lambda d: d["procedure"])
def test_each_demo_forms_example_is_valid_and_survives_a_round_trip_through_html(demo_forms, doc):
    form = OnlineForm.objects.get(procedure__code=doc["procedure"], status=FormStatus.PUBLISHED)
    ids = dict(DossierComponent.objects.filter(procedure=form.procedure).values_list("order", "id"))
    example = doc["example"]
    assert (
        services.validate_submission(form, example["data"], files_present={ids[o] for o in example["files"]})
        == {}
    )
    pairs = services.post_from_data(form, example["data"])
    post = {}
    for name, value in pairs:
        post.setdefault(name, []).append(value)
    assert services.data_from_post(form, post) == example["data"]


def test_the_demo_uses_steps_a_repeating_group_and_file_fields(demo_forms):
    forms = OnlineForm.objects.filter(status=FormStatus.PUBLISHED, kind=FormKind.BESPOKE)
    assert sum(1 for f in forms if f.ui.get("steps")) >= 5
    members = OnlineForm.objects.get(procedure__code="1.004222").schema["properties"]["members"]
    assert members["type"] == "array" and members["items"]["type"] == "object"
    assert all(any("x-component" in p for p in f.schema["properties"].values()) for f in forms)


def test_loading_again_changes_nothing(demo_forms):
    form = OnlineForm.objects.get(procedure__code="1.001193")
    draft = services.new_version(form)
    generic = set(OnlineForm.objects.filter(kind=FormKind.GENERIC).values_list("pk", flat=True))
    again = load_demo_forms()
    assert again.published == [] and len(again.skipped) == len(demo_documents())
    assert OnlineForm.objects.filter(procedure__code="1.001193").count() == 2
    assert set(OnlineForm.objects.filter(kind=FormKind.GENERIC).values_list("pk", flat=True)) == generic
    assert len(again.generic) == len(generic) == len(demo_forms.generic)
    draft.refresh_from_db()
    assert draft.status == FormStatus.DRAFT


def test_the_demo_province_lists_the_communes_of_the_catalogue(demo_forms):
    from motcua.catalog.models import Agency

    communes = Agency.objects.filter(level="commune", kind="peoples_committee").values_list("code", flat=True)
    assert {c["code"] for c in units.communes("99")} == set(communes)
    assert len(units.provinces()) == 35  # the demo province and the 34 since 1 July 2025
