"""``manage.py load_demo``: each app's demo data in one run, a line per part, nothing new a second time."""

import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.accounts.models import User
from motcua.catalog.models import DossierComponent, Procedure
from motcua.forms.models import FormKind, OnlineForm

pytestmark = pytest.mark.django_db


def test_the_command_prints_a_summary(capsys):
    # Commands speak LANGUAGE_CODE (Vietnamese) unless told otherwise.
    with translation.override("en"):
        call_command("load_demo", "--no-forms")
        first = capsys.readouterr().out
        assert "Demo data:" in first
        assert "0 form templates written" in first
        assert "Demo online forms published:" in first
        generic = OnlineForm.objects.filter(kind=FormKind.GENERIC).count()
        assert generic >= 40 and f"Procedures sent online with the generic form: {generic}." in first
        assert "Demo inter-agency workflows: " in first
        assert "Demo accounts created (password Demo@12345): admin" in first
        call_command("load_demo")
        second = capsys.readouterr().out
        assert f"0 procedures created, {Procedure.objects.count()} skipped" in second
        written = DossierComponent.objects.exclude(form_name="").count()
        assert f"{written} form templates written" in second
        assert "Demo online forms published: 0." in second
        # The DOCX templates written now change no generic form: no new version.
        assert f"Procedures sent online with the generic form: {generic}." in second
        assert OnlineForm.objects.filter(kind=FormKind.GENERIC).count() == generic
        assert "Demo inter-agency workflows" not in second
        assert "Demo accounts created" not in second
    assert User.objects.filter(is_demo=True, username="admin").exists()
