"""Which agencies an officer works for, and roles."""

import pytest
from django.contrib.auth.models import AnonymousUser

from motcua.accounts.models import AccountKind, OfficerMembership, OfficerRole, User
from motcua.accounts.selectors import has_role, officer_agencies
from motcua.catalog.models import Agency

pytestmark = pytest.mark.django_db


def test_an_officer_sees_only_the_agencies_of_their_memberships(agency, officer):
    commune = Agency.objects.create(code="001.00.30.H99", slug="ubnd-a", name="UBND A", level="commune")
    Agency.objects.create(code="002.00.30.H99", slug="ubnd-b", name="UBND B", level="commune")
    OfficerMembership.objects.create(user=officer, agency=commune, role=OfficerRole.LEADER)
    assert set(officer_agencies(officer)) == {agency, commune}
    assert list(officer_agencies(officer, role=OfficerRole.LEADER)) == [commune]
    assert has_role(officer, agency, OfficerRole.DESK) and has_role(officer, commune.pk, OfficerRole.LEADER)
    assert not has_role(officer, commune, OfficerRole.DESK)


def test_strangers_see_nothing_and_a_system_administrator_sees_everything(agency, citizen):
    assert not officer_agencies(citizen).exists() and not officer_agencies(AnonymousUser()).exists()
    assert not has_role(AnonymousUser(), agency, OfficerRole.DESK)
    root = User.objects.create_superuser("root", "root@example.com", "x-Long-Password-1")
    assert root.kind == AccountKind.ADMIN
    assert list(officer_agencies(root)) == [agency]


def test_a_disabled_officer_sees_nothing(agency, officer):
    officer.is_active = False
    officer.save()
    assert not officer_agencies(officer).exists() and not has_role(officer, agency, OfficerRole.DESK)
