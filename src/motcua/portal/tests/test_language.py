import pytest
from django.conf import settings
from django.test import override_settings

pytestmark = pytest.mark.django_db

CHOSEN_LANGUAGE_MIDDLEWARE = [
    "motcua.portal.middleware.ChosenLanguageMiddleware"
    if name == "django.middleware.locale.LocaleMiddleware"
    else name
    for name in settings.MIDDLEWARE
]


@override_settings(MIDDLEWARE=CHOSEN_LANGUAGE_MIDDLEWARE)
def test_a_browser_set_to_english_still_gets_vietnamese(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body
    assert "Thủ tục hành chính và dịch vụ công trực tuyến" in body


@override_settings(MIDDLEWARE=CHOSEN_LANGUAGE_MIDDLEWARE)
def test_the_language_switch_still_chooses_english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert '<html lang="en">' in body
    assert "Administrative procedures and online public services" in body


@override_settings(MIDDLEWARE=CHOSEN_LANGUAGE_MIDDLEWARE)
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="vi">' in client.get("/").content.decode()
