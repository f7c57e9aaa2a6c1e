"""Limits of structured data from users, checked without recursion."""

import pytest
from django.utils import translation

from motcua.core.userdata import DataRefused, check


def nested(depth: int, leaf="x"):
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return value


def listed(depth: int):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def test_a_normal_form_passes():
    check({"child": {"full_name": "Nguyễn Minh Khang", "born": "2024-10-02"}, "copies": 2, "ok": True},
          max_bytes=10_000)  # fmt: skip


@pytest.mark.parametrize(
    ("value", "why"),
    [
        (nested(100_000), "nested too deeply"),  # recursion would blow the stack here
        (listed(5_000), "nested too deeply"),
        (nested(17), "nested too deeply"),
        ({"name": "\ud800"}, "cannot be stored"),  # a lone surrogate: it cannot be encoded
        ({"name": "An\x00"}, "cannot be stored"),  # PostgreSQL's jsonb refuses NUL
        ({"\ud800": "x"}, "field name"),
        ({"n": float("nan")}, "finite"),
        ({"n": list(range(20_000))}, "too many values"),
        ({"n": "x" * 300}, "far too long"),
        ({"n": object()}, "not text"),
    ],
)
def test_what_no_database_or_person_should_get_is_refused(value, why):
    with translation.override("en"), pytest.raises(DataRefused, match=why):
        check(value, max_bytes=256)
