"""The messages these tests match are the English msgids: read them in English whatever is compiled."""

import pytest


@pytest.fixture(autouse=True)
def _english(_vietnamese):
    from django.utils import translation

    with translation.override("en"):
        yield
