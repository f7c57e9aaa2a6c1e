"""The form as accessible HTML: labels, required marks, aria attributes, errors, prefill, steps, no script."""

import re

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation

from motcua.forms import services
from motcua.forms.rendering import render_form, render_summary

from .conftest import VALID

pytestmark = pytest.mark.django_db


def test_every_input_has_a_label_and_required_fields_are_marked(form):
    with translation.override("vi"):
        html = render_form(form, data={}, step=0)
    star = '<span class="required-mark" aria-hidden="true">*</span>'
    assert f'<label class="form-label" for="f-full_name">Họ và tên {star}' in html
    assert (
        'id="f-full_name" name="full_name" value="" aria-describedby="f-full_name-help" aria-required="true"'
        in html
    )
    assert '<div class="form-text" id="f-full_name-help">Như trên CCCD</div>' in html
    # The age is optional: no star, no aria-required.
    assert 'id="f-age" name="age" value="" inputmode="numeric">' in html
    for input_id in re.findall(r'<(?:input|select|textarea)[^>]* id="([^"]+)"', html):
        assert f'for="{input_id}"' in html, input_id
    # Radio buttons sit in a fieldset with a legend.
    assert '<legend class="form-label fs-6">Giới tính' in html
    assert "<script" not in html


def test_errors_are_next_to_their_field_and_summarised_with_links(form):
    with translation.override("vi"):
        errors = {
            "full_name": ["Vui lòng điền mục này."],
            "gender": ["Vui lòng chọn một trong các lựa chọn có sẵn."],
        }
        html = render_form(form, data={}, errors=errors, step=0)
    assert 'role="alert"' in html and "Có 2 lỗi cần sửa:" in html
    assert '<li><a href="#f-full_name">Họ và tên: Vui lòng điền mục này.</a></li>' in html
    assert (
        '<li><a href="#f-gender-0">Giới tính: Vui lòng chọn một trong các lựa chọn có sẵn.</a></li>' in html
    )
    assert 'aria-describedby="f-full_name-help f-full_name-error" aria-invalid="true"' in html
    assert (
        'id="f-full_name-error"><span class="visually-hidden">Lỗi:</span>Vui lòng điền mục này.</div>' in html
    )
    assert html.index("error-summary") < html.index('id="f-full_name"')


def test_item_errors_of_a_repeating_group_link_to_their_input(form):
    data = {"children": [{"full_name": "Một"}, {}]}
    errors = services.validate_submission(form, data)
    with translation.override("vi"):
        html = render_form(form, data=data, errors=errors, step=2)
    assert '<a href="#f-children-1-full_name">Họ tên con: Vui lòng điền mục này.</a>' in html
    assert '<legend class="h6">Con 2</legend>' in html
    assert 'name="_action" value="remove:children.1"' in html and 'value="add:children"' in html
    assert '<input type="hidden" name="children.__count" value="2">' in html


def test_the_applicants_profile_prefills_the_form(form):
    profile = {
        "full_name": "Nguyễn Văn An",
        "birth_date": "1990-04-12",
        "personal_id": "001090012345",
        "address": {"province": "99", "commune": "004.00.30.H99", "detail": "Thôn Đông"},
    }
    html = render_form(form, initial=profile, step=0)
    assert 'name="full_name" value="Nguyễn Văn An"' in html
    assert 'type="date" class="form-control" id="f-birth_date" name="birth_date" value="1990-04-12"' in html
    # Values of the other steps travel as hidden inputs.
    assert '<input type="hidden" name="personal_id" value="001090012345">' in html
    html = render_form(form, initial=profile, step=1)
    assert '<option value="99" selected>Tỉnh Hải Đông</option>' in html
    assert '<option value="004.00.30.H99" selected>Xã Tân Phong</option>' in html


def test_one_step_at_a_time_with_a_step_indicator_and_back_and_continue(form):
    with translation.override("vi"):
        first = render_form(form, data=VALID, step=0)
        second = render_form(form, data=VALID, step=1)
        last = render_form(form, data=VALID, step=3)
    assert '<li class="form-step active" aria-current="step">Bản thân</li>' in first
    assert "Bước 1/4: Bản thân" in first
    assert 'value="back"' not in first and ">Tiếp tục</button>" in first
    assert 'id="f-personal_id"' not in first and 'id="f-personal_id"' in second
    assert ">Quay lại</button>" in second and '<input type="hidden" name="_step" value="1">' in second
    assert 'value="submit" class="btn btn-primary">Gửi</button>' in last
    assert 'enctype="multipart/form-data"' in last and 'name="file.birth_certificate"' in last


def test_the_province_list_has_the_34_provinces_and_the_demo_province_its_communes(form):
    html = render_form(form, data={"address": {"province": "99"}}, step=1)
    province_select = html[
        html.index('id="f-address-province"') : html.index("</select>", html.index('id="f-address-province"'))
    ]
    assert province_select.count("<option value=") == 1 + 35  # the placeholder, the demo province and 34
    assert 'id="f-address-commune"' in html and "Đặc khu Hòn Sương" in html
    assert 'name="_action" value="refresh:address"' in html
    html = render_form(form, data={"address": {"province": "79"}}, step=1)
    assert '<input type="text" class="form-control" id="f-address-commune"' in html  # typed in elsewhere


def test_file_fields_show_the_component_and_whether_a_file_is_attached(form, component_ids):
    with translation.override("vi"):
        html = render_form(form, data=VALID, step=3, files_present={component_ids[2]})
    assert "Giấy chứng sinh (1 bản chính)" in html
    assert "Đã có tệp đính kèm" in html
    assert f'<input type="hidden" name="_files" value="{component_ids[2]}">' in html


