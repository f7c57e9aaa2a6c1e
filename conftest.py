"""Project-wide pytest fixtures."""

import pytest
from django.core.cache import cache

# Builders shared by the tests of several apps (a procedure with its online form, applicants, files).
pytest_plugins = ["motcua.dossiers.tests.fixtures", "motcua.dossiers.tests.paper_fixtures"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded and generated files of a test go to its own folders, never to the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run in the test's thread right after the commit that queued them.
    settings.MOTCUA_TASKS = "eager"
    # The sandbox payment gateway is served in tests whatever DEBUG says (payments run through it).
    settings.MOTCUA_PAYMENT_SANDBOX = True


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a freshly started process does."""
    cache.clear()
    yield
    cache.clear()
