"""The portal's own error pages (400, 403, a refused form, 404, 500): in its look, light, and never Django's
technical pages with the site's addresses, which DEBUG=1 showed on the demo."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def looks_like_the_portal(body: str) -> None:
    assert "Cổng Dịch vụ công tỉnh Hải Đông" in body and "portal/portal.css" in body
    assert '<meta name="viewport"' in body
    assert "URLconf" not in body and "Traceback" not in body and "technical" not in body.lower()


def test_a_host_that_is_not_allowed_gets_the_friendly_400(client):
    response = client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    body = html(response)
    assert "Rất tiếc, hệ thống không hiểu được yêu cầu này" in body and "Mã lỗi: 400" in body
    looks_like_the_portal(body)


def test_the_api_gets_a_json_400(client):
    response = client.get("/api/v1/procedures/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert response.json() == {"detail": "Yêu cầu không hợp lệ."}


def test_a_refused_permission_gets_the_friendly_403(client, catalogue, monkeypatch):
    from motcua.catalog import selectors

    def refused(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr(selectors, "procedure_detail", refused)
    response = client.get("/thu-tuc/1.001193/")
    assert response.status_code == 403
    body = html(response)
    assert "Rất tiếc, ông/bà không được phép xem trang này" in body and "Mã lỗi: 403" in body
    assert 'href="/tai-khoan/dang-nhap/?next=/thu-tuc/1.001193/"' in body
    looks_like_the_portal(body)


def test_a_form_sent_without_its_csrf_token_gets_an_explanation():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "congdan", "password": "x"})
    assert response.status_code == 403
    body = html(response)
    assert "Rất tiếc, biểu mẫu chưa gửi được" in body and "tải lại trang" in body
    looks_like_the_portal(body)


def test_the_404_page_is_the_portals_with_debug_off(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    body = html(response)
    looks_like_the_portal(body)
    assert "thu-tuc/&lt;str:code&gt;" not in body and "api/v1/" not in body
