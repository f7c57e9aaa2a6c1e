"""Consultations in the Django admin: read by system administrators only, never changed there (every change
is a step of the services, taken from the back office)."""

import pytest

from .consultation_fixtures import say

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(
        django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    )
    return client


def test_consultations_and_comments_are_read_only(admin_client, consultation, citizen):
    comment = say(consultation, citizen)
    assert consultation.title in admin_client.get("/admin/engagement/consultation/").content.decode()
    page = f"/admin/engagement/consultationcomment/{comment.pk}/change/"
    assert comment.content in admin_client.get(page).content.decode()
    admin_client.post(page, {"status": "approved"})
    comment.refresh_from_db()
    assert comment.status == "pending"
    assert admin_client.get("/admin/engagement/consultation/add/").status_code == 403
