import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_a_browser_set_to_english_still_gets_vietnamese(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body
    assert "Thủ tục hành chính và dịch vụ công trực tuyến" in body


def test_the_language_switch_still_chooses_english(client):
    response = client.get("/ngon-ngu/en/", {"next": "/linh-vuc/"})
    assert response.status_code == 302 and response["Location"] == "/linh-vuc/"
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in body
    assert "Administrative procedures and online public services" in body


def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="vi">' in client.get("/").content.decode()


def test_the_switch_never_redirects_to_another_site(client):
    response = client.get("/ngon-ngu/en/", {"next": "https://evil.example/phish"})
    assert response["Location"] == "/"


def test_an_unknown_language_in_the_switch_is_a_404(client):
    assert client.get("/ngon-ngu/xx/").status_code == 404


def test_the_api_still_follows_accept_language(client):
    response = client.get("/api/v1/procedures/", {"sector": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Unknown sector" in response.json()["errors"]["sector"][0]
