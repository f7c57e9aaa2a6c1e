"""The demo birth form as a citizen meets it (issue 9): each part of the profile's address in its own field,
the father's block filled from the requester when he is the father, the optional father's fields without a
required mark, and ethnicity and nationality offered as lists with the usual defaults."""

import re
from datetime import date

import pytest
from django.http import QueryDict

from motcua.accounts import selectors as account_selectors
from motcua.accounts import services as account_services
from motcua.forms import services, units
from motcua.forms.models import OnlineForm
from motcua.forms.rendering import render_form, render_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def birth_form(demo_forms) -> OnlineForm:
    return OnlineForm.objects.get(procedure__code="1.001193")


@pytest.fixture
def profile(db):
    user = account_services.register_citizen(
        full_name="Nguyễn Văn An",
        personal_id="030090012345",
        birth_date=date(1990, 5, 14),
        phone="0912345678",
        email="an@example.com",
        password="Hoa-sen-2024!",
        address="Số 12 đường Lê Lợi, phường Hải An, tỉnh Hải Đông",
    )
    return account_selectors.applicant_profile(user)


def test_the_profile_keeps_its_address_as_parts(profile):
    assert profile["address"] == {
        "province": "99",
        "commune": "001.00.30.H99",
        "detail": "Số 12 đường Lê Lợi",
    }


def test_prefill_puts_each_part_of_the_address_in_its_field_and_the_summary_says_it_once(birth_form, profile):
    data = services.initial_data(birth_form, profile)
    assert data["requester"]["residence"] == profile["address"]
    summary = render_summary(birth_form, data)
    assert "Số 12 đường Lê Lợi, Phường Hải An, Tỉnh Hải Đông" in summary
    assert summary.count("Hải An") == 1


def test_the_fathers_block_is_filled_from_the_requester_when_he_is_the_father(birth_form, profile):
    data = services.initial_data(birth_form, profile)
    data["requester"]["relationship"] = "father"
    q = QueryDict(mutable=True)
    for name, value in services.post_from_data(birth_form, data):
        q.appendlist(name, value)
    q.update({"_step": "0", "_action": "next"})
    state = services.advance(birth_form, q, applicant=profile)
    assert state.errors == {} and state.step == 1
    assert state.data["father"] == {
        "full_name": "Nguyễn Văn An",
        "birth_year": 1990,
        "personal_id": "030090012345",
        "residence": "Số 12 đường Lê Lợi, Phường Hải An, Tỉnh Hải Đông",
        "ethnicity": "Kinh",
        "nationality": "Việt Nam",
    }
    # The whole block is valid as filled: the father's step has nothing of his to correct.
    errors = services.validate_submission(birth_form, state.data)
    assert not [path for path in errors if path.startswith("father")]
    assert "mother" not in state.data or "full_name" not in state.data["mother"]


def test_the_optional_fathers_fields_are_not_marked_required_but_the_mothers_are(birth_form):
    html = render_form(birth_form, data={}, step=2)
    father = html[html.index('id="f-father"') :]
    mother = html[html.index('id="f-mother"') : html.index('id="f-father"')]
    assert "required-mark" not in father and "aria-required" not in father
    assert mother.count('aria-required="true"') == 6


def test_ethnicity_and_nationality_offer_lists_with_the_usual_defaults(birth_form, profile):
    assert len(units.suggestions()["ethnic_groups"]) == 54
    data = services.initial_data(birth_form, profile)
    assert data["child"]["ethnicity"] == "Kinh" and data["child"]["nationality"] == "Việt Nam"
    assert "father" not in data  # a default would make the optional father's block half filled in
    html = render_form(birth_form, data=data, step=1)
    assert re.search(r'id="f-child-ethnicity"[^>]*list="list-ethnic_groups"', html)
    assert '<datalist id="list-ethnic_groups"><option value="Kinh"></option>' in html
    assert '<option value="Ơ Đu"></option>' in html and 'id="list-nationalities"' in html
