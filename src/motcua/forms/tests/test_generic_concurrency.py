"""Two first drafts at once: the procedure's generic form is published once, as one version.

Real threads with their own connections (see dossiers/tests/test_concurrency.py): on PostgreSQL the second
waits on the procedure's row lock and then finds the version the first published; on SQLite a thread that
finds the database locked retries, as the busy timeout does in production.
"""

import pytest

from motcua.catalog.models import Procedure
from motcua.core.testing import retrying, run_threads
from motcua.forms import services
from motcua.forms.models import FormKind, FormStatus, OnlineForm

pytestmark = pytest.mark.django_db(transaction=True)


def test_first_uses_at_once_publish_one_generic_version(procedure):
    def first_use(i):
        fresh = Procedure.objects.prefetch_related("methods").get(pk=procedure.pk)
        return retrying(lambda: services.form_for(fresh)).pk

    ids = run_threads(6, first_use)
    assert len(set(ids)) == 1
    form = OnlineForm.objects.get()
    assert (form.kind, form.status, form.version) == (FormKind.GENERIC, FormStatus.PUBLISHED, 1)
