"""The invitation to rate (mời đánh giá): when a dossier's result is handed over (10), its applicant is told,
by the channels ``notifications.notify`` chooses, with a link to the rating section of the dossier's page;
written with the hand-over and sent after its commit. Nobody is invited for a dossier without an account."""

import pytest
from django.core import mail
from django.utils import translation

from motcua.dossiers import services as dossier_services
from motcua.notifications.models import Channel, Notification

pytestmark = pytest.mark.django_db
TOPIC = "engagement.rating_invited"
SITE = "https://dichvucong.haidong.gov.vn"


@pytest.fixture(autouse=True)
def _public_url(settings):
    settings.MOTCUA_PUBLIC_URL = f"{SITE}/"


def invitations():
    return list(Notification.objects.filter(topic=TOPIC))


def test_the_applicant_is_invited_once_the_result_is_handed_over(
    sent, staff, citizen, django_capture_on_commit_callbacks
):
    dossier_services.receive(sent, by=staff["desk"])
    dossier_services.reject(sent, by=staff["leader"], note="Không đủ điều kiện.")
    assert invitations() == []  # a result ready is not yet in the applicant's hands
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier_services.return_result(sent, by=staff["desk"], method="desk")
        assert len(mail.outbox) == 0  # nothing leaves before the commit
    assert callbacks
    [invitation] = invitations()
    assert invitation.recipient == citizen and invitation.subject_id == str(sent.pk)
    assert invitation.link == f"/ho-so/{sent.code}/#danh-gia"
    assert {d.channel for d in invitation.deliveries.all()} == {Channel.IN_APP, Channel.EMAIL}
    with translation.override("en"):
        assert sent.code in invitation.title_en
    assert f"{SITE}/ho-so/{sent.code}/#danh-gia" in invitation.body_en
    assert "1 to 5" in invitation.body_en
    sent_mail = [m for m in mail.outbox if sent.code in m.subject and citizen.email in m.to]
    assert any(f"{SITE}/ho-so/{sent.code}/#danh-gia" in m.body for m in sent_mail)


def test_a_rolled_back_hand_over_invites_nobody(sent, staff, monkeypatch):
    from motcua.engagement import services

    dossier_services.receive(sent, by=staff["desk"])
    dossier_services.reject(sent, by=staff["leader"], note="Không đủ điều kiện.")

    def fail_after(dossier):
        real(dossier)
        raise RuntimeError("later failure in the same transaction")

    real = services.invite_to_rate
    monkeypatch.setattr(services, "invite_to_rate", fail_after)
    with pytest.raises(RuntimeError):
        dossier_services.return_result(sent, by=staff["desk"], method="desk")
    assert invitations() == []


def test_a_refusal_brings_no_invitation_but_the_page_offers_the_rating(refused, citizen):
    from motcua.engagement import selectors

    assert invitations() == []
    assert selectors.can_rate(refused, citizen)


def test_a_counter_dossier_without_an_account_is_skipped_without_error(staff, procedure, agency):
    dossier = dossier_services.register_at_counter(
        officer=staff["desk"], procedure=procedure, agency=agency, channel="in_person",
        applicant={"name": "Lê Văn Hùng", "id_number": "030080012345", "kind": "citizen",
                   "email": "hung@example.com"},
    )  # fmt: skip
    dossier = dossier_services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện.")
    returned = dossier_services.return_result(dossier, by=staff["desk"], method="desk")
    assert returned.status == 10
    assert invitations() == []


def test_a_counter_dossier_of_an_account_holder_invites_them(staff, procedure, agency, citizen):
    dossier = dossier_services.register_at_counter(
        officer=staff["desk"], procedure=procedure, agency=agency, channel="in_person",
        applicant_user=citizen,
        applicant={"name": citizen.full_name, "id_number": citizen.username, "kind": "citizen"},
    )  # fmt: skip
    dossier = dossier_services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện.")
    dossier_services.return_result(dossier, by=staff["desk"], method="desk")
    [invitation] = invitations()
    assert invitation.recipient == citizen


def test_the_invitation_comes_after_the_status_message(returned, citizen):
    topics = list(
        Notification.objects.filter(recipient=citizen).order_by("id").values_list("topic", flat=True)
    )
    assert topics[-2:] == ["dossier.status_changed", TOPIC]