def test_the_template_tag_renders_the_form_with_a_csrf_token(form):
    request = RequestFactory().get("/")
    html = Template("{% load online_forms %}{% online_form form step=2 %}").render(
        Context({"form": form, "request": request})
    )
    assert 'name="csrfmiddlewaretoken"' in html and "<form" in html and "<script" not in html


def test_english_labels_under_english(form):
    with translation.override("en"):
        html = render_form(form, data={}, step=0)
    assert ">Full name <span" in html and "Step 1 of 4: You" in html


def test_the_step_indicator_lets_the_citizen_go_to_the_steps_reached_and_no_further(form):
    with translation.override("vi"):
        html = render_form(form, data=VALID, step=1, reached=2)
        first = render_form(form, data=VALID, step=0)
    # Steps reached other than this one are buttons of the form (what was typed here is kept).
    assert (
        '<li class="form-step reached"><button type="submit" name="_action" value="goto:0" '
        'class="btn btn-link p-0 align-baseline form-step-link" formnovalidate>Bản thân</button></li>' in html
    )
    assert 'value="goto:2"' in html and ">Các con</button>" in html
    assert '<li class="form-step active" aria-current="step">Giấy tờ</li>' in html
    assert '<li class="form-step">Tệp</li>' in html and 'value="goto:3"' not in html
    # By default the furthest step reached is the one shown: nothing ahead is offered.
    assert "goto:" not in first
    # Enter still presses "Continue": the hidden default button comes before the step buttons.
    assert html.index('value="next"') < html.index('value="goto:0"')


def test_the_error_summary_follows_the_order_of_the_page(form):
    errors = {  # as validation may give them: not in the order of the fields on the page
        "address.detail": ["Vui lòng điền mục này."],
        "email": ["Sai địa chỉ."],
        "address.province": ["Chọn tỉnh."],
        "personal_id": ["Sai số."],
        "non_field_errors": ["Biểu mẫu đã thay đổi."],
    }
    with translation.override("vi"):
        html = render_form(form, data={}, errors=errors, step=1)
    summary = html[html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))]
    order = [summary.index(text) for text in ("Biểu mẫu", "Sai số", "Sai địa chỉ", "Chọn tỉnh", "Vui lòng")]
    assert order == sorted(order), summary
    assert '<a href="#f-address-province">' in summary and '<a href="#f-address-detail">' in summary
    assert 'tabindex="-1" id="error-summary"' in html


def test_the_review_summary_has_one_section_per_step_with_a_link_to_change_it(form):
    with translation.override("vi"):
        html = render_summary(form, VALID, edit_url="/ho-so/x/soan/")
        plain = render_summary(form, VALID)
    assert html.count('<section class="summary-step"') == 4
    assert '<h3 class="h5" id="summary-step-1">Giấy tờ</h3>' in html
    assert '<a href="/ho-so/x/soan/?buoc=1">Sửa<span class="visually-hidden"> Giấy tờ</span></a>' in html
    assert html.index("Nguyễn Văn An") < html.index("?buoc=1") < html.index("001090012345")
    assert "?buoc=" not in plain and "<section" not in plain


def test_the_address_is_two_selects_whose_reload_returns_to_the_commune_and_a_script_file_enhances_it(form):
    html = render_form(form, data={"address": {"province": "99"}}, step=1, action="/ho-so/x/soan/")
    assert re.search(
        r'<select class="form-select" id="f-address-province" name="address.province"[^>]*'
        r"data-address-province",
        html,
    )
    assert re.search(
        r'<select class="form-select" id="f-address-commune" name="address.commune"[^>]*'
        r"data-address-commune",
        html,
    )
    # Without JavaScript: the reload lands on the commune field.
    assert 'value="refresh:address" formaction="/ho-so/x/soan/#f-address-commune"' in html
    # With it: the lists travel in data- attributes and a static file (no inline code) uses them.
    assert "data-address " in html and "data-communes=" in html and "004.00.30.H99" in html
    assert re.search(r'<script src="[^"]*forms/address\.js" defer></script>', html)
    assert not re.search(r"<script>|<script(?![^>]*src=)| on[a-z]+=| style=", html)


def test_a_commune_given_by_its_name_is_shown_chosen(form):
    html = render_form(form, data={"address": {"province": "99", "commune": "Xã Tân Phong"}}, step=1)
    assert '<option value="004.00.30.H99" selected>Xã Tân Phong</option>' in html


def test_the_communes_reload_lands_on_the_field_whatever_fragment_the_forms_action_has(form):
    # The step forms post to "…#error-summary"; the reload's own fragment replaces it, not follows it.
    action = "/ho-so/x/soan/#error-summary"
    html = render_form(form, data={"address": {"province": "99"}}, step=1, action=action)
    assert 'formaction="/ho-so/x/soan/#f-address-commune"' in html


def test_an_addresss_errors_read_province_commune_detail_whatever_order_its_schema_keys_come_in(form):
    # PostgreSQL's jsonb gives an object's keys back sorted its own way ("detail" first).
    address = form.schema["properties"]["address"]
    address["properties"] = dict(sorted(address["properties"].items(), key=lambda kv: (len(kv[0]), kv[0])))
    errors = {"address.detail": ["Vui lòng điền mục này."], "address.province": ["Chọn tỉnh."]}
    with translation.override("vi"):
        html = render_form(form, data={}, errors=errors, step=1)
    assert html.index('href="#f-address-province"') < html.index('href="#f-address-detail"')
