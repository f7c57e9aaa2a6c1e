"""The outbox in the admin: read-only records, filters, and "retry now"."""

import pytest
from django.core import mail

from motcua.notifications.models import Delivery, DeliveryStatus

from .conftest import CODE, submit

pytestmark = [pytest.mark.django_db, pytest.mark.urls("motcua.notifications.tests.urls")]


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", None)
    client.force_login(user)
    return client


@pytest.fixture
def failed(settings, citizen, committed):
    """A submission e-mail that gave up while the mail server was down."""
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with committed():
        notification = submit(citizen)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return notification.deliveries.get(channel="email")


def test_a_notification_shows_its_deliveries_and_attempts_and_cannot_be_edited(admin_client, failed):
    page = admin_client.get(f"/admin/notifications/notification/{failed.notification_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Hồ sơ {CODE}: Mới đăng ký" in html and "ConnectionRefusedError" in html
    assert 'name="_save"' not in html
    assert admin_client.get("/admin/notifications/notification/add/").status_code == 403


def test_the_outbox_is_filtered_by_status_channel_and_topic(admin_client, failed):
    deliveries = "/admin/notifications/delivery/"
    assert list(admin_client.get(f"{deliveries}?status=failed").context["cl"].result_list) == [failed]
    assert admin_client.get(f"{deliveries}?status=failed&channel=in_app").context["cl"].result_count == 0
    by_topic = admin_client.get(f"{deliveries}?notification__topic=dossier.submitted")
    assert by_topic.context["cl"].result_count == 2  # the e-mail and the in-app message
    notifications = "/admin/notifications/notification/"
    assert admin_client.get(f"{notifications}?deliveries__status=failed").context["cl"].result_count == 1


def test_retry_now_sends_a_delivery_that_gave_up(admin_client, failed, committed):
    with committed():
        response = admin_client.post(
            "/admin/notifications/delivery/",
            {"action": "retry_now", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert "Đã đưa 1 lượt gửi vào hàng đợi để gửi lại." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.SENT and failed.attempts == 2
    assert len(mail.outbox) == 1


def test_retry_now_from_the_notification_leaves_sent_deliveries_alone(admin_client, failed, committed):
    with committed():
        admin_client.post(
            "/admin/notifications/notification/",
            {"action": "retry_now", "_selected_action": [failed.notification_id]},
        )
    assert len(mail.outbox) == 1
    assert Delivery.objects.get(channel="in_app").attempts == 1
