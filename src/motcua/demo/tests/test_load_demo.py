"""``manage.py load_demo``: each app's demo data in one run, a line per part, nothing new a second time."""

import pytest
from django.core.management import call_command
from django.utils import translation

from motcua.accounts.models import OfficerMembership, OfficerRole, User
from motcua.catalog.fees import fees_for
from motcua.catalog.models import DossierComponent, Procedure
from motcua.forms.models import FormKind, OnlineForm
from motcua.payments.demo import receiving_agencies
from motcua.payments.models import GatewayAccount

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
        assert "Sandbox payment accounts given to" in first
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
        assert "Sandbox payment accounts" not in second
    assert User.objects.filter(is_demo=True, username="admin").exists()


def test_every_receiving_agency_takes_fees_online_and_its_known_fees_make_level_4():
    call_command("load_demo", "--no-forms")
    receiving = receiving_agencies()
    assert receiving.exists()
    assert set(
        GatewayAccount.objects.filter(gateway="sandbox", is_active=True).values_list("agency", flat=True)
    ) == set(receiving.values_list("pk", flat=True))
    assert not receiving.filter(accepts_online_payment=False).exists()
    # A procedure sent online whose fees are all known is level 4 (payable online), where it charges a fee.
    online_with_fees = [
        p
        for p in Procedure.objects.filter(methods__channel="online").distinct()
        if any(f.amount for f in fees_for(p, "online"))
        and all(f.amount is not None for f in fees_for(p, "online"))
    ]
    assert online_with_fees and all(p.online_level == 4 for p in online_with_fees)
    # Demo finance officers, named as the other demo officers: ketoan.<agency slug>.
    finance = OfficerMembership.objects.filter(role=OfficerRole.FINANCE, user__is_demo=True)
    assert finance.filter(user__username="ketoan.tthcc-tinh").exists()


def test_the_postal_tariff_comes_back_when_the_database_lost_it():
    """A migration seeds it, but a database emptied since (a live-server test flushes it) had none: the post
    was offered with no postage, and the full-online journey failed in the whole suite only."""
    from motcua.delivery.models import PostalTariff

    PostalTariff.objects.all().delete()
    call_command("load_demo", "--no-forms")
    tariff = sorted(PostalTariff.objects.values_list("zone", "amount"))
    assert tariff == [("inner", 25_000), ("outer", 35_000)]
    call_command("load_demo", "--no-forms")
    assert PostalTariff.objects.count() == 2
