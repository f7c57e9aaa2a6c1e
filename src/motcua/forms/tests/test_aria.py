"""ARIA attributes the rendered form may carry (axe-core's aria-allowed-attr): a <fieldset> has no
aria-required of its own, a group of radio buttons says it is a radiogroup."""

import re

import pytest
from django.utils import translation

from motcua.forms.rendering import render_form

pytestmark = pytest.mark.django_db


def test_a_required_radio_group_is_a_radiogroup_and_no_bare_fieldset_is_required(form):
    with translation.override("vi"):
        html = render_form(form, data={}, step=0)
    fieldsets = re.findall(r"<fieldset\b[^>]*>", html)
    assert fieldsets
    for tag in fieldsets:
        if "aria-required" in tag:
            assert 'role="radiogroup"' in tag, tag
    gender = re.search(r"<fieldset\b[^>]*>\s*<legend[^>]*>Giới tính", html)
    assert gender and 'role="radiogroup" aria-required="true"' in gender.group(0)
