"""Project-wide pytest fixtures."""

import shutil
import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache

# Builders shared by the tests of several apps (a procedure with its online form, applicants, files).
pytest_plugins = ["motcua.dossiers.tests.fixtures", "motcua.dossiers.tests.paper_fixtures"]


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite the test database is a file, as the embedded default's is, never Django's in-memory one.

    An in-memory database is one connection, which Django hands to every thread of the live server: two
    requests at once (a page and the preview it frames) then run in each other's transactions, and one
    failure leaves the connection broken for every later browser journey (CI, 2026-12-07). With a file each
    thread has its own connection and takes its turn to write (motcua/core/sqlite), as in production. The
    file lives in shared memory where there is some, so tests stay about as fast.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "motcua.core.sqlite":
        yield
        return
    shm = Path("/dev/shm")  # noqa: S108 (mkdtemp makes a private folder of its own inside)
    folder = Path(tempfile.mkdtemp(prefix="motcua-test-", dir=shm if shm.is_dir() else None))
    database.setdefault("TEST", {})["NAME"] = str(folder / "motcua.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


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
    # Passwords hashed the fast way: a test makes officers and citizens by the dozen, and production's hasher
    # (PBKDF2, a million rounds) costs 0.4 s each here. Signing in still checks them, with this hasher.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests expire cached pages by emptying the shared cache; the copy each process keeps of the pages it
    # served (core.pagecache) is off, and tested on its own in core/tests/test_pagecache.py.
    settings.MOTCUA_PAGE_CACHE_LOCAL_KB = 0


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache, as a freshly started process does."""
    cache.clear()
    yield
    cache.clear()
