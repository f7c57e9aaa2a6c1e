"""The post's status notices (``/buu-chinh/<service>/webhook/``): believed only when signed, kept verbatim
once per event id, in any order without moving a parcel back; delivery returns the dossier (status 10)
as the system, a failed delivery tells the desk and the applicant."""

import uuid

import pytest

from motcua.audit.models import AuditEntry
from motcua.delivery import services as delivery
from motcua.delivery.contrib.sandbox import protocol
from motcua.delivery.models import ShipmentEvent, ShipmentStatus
from motcua.dossiers.models import DossierAction, DossierStatus
from motcua.notifications.models import Notification

from .conftest import to_result

SECRET = "motcua-demo-postal-secret"
NUMBER = "SB0000000001"
URL = "/buu-chinh/sandbox/webhook/"


@pytest.fixture
def booked(settings, by_post, staff):
    """A dossier whose parcel is booked with the sandbox post under NUMBER (entered by the desk here, so
    that no carrier needs to run)."""
    settings.MOTCUA_POSTAL_SANDBOX_URL = settings.MOTCUA_PUBLIC_URL = "http://127.0.0.1:9"
    dossier = to_result(by_post, staff)
    delivery.enter_tracking(dossier, by=staff["desk"], tracking_number=NUMBER)
    return dossier


def notice(status, *, at="2026-12-07T10:00:00+07:00", event_id=None, number=NUMBER, note="") -> bytes:
    return protocol.encode(
        {
            "tracking_number": number,
            "event_id": event_id or uuid.uuid4().hex,
            "status": status,
            "occurred_at": at,
            "note": note,
        }
    )


def post(client, body: bytes, secret: str = SECRET):
    return client.post(
        URL,
        data=body,
        content_type="application/json",
        headers={protocol.HEADER: protocol.sign(body, secret)},
    )


class TestSignature:
    def test_a_forged_notice_is_refused_logged_and_changes_nothing(self, client, booked):
        answer = post(client, notice("delivered"), secret="guessed")
        assert answer.status_code == 403
        assert AuditEntry.objects.filter(action="delivery.bad_signature").exists()
        assert not ShipmentEvent.objects.exists()
        booked.refresh_from_db()
        assert booked.status == DossierStatus.RESULT_READY

    def test_a_body_changed_after_signing_is_refused(self, client, booked):
        body = notice("failed")
        tampered = body.replace(b"failed", b"delivered")
        answer = client.post(
            URL,
            data=tampered,
            content_type="application/json",
            headers={protocol.HEADER: protocol.sign(body, SECRET)},
        )
        assert answer.status_code == 403

    def test_an_unknown_number_is_not_found(self, client, booked):
        assert post(client, notice("delivered", number="SB404")).status_code == 404

    def test_an_unknown_service_is_not_found(self, client, booked):
        body = notice("delivered")
        answer = client.post(
            "/buu-chinh/khong-co/webhook/", data=body, content_type="application/json",
            headers={protocol.HEADER: protocol.sign(body, SECRET)},
        )  # fmt: skip
        assert answer.status_code == 404


class TestDelivery:
    def test_delivered_returns_the_dossier_as_the_system(self, client, booked):
        body = notice("delivered", note="Người nhận: Lê Thị Hoa")
        assert post(client, body).json() == {"ok": True}
        booked.refresh_from_db()
        assert booked.status == DossierStatus.RETURNED and booked.returned_at
        event = booked.events.get(action=DossierAction.RETURN_RESULT)
        assert (event.actor, event.from_status, event.detail["method"]) == (None, 9, "post")
        assert event.note == "Người nhận: Lê Thị Hoa"
        audit = AuditEntry.objects.get(action="dossier.return_result")
        assert audit.actor is None
        stored = ShipmentEvent.objects.get(status="delivered")
        assert stored.raw == body.decode()  # verbatim

    def test_the_same_notice_100_times_moves_it_once(self, client, booked):
        body = notice("delivered")
        answers = {post(client, body).status_code for _ in range(100)}
        assert answers == {200}
        assert ShipmentEvent.objects.filter(status="delivered").count() == 1
        assert booked.events.filter(action=DossierAction.RETURN_RESULT).count() == 1

    def test_out_of_order_a_late_in_transit_does_not_move_it_back(self, client, booked):
        post(client, notice("delivered", at="2026-12-08T09:00:00+07:00"))
        post(client, notice("in_transit", at="2026-12-07T15:00:00+07:00"))
        shipment = booked.shipment
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.DELIVERED
        assert [e.status for e in shipment.events.all()] == ["in_transit", "delivered"]  # both kept, by time

    def test_an_older_failure_arriving_after_a_newer_attempt_is_only_kept(self, client, booked):
        post(client, notice("in_transit", at="2026-12-08T08:00:00+07:00"))
        post(client, notice("failed", at="2026-12-07T17:00:00+07:00"))
        shipment = booked.shipment
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.IN_TRANSIT

    def test_a_failed_delivery_tells_the_desk_and_the_applicant(self, client, booked, staff, citizen):
        post(client, notice("failed", note="Không liên lạc được người nhận"))
        booked.refresh_from_db()
        assert booked.status == DossierStatus.RESULT_READY  # the result still waits to be handed over
        assert Notification.objects.filter(
            topic="delivery.parcel_failed_desk", recipient=staff["desk"]
        ).exists()
        assert Notification.objects.filter(topic="delivery.parcel_failed", recipient=citizen).exists()

    def test_the_desk_returned_it_first_then_the_post_confirms(self, client, booked, staff):
        from motcua.dossiers import services

        services.return_result(booked, by=staff["desk"], method="post")
        assert post(client, notice("delivered")).status_code == 200
        assert booked.events.filter(action=DossierAction.RETURN_RESULT).count() == 1
