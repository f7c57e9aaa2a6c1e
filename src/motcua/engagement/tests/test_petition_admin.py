"""Petitions in the Django admin: their terms are edited there; the petitions are only read (every change is a
step of the services, taken from the back office), and only by system administrators."""

import pytest

from motcua.engagement.models import Petition, PetitionTerm

pytestmark = pytest.mark.django_db

TERMS = "/admin/engagement/petitionterm/"
PETITIONS = "/admin/engagement/petition/"


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    )
    return client


def test_the_terms_are_edited_with_their_legal_basis(admin_client):
    response = admin_client.post(
        f"{TERMS}add/", {"kind": "petition", "working_days": "15", "note": "Nghị định 20/2008/NĐ-CP, Điều 14"}
    )
    assert response.status_code == 302, response.content.decode()
    term = PetitionTerm.objects.get()
    response = admin_client.post(
        f"{TERMS}{term.pk}/change/", {"kind": "petition", "working_days": "12", "note": term.note}
    )
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.working_days == 12
    assert "Nghị định 20/2008" in admin_client.get(TERMS).content.decode()
    refused = admin_client.post(f"{TERMS}{term.pk}/change/", {"kind": "petition", "working_days": "0"})
    assert refused.status_code == 200  # the form again, with the constraint's error
    term.refresh_from_db()
    assert term.working_days == 12


def test_petitions_are_listed_and_filtered_but_never_written(admin_client, routed, tree):
    listed = admin_client.get(PETITIONS)
    assert listed.status_code == 200 and list(listed.context["cl"].result_list) == [routed]
    assert list(admin_client.get(PETITIONS, {"status__exact": "answered"}).context["cl"].result_list) == []
    assert list(admin_client.get(PETITIONS, {"q": routed.code}).context["cl"].result_list) == [routed]
    page = admin_client.get(f"{PETITIONS}{routed.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read only
    assert admin_client.get(f"{PETITIONS}add/").status_code == 403
    assert admin_client.post(f"{PETITIONS}{routed.pk}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        f"{PETITIONS}{routed.pk}/change/", {"status": "answered", "agency": tree["province"].pk}
    )
    assert response.status_code == 403
    routed.refresh_from_db()
    assert (routed.status, routed.agency) == ("in_hand", tree["commune"])


def test_officers_do_not_read_petitions_in_the_admin(client, routed, people):
    moderator = people["reception"]
    moderator.is_staff = True
    moderator.save(update_fields=["is_staff"])
    client.force_login(moderator)
    assert client.get(PETITIONS).status_code == 403
    assert client.get(f"{PETITIONS}{routed.pk}/change/").status_code == 403
    assert Petition.objects.count() == 1
