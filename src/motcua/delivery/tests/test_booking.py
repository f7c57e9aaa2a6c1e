"""A parcel is made when the result of a dossier choosing the post is ready (status 9), and only then; it
is booked with the sandbox carrier over real HTTP on 127.0.0.1 (its own protocol: signed JSON), the
tester's button makes the carrier call our webhook, and delivery returns the dossier (status 10)."""

import pytest
import requests

from motcua.core import tasks
from motcua.delivery.contrib.sandbox import protocol
from motcua.delivery.demo import ensure_demo_tariff
from motcua.delivery.models import SandboxParcel, Shipment, ShipmentStatus
from motcua.dossiers import services
from motcua.dossiers.models import DossierAction, DossierStatus

from .conftest import send, to_result

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing answers there


@pytest.fixture
def carrier_down(settings):
    settings.MOTCUA_POSTAL_SANDBOX_URL = UNREACHABLE
    settings.MOTCUA_PUBLIC_URL = UNREACHABLE


@pytest.fixture
def carrier(settings, live_server):
    """The sandbox carrier and our webhook, both served by a real HTTP server on 127.0.0.1. The tariff a
    migration seeds is entered again: a test on a live server empties the database after it."""
    ensure_demo_tariff()
    settings.MOTCUA_POSTAL_SANDBOX_URL = live_server.url
    settings.MOTCUA_PUBLIC_URL = live_server.url
    return live_server


class TestAParcelOnlyForThePost:
    @pytest.mark.usefixtures("carrier_down")
    def test_none_for_a_result_collected_online_or_at_the_desk(
        self, citizen, procedure, online_form, valid_data, staff
    ):
        for way in ("online", "desk"):
            dossier = to_result(send(citizen, procedure, valid_data, result_delivery=way), staff)
            assert dossier.status == DossierStatus.RESULT_READY
            assert not Shipment.objects.filter(dossier=dossier).exists()

    @pytest.mark.usefixtures("carrier_down")
    def test_none_before_the_result_is_ready(self, by_post, staff):
        services.receive(by_post, by=staff["desk"])
        assert not Shipment.objects.exists()

    @pytest.mark.usefixtures("carrier_down")
    def test_made_at_status_9_with_the_address_and_fee_of_then(
        self, by_post, staff, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):  # the booking runs once this commits
            dossier = to_result(by_post, staff)
        shipment = dossier.shipment
        assert (shipment.service, shipment.fee, shipment.address) == (
            "sandbox",
            25_000,
            by_post.delivery_address,
        )
        # The carrier could not be reached: still waiting, tried again later (after a delay).
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.PENDING and shipment.booking_attempts == 1
        assert "cannot be reached" in shipment.last_error
        assert tasks.deferred, "a retry is queued"
        tasks.deferred.clear()

    @pytest.mark.usefixtures("carrier_down")
    def test_the_desk_is_told_when_the_carrier_never_takes_it(
        self, by_post, staff, django_capture_on_commit_callbacks
    ):
        from motcua.notifications.models import Notification

        with django_capture_on_commit_callbacks(execute=True):
            shipment = to_result(by_post, staff).shipment
        while tasks.deferred:
            with django_capture_on_commit_callbacks(execute=True):
                tasks.run_deferred()
        shipment.refresh_from_db()
        assert shipment.booking_attempts == 5 and shipment.status == ShipmentStatus.PENDING
        assert Notification.objects.filter(
            topic="delivery.parcel_not_booked", recipient=staff["desk"]
        ).exists()

    def test_manual_service_asks_the_desk_to_book(self, settings, by_post, staff):
        from motcua.notifications.models import Notification

        settings.MOTCUA_POSTAL_SERVICE = "manual"
        shipment = to_result(by_post, staff).shipment
        assert shipment.service == "manual" and shipment.status == ShipmentStatus.PENDING
        assert Notification.objects.filter(topic="delivery.parcel_to_book", recipient=staff["desk"]).exists()


@pytest.mark.django_db(transaction=True)
class TestTheSandboxOverHttp:
    def test_booked_moved_and_delivered_end_to_end(
        self, carrier, citizen, procedure, online_form, valid_data, staff, client
    ):
        dossier = to_result(
            send(
                citizen, procedure, valid_data, result_delivery="post",
                delivery_address={"name": "Lê Thị Hoa", "phone": "0912345678", "province": "99",
                                  "commune": "Phường Hải An", "detail": "Số 12 Lê Lợi"},
            ),
            staff,
        )  # fmt: skip
        shipment = Shipment.objects.get(dossier=dossier)
        parcel = SandboxParcel.objects.get()
        assert shipment.status == ShipmentStatus.BOOKED
        assert shipment.tracking_number == parcel.tracking_number and shipment.booked_at
        assert parcel.reference == str(shipment.pk)
        assert parcel.recipient["address"] == "Số 12 Lê Lợi, Phường Hải An, Tỉnh Hải Đông"
        assert parcel.callback_url == f"{carrier.url}/buu-chinh/sandbox/webhook/"

        # The tester's buttons: the carrier calls our webhook over HTTP, signed.
        assert client.post(f"/buu-chinh/sandbox/{parcel.tracking_number}/in_transit/").status_code == 302
        shipment.refresh_from_db()
        assert shipment.status == ShipmentStatus.IN_TRANSIT
        client.post(f"/buu-chinh/sandbox/{parcel.tracking_number}/delivered/")
        shipment.refresh_from_db()
        dossier.refresh_from_db()
        assert shipment.status == ShipmentStatus.DELIVERED and shipment.delivered_at
        assert dossier.status == DossierStatus.RETURNED
        returned = dossier.events.get(action=DossierAction.RETURN_RESULT)
        assert returned.actor is None and returned.detail["method"] == "post"
        assert [e.status for e in shipment.events.all()] == ["in_transit", "delivered"]
        assert all(e.raw.startswith("{") for e in shipment.events.all())  # kept verbatim

    def test_the_carrier_refuses_an_unsigned_order_and_books_a_reference_once(self, carrier):
        url = f"{carrier.url}/buu-chinh/sandbox/api/orders/"
        body = protocol.encode(
            {
                "reference": "77",
                "sender": "UBND",
                "recipient": {"name": "A"},
                "callback_url": f"{carrier.url}/x/",
            }
        )
        forged = requests.post(url, data=body, headers=protocol.signed_headers(body, "wrong"), timeout=10)
        assert forged.status_code == 403
        headers = protocol.signed_headers(body, "motcua-demo-postal-secret")
        first = requests.post(url, data=body, headers=headers, timeout=10)
        again = requests.post(url, data=body, headers=headers, timeout=10)
        assert (first.status_code, again.status_code) == (201, 200)
        assert first.json()["tracking_number"] == again.json()["tracking_number"]
        assert SandboxParcel.objects.count() == 1

    def test_a_retried_booking_makes_no_second_parcel(self, carrier, by_post, staff):
        shipment = to_result(by_post, staff).shipment
        shipment.refresh_from_db()
        from motcua.delivery import services as delivery

        delivery.book(shipment.pk)  # a repeated task: already booked, nothing called
        assert SandboxParcel.objects.count() == 1
