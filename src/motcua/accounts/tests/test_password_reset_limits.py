"""Password reset e-mails are rate-limited per e-mail address and per client address, with a clear message
that says nothing about whether the address has an account (issue 9)."""

import pytest
from django.core import mail

pytestmark = pytest.mark.django_db
URL = "/tai-khoan/mat-khau/quen/"
DONE = "/tai-khoan/mat-khau/quen/da-gui/"


@pytest.fixture(autouse=True)
def limits(settings):
    settings.MOTCUA_PASSWORD_RESET_PER_EMAIL = 3
    settings.MOTCUA_PASSWORD_RESET_PER_IP = 5


def ask(client, email, ip="198.51.100.1", **extra):
    return client.post(URL, {"email": email}, REMOTE_ADDR=ip, **extra)


def test_one_address_gets_only_so_many_links_an_hour_from_any_client(client, citizen):
    answers = [ask(client, "ha@example.com", ip=f"198.51.100.{n}") for n in range(4)]
    assert [a.status_code for a in answers[:3]] == [302, 302, 302]
    refused = answers[3]
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Quá nhiều yêu cầu đặt lại mật khẩu" in refused.content.decode()
    assert len(mail.outbox) == 3  # the refused request sent nothing
    # The same address in other letters is the same address.
    assert ask(client, " HA@Example.com ", ip="198.51.100.99").status_code == 429
    # Another address is not held up.
    assert ask(client, "someone@example.com", ip="198.51.100.98").status_code == 302


def test_one_client_gets_only_so_many_requests_an_hour(client, citizen):
    answers = [ask(client, f"person{n}@example.com").status_code for n in range(5)]
    assert answers == [302] * 5
    assert ask(client, "ha@example.com").status_code == 429
    assert mail.outbox == []
    # The client over its limit did not use up the address's: the owner elsewhere still gets a link.
    assert ask(client, "ha@example.com", ip="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 1


def test_the_answer_does_not_tell_whether_the_address_has_an_account(client, citizen):
    def answers(email, ip):
        return [(r.status_code, r.get("Location")) for r in (ask(client, email, ip=ip) for _ in range(4))]

    known = answers("ha@example.com", "198.51.100.1")
    unknown = answers("nobody@example.com", "198.51.100.2")
    assert known == unknown == [(302, DONE)] * 3 + [(429, None)]
    refusals = [
        ask(client, email, ip=ip).content.decode().replace(email, "")
        for email, ip in (("ha@example.com", "198.51.100.3"), ("nobody@example.com", "198.51.100.4"))
    ]
    strip_csrf = [page.split("csrfmiddlewaretoken")[0] for page in refusals]
    assert strip_csrf[0] == strip_csrf[1]


def test_behind_the_proxy_the_limit_is_per_client(client, citizen, settings):
    settings.MOTCUA_TRUSTED_PROXIES = ["127.0.0.1"]

    def via_nginx(email, client_address):
        return ask(client, email, ip="127.0.0.1", HTTP_X_FORWARDED_FOR=client_address).status_code

    assert [via_nginx(f"p{n}@example.com", "198.51.100.1") for n in range(6)] == [302] * 5 + [429]
    assert via_nginx("p9@example.com", "198.51.100.2") == 302
