"""One client address for rate limits, django-axes, the security log and the audit: X-Forwarded-For is
believed exactly as far as MOTCUA_TRUSTED_PROXIES vouch for it (issue 9)."""

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from motcua.audit.models import AuditEntry
from motcua.core import net

NGINX = "127.0.0.1"
BEHIND_NGINX = override_settings(MOTCUA_TRUSTED_PROXIES=[NGINX])


def request(peer, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=peer, **extra)


# --- the rule -------------------------------------------------------------------------------------------


def test_without_trusted_proxies_the_peer_is_the_client_and_the_header_is_ignored():
    assert net.client_ip(request("203.0.113.7")) == "203.0.113.7"
    # A client forging the header is still itself.
    assert net.client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"
    # Behind a proxy nobody declared, every client has the proxy's address (the safe default).
    assert net.client_ip(request(NGINX, "198.51.100.1")) == NGINX


@BEHIND_NGINX
def test_behind_a_trusted_proxy_the_client_is_the_address_it_appended():
    assert net.client_ip(request(NGINX, "198.51.100.1")) == "198.51.100.1"
    assert net.client_ip(request(NGINX, "198.51.100.1, 198.51.100.2")) == "198.51.100.2"


@BEHIND_NGINX
def test_a_spoofed_header_does_not_move_the_client():
    # The client wrote "10.1.1.1, 127.0.0.1"; nginx appended the real address.
    assert net.client_ip(request(NGINX, "10.1.1.1, 127.0.0.1, 203.0.113.50")) == "203.0.113.50"
    # Sent straight to the application, past the proxy: the header counts for nothing.
    assert net.client_ip(request("203.0.113.50", "127.0.0.1, 10.9.9.9")) == "203.0.113.50"


@override_settings(MOTCUA_TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48"])
def test_a_chain_of_trusted_proxies_is_walked_from_the_right():
    assert net.client_ip(request(NGINX, "198.51.100.9, 10.2.3.4, 10.0.0.1")) == "198.51.100.9"
    assert net.client_ip(request("2001:db8:ffff::1", "2001:db8:1::5")) == "2001:db8:1::5"
    assert net.client_ip(request(NGINX, "[2001:db8:1::5]:443, 203.0.113.4:5123")) == "203.0.113.4"
    assert net.client_ip(request(NGINX, "::ffff:198.51.100.3")) == "198.51.100.3"
    # Every hop trusted: the request came from a proxy itself.
    assert net.client_ip(request(NGINX, "10.0.0.2")) == "10.0.0.2"
    assert net.client_ip(request(NGINX)) == NGINX


@BEHIND_NGINX
def test_garbage_in_the_chain_stops_at_the_last_trusted_hop():
    assert net.client_ip(request(NGINX, "unknown")) == NGINX
    assert net.client_ip(request(NGINX, "")) == NGINX
    assert net.client_ip(request("not-an-address")) is None
    assert net.client_ip(None) is None


def test_a_malformed_setting_is_refused():
    with override_settings(MOTCUA_TRUSTED_PROXIES=["nginx.local"]), pytest.raises(ImproperlyConfigured):
        net.trusted_proxies()
    with override_settings(MOTCUA_TRUSTED_PROXIES="127.0.0.1, 10.0.0.0/8"):
        assert len(net.trusted_proxies()) == 2


@BEHIND_NGINX
def test_wsgi_environ_and_asgi_scope_follow_the_same_rule():
    environ = {"REMOTE_ADDR": NGINX, "HTTP_X_FORWARDED_FOR": "10.1.1.1, 198.51.100.8"}
    assert net.environ_client_ip(environ) == "198.51.100.8"
    scope = {
        "client": (NGINX, 51000),
        "headers": [(b"x-forwarded-for", b"10.1.1.1"), (b"x-forwarded-for", b"198.51.100.8")],
    }
    assert net.scope_client_ip(scope) == "198.51.100.8"
    assert net.scope_client_ip({"client": ("198.51.100.8", 1), "headers": []}) == "198.51.100.8"
    with override_settings(MOTCUA_TRUSTED_PROXIES=[]):
        assert net.environ_client_ip(environ) == NGINX and net.scope_client_ip(scope) == NGINX


# --- where it is used -----------------------------------------------------------------------------------


def track(client, n, forwarded):
    return client.get(
        f"/api/v1/tracking/X-260101-{n:04d}/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded
    ).status_code


@pytest.mark.django_db
def test_behind_nginx_each_client_has_its_own_tracking_limit(client, settings):
    settings.MOTCUA_TRACKING_RATE = 3
    settings.MOTCUA_TRUSTED_PROXIES = [NGINX]
    assert [track(client, n, "198.51.100.1") for n in range(4)] == [404, 404, 404, 429]
    assert track(client, 9, "198.51.100.2") == 404  # another citizen of the province
    # Forging the header before nginx appends the real address does not give a new bucket.
    assert track(client, 10, "198.51.100.77, 198.51.100.1") == 429


@pytest.mark.django_db
def test_without_trusted_proxies_a_forged_header_does_not_escape_the_limit(client, settings):
    settings.MOTCUA_TRACKING_RATE = 3
    assert [track(client, n, f"198.51.100.{n}") for n in range(4)] == [404, 404, 404, 429]


@pytest.mark.django_db
def test_the_verification_limit_uses_the_same_address(client, settings):
    settings.MOTCUA_VERIFY_RATE = 1
    settings.MOTCUA_TRUSTED_PROXIES = [NGINX]

    def verify(forwarded):
        return client.get(
            "/xac-minh/7K2M9QXD4HNB/", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded
        ).status_code

    assert [verify("198.51.100.1"), verify("198.51.100.1")] == [404, 429]
    assert verify("198.51.100.2") == 404


@pytest.mark.django_db
@BEHIND_NGINX
def test_axes_and_the_security_log_see_the_client_behind_nginx(client, django_user_model):
    from motcua.accounts.models import SecurityEvent

    django_user_model.objects.create_user("001190012345", password="Ha-Noi-mua-thu-2025")
    client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "001190012345", "password": "wrong"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="198.51.100.23",
    )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.23"
    event = SecurityEvent.objects.get(kind="login_failed")
    assert event.ip == "198.51.100.23"
    assert AuditEntry.objects.get(action="auth.login_failed").ip == "198.51.100.23"


@pytest.mark.django_db
@BEHIND_NGINX
def test_the_admin_s_audit_entries_see_the_client_behind_nginx(client, django_user_model):
    admin = django_user_model.objects.create_superuser("quantri", "quantri@example.vn", "mat-khau-dai-123")
    client.force_login(admin)
    client.post(
        "/admin/auth/group/add/",
        {"name": "Văn thư"},
        REMOTE_ADDR=NGINX,
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.40",
    )
    assert AuditEntry.objects.get(action="admin.add").ip == "198.51.100.40"
