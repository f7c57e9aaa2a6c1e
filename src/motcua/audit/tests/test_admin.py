"""The audit log in the admin (system administrators only, read-only), and the admin's own changes logged."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from motcua.audit import selectors, services
from motcua.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/audit/auditentry/"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def staff_officer(django_user_model):
    """An officer trusted with everything in the admin, every audit permission included."""
    user = django_user_model.objects.create_user(
        "lanhdao.so-tu-phap", password="mat-khau-dai-123", is_staff=True
    )
    user.user_permissions.set(Permission.objects.all())
    return user


def admin_entries():
    return list(AuditEntry.objects.filter(action__startswith="admin.").order_by("seq"))


def listed(response) -> list[int]:
    return [entry.seq for entry in response.context["cl"].result_list]


def test_a_staff_officer_with_every_permission_cannot_see_the_log(client, staff_officer, officer):
    entry = services.record("citizen.view", actor=officer, target_label="030090012345")
    client.force_login(staff_officer)
    assert client.get("/admin/auth/group/").status_code == 200  # the admin itself is open to them
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(f"{CHANGELIST}{entry.seq}/change/").status_code == 403
    assert client.get("/admin/audit/").status_code == 404  # no app page for an app with nothing to show
    assert CHANGELIST not in client.get("/admin/").content.decode()


def test_a_system_administrator_lists_filters_and_searches(admin_client, officer, citizen):
    view = services.record("citizen.view", actor=officer, ip="203.113.0.7", target=citizen)
    submit = services.record(
        "dossier.submit", actor=citizen, target=("dossiers.dossier", 7), target_label="H26-1"
    )
    assert CHANGELIST in admin_client.get("/admin/").content.decode()
    everything = listed(admin_client.get(CHANGELIST))
    assert view.seq in everything and submit.seq in everything  # with the superuser's own auth.login

    assert listed(admin_client.get(CHANGELIST, {"q": "motcua.tthcc-tinh"})) == [view.seq]
    assert listed(admin_client.get(CHANGELIST, {"q": "H26-1"})) == [submit.seq]
    assert listed(admin_client.get(CHANGELIST, {"q": "203.113.0.7"})) == [view.seq]
    assert listed(admin_client.get(CHANGELIST, {"q": str(citizen.pk)})) == [view.seq]  # the target ID
    assert listed(admin_client.get(CHANGELIST, {"area": "dossier"})) == [submit.seq]
    assert set(selectors.action_prefixes()) == {"auth", "citizen", "dossier"}
    today = timezone.localtime(view.at).replace(hour=0, minute=0, second=0, microsecond=0)
    assert set(listed(admin_client.get(CHANGELIST, {"at__gte": str(today)}))) >= {view.seq, submit.seq}
    assert listed(admin_client.get(CHANGELIST, {"at__lt": str(today)})) == []

    detail = admin_client.get(f"{CHANGELIST}{view.seq}/change/")
    assert detail.status_code == 200 and view.hash in detail.content.decode()


def test_nobody_adds_changes_or_deletes_entries_in_the_admin(admin_client, officer):
    entry = services.record("dossier.submit", actor=officer)
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST}{entry.seq}/delete/", {"post": "yes"}).status_code == 403
    response = admin_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [entry.seq], "post": "yes"}
    )
    assert response.status_code == 200  # no action is offered, so the list is shown again
    assert AuditEntry.objects.filter(seq=entry.seq).exists()


def test_an_admin_change_is_logged_with_who_what_and_from_where(admin_client, superuser):
    admin_client.post("/admin/auth/group/add/", {"name": "Văn thư"})
    group = Group.objects.get()
    admin_client.post(f"/admin/auth/group/{group.pk}/change/", {"name": "Văn thư sở"})
    admin_client.post(f"/admin/auth/group/{group.pk}/delete/", {"post": "yes"})

    added, changed, deleted = admin_entries()
    assert [added.action, changed.action, deleted.action] == ["admin.add", "admin.change", "admin.delete"]
    assert changed.actor == superuser and changed.actor_username == "quantri"
    assert changed.ip == "127.0.0.1"  # the test client's REMOTE_ADDR
    assert (changed.target_type, changed.target_id, changed.target_label) == (
        "auth.group",
        str(group.pk),
        "Văn thư sở",
    )
    assert changed.detail["message"] == [{"changed": {"fields": ["Name"]}}]
    assert added.detail["message"] == [{"added": {}}]
    assert selectors.verify_chain().ok


def test_deleting_several_objects_at_once_logs_each_of_them_once(admin_client):
    groups = [Group.objects.create(name=name) for name in ("Một cửa", "Chuyên viên", "Lãnh đạo")]
    response = admin_client.post(
        "/admin/auth/group/",
        {"action": "delete_selected", "_selected_action": [g.pk for g in groups[:2]], "post": "yes"},
    )
    assert response.status_code == 302 and Group.objects.get() == groups[2]
    admin_client.post(
        "/admin/auth/group/", {"action": "delete_selected", "_selected_action": [groups[2].pk], "post": "yes"}
    )
    deleted = admin_entries()
    assert [e.action for e in deleted] == ["admin.delete"] * 3
    assert sorted(e.target_label for e in deleted) == ["Chuyên viên", "Lãnh đạo", "Một cửa"]
