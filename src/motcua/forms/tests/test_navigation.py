"""Multi-step forms without JavaScript: ``services.advance`` applies one press of a submit button."""

import pytest
from django.http import QueryDict
from django.utils import translation

from motcua.forms import services

from .conftest import VALID

pytestmark = pytest.mark.django_db


def post(form, data, **extra) -> QueryDict:
    """What the browser sends: every value as the renderer names it, plus the pressed button."""
    q = QueryDict(mutable=True)
    for name, value in services.post_from_data(form, data):
        q.appendlist(name, value)
    for name, value in extra.items():
        q[name] = str(value)
    return q


def test_posted_form_data_reads_back_into_the_same_json(form):
    assert services.data_from_post(form, post(form, VALID)) == VALID


def test_posted_values_are_typed_and_empty_inputs_left_out(form):
    q = QueryDict(mutable=True)
    q.update(
        {
            "full_name": "  An  ",
            "age": "36",
            "email": "",
            "children.__count": "1",
            "children.0.full_name": "B",
        }
    )
    q.setlist("languages", ["vi", "en"])
    q["agree"] = "on"
    data = services.data_from_post(form, q)
    assert data["full_name"] == "An" and data["age"] == 36 and data["languages"] == ["vi", "en"]
    assert "email" not in data and data["agree"] is True
    assert data["children"] == [{"full_name": "B"}]
    q["age"] = "ba"
    assert services.data_from_post(form, q)["age"] == "ba"  # kept, so validation says it is not a number


def test_continue_validates_only_the_current_step_and_stays_when_it_has_errors(form):
    with translation.override("vi"):
        state = services.advance(form, post(form, {"full_name": "An"}, _step=0, _action="next"))
    assert state.step == 0
    # Only step 1's fields: the empty address of step 2 is not reported yet.
    assert set(state.errors) == {"birth_date", "gender"}
    assert state.errors["gender"] == ["Vui lòng điền mục này."]
    assert state.data["full_name"] == "An"


def test_continue_moves_on_when_the_step_is_clean_and_back_keeps_the_data(form):
    step1 = {k: VALID[k] for k in ("full_name", "age", "birth_date", "gender", "languages")}
    state = services.advance(form, post(form, step1, _step=0, _action="next"))
    assert (state.step, state.errors) == (1, {})
    # Step 2 is shown; step 1's values travel along as hidden inputs and come back.
    state = services.advance(form, post(form, state.data, _step=1, _action="back"))
    assert state.step == 0 and state.errors == {}
    assert {k: state.data[k] for k in step1} == step1


def test_the_last_step_validates_everything_and_shows_the_first_step_with_errors(form, component_ids):
    data = {**VALID, "phone": "123"}
    state = services.advance(form, post(form, data, _step=3, _action="submit"), files_present=set())
    assert state.step == 1 and not state.complete
    assert set(state.errors) == {"phone"}  # the missing file is on step 4, shown once step 2 is right
    state = services.advance(
        form, post(form, VALID, _step=3, _action="submit"), files_present={component_ids[2]}
    )
    assert state.complete and state.errors == {}


def test_add_and_remove_items_of_a_repeating_group_without_javascript(form):
    data = {"children": [{"full_name": "Một"}, {"full_name": "Hai"}]}
    state = services.advance(form, post(form, data, _step=2, _action="add:children"))
    assert state.step == 2 and state.errors == {}
    assert state.data["children"] == [{"full_name": "Một"}, {"full_name": "Hai"}, {}]
    state = services.advance(form, post(form, state.data, _step=2, _action="add:children"))
    assert len(state.data["children"]) == 3  # maxItems
    state = services.advance(form, post(form, data, _step=2, _action="remove:children.0"))
    assert state.data["children"] == [{"full_name": "Hai"}]
    state = services.advance(form, post(form, state.data, _step=2, _action="remove:children.0"))
    assert state.data["children"] == [{"full_name": "Hai"}]  # minItems
    state = services.advance(form, post(form, data, _step=2, _action="remove:children.9"))
    assert len(state.data["children"]) == 2  # a stale button changes nothing


def test_refreshing_the_commune_list_keeps_a_commune_of_the_province_and_drops_another(form):
    data = {"address": {"province": "99", "commune": "004.00.30.H99", "detail": "Số 1"}}
    state = services.advance(form, post(form, data, _step=1, _action="refresh:address"))
    assert state.step == 1 and state.errors == {}
    assert state.data["address"]["commune"] == "004.00.30.H99"
    data = {"address": {"province": "99", "commune": "Phường Cửa Nam", "detail": "Số 1"}}
    state = services.advance(form, post(form, data, _step=1, _action="refresh:address"))
    assert "commune" not in state.data["address"]


def test_a_forged_step_number_is_kept_in_range(form):
    state = services.advance(form, post(form, {}, _step=99, _action="back"))
    assert state.step == 2


def test_a_step_of_the_indicator_is_shown_without_checking_the_current_one(form):
    state = services.advance(form, post(form, {"full_name": "An"}, _step=3, _action="goto:1"))
    assert state.step == 1 and state.errors == {} and not state.complete
    assert state.data["full_name"] == "An"  # what was typed is kept
    assert services.advance(form, post(form, {}, _step=0, _action="goto:99")).step == 3
    for forged in ("goto:²", "goto:", "goto:-1", "goto:" + "9" * 5000):
        assert services.advance(form, post(form, {}, _step=2, _action=forged)).step == 2


def test_an_error_path_is_located_in_its_step_with_its_label(form):
    with translation.override("vi"):
        place = services.locate(form, "children.1.full_name")
        assert place.step == 2 and place.label == "Họ tên con"
        assert services.locate(form, "address.commune").step == 1
        assert services.locate(form, "agree").step == 3
    ordered = services.page_order(
        form, {"agree": [], "children.1.full_name": [], "children.0.birth_date": [], "full_name": []}
    )
    expected = ["full_name", "children.0.birth_date", "children.1.full_name", "agree"]
    assert [path for path, _ in ordered] == expected
