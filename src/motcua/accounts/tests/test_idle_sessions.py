"""Idle sessions end: officers after MOTCUA_OFFICER_IDLE_MINUTES, citizens after the longer
MOTCUA_CITIZEN_IDLE_MINUTES; each request renews the session (issue 9)."""

import pytest

from motcua.accounts import middleware
from motcua.accounts.models import SecurityEvent

pytestmark = pytest.mark.django_db
PROFILE = "/tai-khoan/"


@pytest.fixture
def clock(monkeypatch):
    """The middleware's clock, moved by hand: ``clock.minutes = 31``."""

    class Clock:
        start = middleware._now()
        minutes = 0.0

        def now(self):
            return self.start + self.minutes * 60

    fake = Clock()
    monkeypatch.setattr(middleware, "_now", fake.now)
    return fake


def signed_in(client) -> bool:
    response = client.get(PROFILE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_an_officer_idle_for_31_minutes_is_signed_out(client, officer, clock):
    client.force_login(officer)
    assert signed_in(client)
    clock.minutes = 31
    response = client.get(PROFILE, follow=True)
    assert response.redirect_chain[0][0].startswith("/tai-khoan/dang-nhap/")
    assert "_auth_user_id" not in client.session
    assert "đăng xuất sau 30 phút không thao tác" in response.content.decode()
    assert SecurityEvent.objects.filter(kind="logout", user=officer).exists()


def test_a_citizen_idle_for_31_minutes_is_not_signed_out_but_is_after_the_longer_time(
    client, citizen, clock, settings
):
    settings.MOTCUA_CITIZEN_IDLE_MINUTES = 240
    client.force_login(citizen)
    assert signed_in(client)
    clock.minutes = 31
    assert signed_in(client)
    clock.minutes = 31 + 241
    assert not signed_in(client)


def test_activity_renews_the_session(client, officer, clock):
    client.force_login(officer)
    for minutes in (0, 20, 40, 60, 80):  # never 30 minutes without a request
        clock.minutes = minutes
        assert signed_in(client)
    clock.minutes = 80 + 31
    assert not signed_in(client)


def test_the_officer_limit_is_a_setting(client, officer, clock, settings):
    settings.MOTCUA_OFFICER_IDLE_MINUTES = 5
    client.force_login(officer)
    assert signed_in(client)
    clock.minutes = 4
    assert signed_in(client)
    clock.minutes = 4 + 6
    assert not signed_in(client)


def test_the_session_itself_expires_with_the_limit(client, officer, citizen, settings):
    client.force_login(officer)
    client.get(PROFILE)
    assert client.session.get_expiry_age() == 30 * 60 + middleware.RENEW_SECONDS
    client.force_login(citizen)
    client.get(PROFILE)
    assert client.session.get_expiry_age() == settings.MOTCUA_CITIZEN_IDLE_MINUTES * 60 + 60
