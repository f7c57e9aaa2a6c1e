import pytest
from django.contrib.auth import authenticate, get_user_model

from motcua.accounts.demo import DEMO_PASSWORD, ensure_demo_admin

pytestmark = pytest.mark.django_db


def test_the_demo_admin_can_log_in_to_the_admin(client):
    assert ensure_demo_admin() is True
    user = authenticate(username="admin", password=DEMO_PASSWORD)
    assert user is not None and user.is_superuser
    client.force_login(user)
    assert client.get("/admin/").status_code == 200


def test_a_second_run_keeps_a_changed_password():
    ensure_demo_admin()
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("Another@Secret1")
    admin.save()
    assert ensure_demo_admin() is False
    assert authenticate(username="admin", password="Another@Secret1") is not None
