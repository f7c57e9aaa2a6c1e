"""Who sees a parcel and who handles it, tried from every side: the applicant and the officers of the
dossier's agency see it, nobody else does (404, as for the dossier); only the desk of the receiving agency
enters its number and its news; public tracking by code shows the carrier and number, nothing personal."""

import pytest

from motcua.accounts.models import OfficerRole
from motcua.delivery.models import ShipmentStatus
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, client_for, make_officer

from .conftest import to_result

NUMBER = "RR123456789VN"


@pytest.fixture
def ready(settings, by_post, staff):
    settings.MOTCUA_POSTAL_SERVICE = "manual"  # the desk books at the counter
    return to_result(by_post, staff)


@pytest.fixture
def outsiders(other_agency, other_citizen):
    return {
        "other citizen": other_citizen,
        "desk of another agency": make_officer("desk.khac", other_agency, role=OfficerRole.DESK),
    }


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)
    return client


class TestSeeing:
    def test_the_applicant_and_the_agency_see_the_parcel(self, ready, citizen, staff, client):
        url = f"/api/v1/dossiers/{ready.code}/shipment/"
        for user in (citizen, staff["desk"], staff["specialist"]):
            answer = client_for(user).get(url)
            assert answer.status_code == 200, user
            assert answer.json()["status"] == "pending" and answer.json()["fee"] == 25_000
        assert "Số 12 đường Lê Lợi" in login(client, citizen).get(f"/ho-so/{ready.code}/").content.decode()

    def test_nobody_else_does(self, ready, outsiders, client):
        for who, user in outsiders.items():
            assert client_for(user).get(f"/api/v1/dossiers/{ready.code}/shipment/").status_code == 404, who
        assert login(client, outsiders["other citizen"]).get(f"/ho-so/{ready.code}/").status_code == 404
        page = login(client, outsiders["desk of another agency"]).get(f"/mot-cua/ho-so/{ready.code}/")
        assert page.status_code == 404

    def test_public_tracking_shows_the_number_but_not_the_address(self, ready, staff, client):
        from motcua.delivery import services as delivery

        delivery.enter_tracking(ready, by=staff["desk"], tracking_number=NUMBER)
        page = client.get("/tra-cuu/", {"code": ready.code}).content.decode()
        assert NUMBER in page
        assert "Lê Lợi" not in page and "0912345678" not in page

    def test_an_online_dossier_has_no_parcel(self, citizen, procedure, online_form, valid_data, staff):
        from .conftest import send

        dossier = to_result(send(citizen, procedure, valid_data), staff)
        assert client_for(citizen).get(f"/api/v1/dossiers/{dossier.code}/shipment/").status_code == 404


class TestHandling:
    def test_only_the_desk_of_the_agency_enters_the_number(self, ready, citizen, staff, outsiders):
        url = f"/api/v1/dossiers/{ready.code}/shipment/tracking/"
        assert client_for(citizen).post(url, {"tracking_number": NUMBER}).status_code == 403
        assert client_for(staff["specialist"]).post(url, {"tracking_number": NUMBER}).status_code == 403
        for who, user in outsiders.items():
            assert client_for(user).post(url, {"tracking_number": NUMBER}).status_code == 404, who
        ready.shipment.refresh_from_db()
        assert ready.shipment.tracking_number == ""
        answer = client_for(staff["desk"]).post(url, {"tracking_number": NUMBER})
        assert answer.status_code == 200 and answer.json()["status"] == "booked"
        assert (
            client_for(staff["desk"]).post(url, {"tracking_number": "X1"}).status_code == 409
        )  # booked already

    def test_the_desk_records_the_delivery_and_the_dossier_is_returned(self, ready, staff, citizen):
        desk = client_for(staff["desk"])
        base = f"/api/v1/dossiers/{ready.code}/shipment/"
        assert desk.post(base + "status/", {"status": "delivered"}).status_code == 409  # no number yet
        desk.post(base + "tracking/", {"tracking_number": NUMBER})
        assert client_for(citizen).post(base + "status/", {"status": "delivered"}).status_code == 403
        answer = desk.post(base + "status/", {"status": "delivered", "note": "Bưu điện báo đã phát"})
        assert answer.status_code == 200 and answer.json()["status"] == ShipmentStatus.DELIVERED
        ready.refresh_from_db()
        assert ready.status == DossierStatus.RETURNED
        assert ready.events.get(action="return_result").actor == staff["desk"]

    def test_the_back_office_page_offers_the_desk_its_forms(self, ready, staff, client):
        page = login(client, staff["desk"]).get(f"/mot-cua/ho-so/{ready.code}/").content.decode()
        assert 'name="tracking_number"' in page
        page = login(client, staff["specialist"]).get(f"/mot-cua/ho-so/{ready.code}/").content.decode()
        assert 'name="tracking_number"' not in page
        # Posting the form anyway changes nothing.
        login(client, staff["specialist"]).post(
            f"/mot-cua/ho-so/{ready.code}/buu-gui/so-hieu/", {"tracking_number": NUMBER}
        )
        ready.shipment.refresh_from_db()
        assert ready.shipment.tracking_number == ""
        login(client, staff["desk"]).post(
            f"/mot-cua/ho-so/{ready.code}/buu-gui/so-hieu/", {"tracking_number": NUMBER}
        )
        ready.shipment.refresh_from_db()
        assert ready.shipment.tracking_number == NUMBER

    def test_the_desk_page_of_another_agency_cannot_post(self, ready, outsiders, client):
        answer = login(client, outsiders["desk of another agency"]).post(
            f"/mot-cua/ho-so/{ready.code}/buu-gui/so-hieu/", {"tracking_number": NUMBER}
        )
        assert answer.status_code == 404
