"""``notify``: what is written in the caller's transaction, by which channels, and how sending behaves."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.utils.translation import gettext_lazy

from motcua.core import tasks as core_tasks
from motcua.notifications import selectors, services, tasks
from motcua.notifications.models import Channel, Delivery, DeliveryStatus, Notification

from . import attachments
from .conftest import CODE, submit, time_passes

pytestmark = pytest.mark.django_db


def channels(notification) -> set[str]:
    return set(notification.deliveries.values_list("channel", flat=True))


def test_a_notification_is_rendered_in_both_languages_and_sent_only_after_the_commit(
    citizen, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        notification = submit(citizen, about=agency)
        assert mail.outbox == []  # not before the caller's transaction commits

    # In the words of the status: "Mới đăng ký", not "received" before an officer has received it.
    assert notification.title_vi == f"Hồ sơ {CODE}: Mới đăng ký"
    assert notification.title_en == f"Dossier {CODE}: Newly submitted"
    assert f"{CODE} (“Thủ tục đăng ký khai sinh”, UBND xã Tân Phong): Mới đăng ký." in notification.body_vi
    # The inbox shows this text: it has no files, so the text never speaks of them (the e-mail does).
    assert "đính kèm" not in notification.body_vi and "attach" not in notification.body_en
    assert f"Hồ sơ của ông/bà: http://127.0.0.1:8000/ho-so/{CODE}/" in notification.body_vi
    assert notification.body_vi.startswith("Kính gửi ông/bà Nguyễn Văn An,")
    assert notification.body_en.startswith("Dear Nguyễn Văn An,")
    assert (notification.email, notification.phone) == ("an@example.vn", "0912345678")  # the account's
    assert (notification.subject_type, notification.subject_id) == ("catalog.agency", str(agency.pk))
    assert notification.link == f"/ho-so/{CODE}/" and notification.topic == "dossier.submitted"
    assert list(selectors.notifications_about(agency)) == [notification]
    assert len(callbacks) == 1  # one task: the e-mail; the in-app message is delivered with the row

    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["an@example.vn"] and message.attachments[0][0] == f"giay-tiep-nhan-{CODE}.pdf"
    assert {d.channel: d.status for d in notification.deliveries.all()} == {"in_app": "sent", "email": "sent"}


def test_a_rolled_back_caller_leaves_no_notification_and_sends_nothing(citizen, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        submit(citizen)
        raise RuntimeError("the dossier could not be saved")
    assert not Notification.objects.exists() and not Delivery.objects.exists()
    assert mail.outbox == []


def test_the_channels_follow_what_the_person_can_be_reached_by(settings, citizen, committed):
    assert channels(submit(citizen)) == {"in_app", "email"}  # SMS is off by default
    settings.MOTCUA_SMS_ENABLED = True
    assert channels(submit(citizen)) == {"in_app", "email", "sms"}
    # A dossier received at the counter from an applicant without an account.
    assert channels(submit(email="khach@example.vn", phone="0987654321")) == {"email", "sms"}
    assert channels(submit(phone="0987654321")) == {"sms"}
    assert channels(submit(citizen, channels=["in_app"])) == {"in_app"}
    assert channels(submit(citizen, email="not an address")) == {"in_app", "sms"}  # left out, logged
    assert submit() is None and submit(channels=["email"], email="") is None  # nobody to tell


def test_the_callers_mistakes_raise_before_anything_is_written(citizen):
    with pytest.raises(TypeError):
        submit(citizen, attachments=[(attachments.receipt, [CODE])])  # a function, not its maker's name
    with pytest.raises(TypeError):
        submit(citizen, attachments=[("test.receipt", [object()])])  # arguments that are not JSON
    with pytest.raises(ValueError, match=r"motcua\.documents\.services\.receipt_attachment"):
        # A dotted path is no longer a way in: only makers registered by name make files.
        submit(citizen, attachments=[("motcua.documents.services.receipt_attachment", [CODE])])
    with pytest.raises(ValueError, match="fax"):
        submit(citizen, channels=["fax"])
    for link in ("https://elsewhere.example/", "//elsewhere.example/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="path on the portal"):
            submit(citizen, link=link)
    with pytest.raises(TemplateDoesNotExist):
        submit(citizen, template="dossier_lost")
    assert not Notification.objects.exists()


def test_an_attachment_that_cannot_be_made_yet_is_a_failed_attempt_retried_later(citizen, committed):
    attachments.flaky["failures"] = 1
    with committed():
        notification = submit(citizen, receipt="flaky_receipt")
    delivery = notification.deliveries.get(channel=Channel.EMAIL)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error == "RuntimeError: the PDF renderer is not ready"
    assert mail.outbox == []

    time_passes()
    with committed():
        core_tasks.run_deferred()
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert [name for name, _content, _type in mail.outbox[0].attachments] == [f"giay-tiep-nhan-{CODE}.pdf"]


def test_an_attachment_maker_may_have_nothing_to_attach(citizen, committed):
    with committed():
        submit(citizen, receipt="nothing")
    [message] = mail.outbox
    assert message.attachments == []


def test_files_go_only_to_an_address_the_account_has_verified(citizen, committed):
    citizen.email_verified_at = None
    citizen.save()
    with committed():
        submit(citizen)  # an account's address never checked: perhaps mistyped, perhaps a stranger's
        submit(citizen, email="other@example.vn")  # not the account's own address
        submit(None, email="desk@example.vn")  # no account: the officer at the desk wrote it down
    unverified, other, desk = mail.outbox
    assert unverified.to == ["an@example.vn"] and unverified.attachments == []
    assert other.attachments == []
    assert [name for name, _content, _type in desk.attachments] == [f"giay-tiep-nhan-{CODE}.pdf"]


def test_sending_twice_sends_once(citizen, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():  # the task was lost: not run after the commit
        notification = submit(citizen)
    delivery = notification.deliveries.get(channel=Channel.EMAIL)
    assert tasks.send_delivery(delivery.pk) == "sent"
    assert tasks.send_delivery(delivery.pk) == "skipped"
    assert len(mail.outbox) == 1


def test_a_delivery_another_worker_is_sending_waits_until_that_worker_is_presumed_dead(
    settings, citizen, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    settings.MOTCUA_NOTIFY_CLAIM_SECONDS = 300
    with django_capture_on_commit_callbacks():
        delivery = submit(citizen).deliveries.get(channel=Channel.EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - timedelta(seconds=100))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_delivery(delivery.pk) == "held"
    # It comes back as the claim expires (in about 200 s), in case that worker died.
    [(task, args, _kwargs, _request_id)] = core_tasks.deferred
    assert (task, args) == (tasks.send_delivery, (delivery.pk,))
    assert mail.outbox == []
    Delivery.objects.filter(pk=delivery.pk).update(claimed_at=timezone.now() - tasks.claim_timeout() * 2)
    assert tasks.send_delivery(delivery.pk) == "sent"


def test_the_sweep_sends_what_a_lost_task_left_behind(citizen, committed):
    # Outside committed(): the tasks are queued but never run, as when a worker restarts before its turn.
    lost = [submit(citizen, channels=["email"]).deliveries.get() for _ in range(2)]
    assert selectors.due_delivery_ids() == [delivery.pk for delivery in lost]
    with committed():
        assert tasks.send_due_deliveries() == 0  # just made: their own tasks are normally on their way
    time_passes(hours=1)
    with committed():
        assert tasks.send_due_deliveries() == 2
    assert len(mail.outbox) == 2
    assert selectors.due_delivery_ids() == []


def test_the_command_sends_what_is_due_now(citizen, capsys):
    submit(citizen, channels=["email"])
    call_command("send_notifications")
    assert len(mail.outbox) == 1
    assert "Đã gửi: 1. Sẽ gửi lại sau: 0. Ngừng gửi: 0. Bỏ qua: 0." in capsys.readouterr().out


def test_the_status_label_follows_each_language_when_given_lazily(citizen):
    notification = services.notify(
        topic="dossier.status_changed",
        template="dossier_status_changed",
        context={
            "code": CODE,
            "procedure_name": "Thủ tục đăng ký khai sinh",
            # The dossier app passes its Status label, a lazy string; "Sent" stands in for it here.
            "status_label": gettext_lazy("Sent"),
            "note": "Đề nghị bổ sung bản sao giấy chứng sinh.",
        },
        recipient=citizen,
        link=f"/ho-so/{CODE}/",
    )
    assert notification.title_vi == f"Hồ sơ {CODE}: Đã gửi"
    assert notification.title_en == f"Dossier {CODE}: Sent"
    assert "Ý kiến của cơ quan: Đề nghị bổ sung bản sao giấy chứng sinh." in notification.body_vi
    assert f"Hồ sơ của ông/bà: http://127.0.0.1:8000/ho-so/{CODE}/" in notification.body_vi
    assert f"Dossier {CODE} (“Thủ tục đăng ký khai sinh”): Sent." in notification.body_en


def test_a_template_with_an_html_body_sends_both_languages_as_html_too(settings, citizen, committed):
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], Path(__file__).parent / "templates"]}]
    with committed():
        notification = services.notify(
            topic="test.html", template="test_html", context={"name": "<An>"}, recipient=citizen, link="/x/"
        )
    assert '<div lang="vi"><p><a href="http://127.0.0.1:8000/x/">Xem</a> &lt;An&gt;</p>' in (
        notification.body_html
    )
    assert '<div lang="en"><p><a href="http://127.0.0.1:8000/x/">Open</a> &lt;An&gt;</p>' in (
        notification.body_html
    )
    [message] = mail.outbox
    assert message.body.startswith("Xem: http://127.0.0.1:8000/x/")
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Thư này được gửi tự động." in html and "sent automatically" in html
