"""The finance officers' page and its API: totals per agency, day and gateway, the payments list, the
statement upload and the XLSX export, for finance officers and leaders of their agency tree only."""

import io

import pytest
from openpyxl import load_workbook

from motcua.accounts.models import OfficerRole
from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.tests.fixtures import client_for, make_officer
from motcua.payments.models import PaymentState
from motcua.payments.services.statements import import_statement
from motcua.payments.tests.conftest import bank_statement

pytestmark = pytest.mark.django_db
URL = "/mot-cua/thanh-toan/"
PERIOD = "?tu-ngay=2026-03-01&den-ngay=2026-03-31"


@pytest.fixture
def paid(transfer, vietqr_account, staff):
    data = bank_statement(("02/03/2026", 150_000, transfer.reference))
    import_statement(account=vietqr_account, data=data, filename="s.csv", by=staff["finance"])
    transfer.refresh_from_db()
    assert transfer.state == PaymentState.PAID
    return transfer


@pytest.fixture
def province_leader(agency):
    """A leader of the province department the commune is under: sees the commune's money too."""
    province = make_agency(code="000.00.00.H26", slug="so-tai-chinh", name="Sở Tài chính", level="province")
    agency.parent = province
    agency.save(update_fields=["parent"])
    return make_officer("lanhdao.so", province, role=OfficerRole.LEADER)


def test_finance_officers_and_leaders_see_the_totals(client, paid, staff, province_leader):
    for user in (staff["finance"], staff["leader"], province_leader):
        client.force_login(user)
        response = client.get(URL + PERIOD)
        assert response.status_code == 200
        page = response.content.decode()
        assert "150.000" in page and paid.reference in page and "02/03/2026" in page
        assert "style=" not in page and "<script" not in page
    # Only the finance officer of the account's agency gets the statement upload.
    client.force_login(staff["finance"])
    assert 'name="file"' in client.get(URL).content.decode()
    client.force_login(staff["leader"])
    assert 'name="file"' not in client.get(URL).content.decode()


def test_the_home_page_links_it_for_those_roles_only(client, staff):
    client.force_login(staff["finance"])
    assert URL in client.get("/mot-cua/").content.decode()
    client.force_login(staff["desk"])
    assert URL not in client.get("/mot-cua/").content.decode()


def test_others_are_turned_away(client, paid, staff, citizen, other_agency):
    assert client.get(URL).status_code == 302  # to the login page
    strangers = (
        citizen,
        staff["desk"],
        staff["specialist"],
        make_officer("kt.khac", other_agency, role=OfficerRole.FINANCE),
    )
    for user in strangers[:3]:
        client.force_login(user)
        assert client.get(URL).status_code == 404
    client.force_login(strangers[3])  # a finance officer elsewhere sees their own agency, not this one
    page = client.get(URL + PERIOD).content.decode()
    assert paid.reference not in page and "150.000" not in page


def test_the_filters(client, paid, staff):
    client.force_login(staff["finance"])
    assert paid.reference in client.get(URL + PERIOD + "&trang-thai=paid&cong=vietqr").content.decode()
    assert paid.reference not in client.get(URL + PERIOD + "&trang-thai=pending").content.decode()
    assert paid.reference not in client.get(URL + PERIOD + "&cong=vnpay").content.decode()
    assert paid.reference not in client.get(URL + "?tu-ngay=2026-04-01&den-ngay=2026-04-30").content.decode()


def test_the_totals_as_xlsx(client, paid, staff):
    client.force_login(staff["finance"])
    response = client.get(URL + PERIOD + "&dinh-dang=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[2][:2] == ("Cơ quan", "Ngày")
    assert rows[3][:2] == ("UBND xã Thử", "02/03/2026") and rows[3][3:] == (1, 150_000, 0, 150_000)


def test_the_statement_upload(client, transfer, vietqr_account, staff):
    client.force_login(staff["finance"])
    data = bank_statement(("02/03/2026", 150_000, transfer.reference), ("02/03/2026", 7_000, "khong ro"))
    file = io.BytesIO(data)
    file.name = "saoke.csv"
    response = client.post(URL + "sao-ke/", {"account": vietqr_account.pk, "file": file})
    assert response.status_code == 200
    page = response.content.decode()
    assert "khong ro" in page and "7.000" in page
    assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PAID
    client.force_login(staff["leader"])  # a leader sees the money but does not import
    file.seek(0)
    assert client.post(URL + "sao-ke/", {"account": vietqr_account.pk, "file": file}).status_code == 400


class TestApi:
    def test_totals_for_finance_and_leaders(self, paid, staff, province_leader, agency):
        for user in (staff["finance"], province_leader):
            answer = client_for(user).get("/api/v1/payments/totals/?from=2026-03-01&to=2026-03-31")
            assert answer.status_code == 200
            row = answer.json()["rows"][0]
            assert (row["gateway"], row["count"], row["paid"], row["refunded"], row["net"]) == (
                "vietqr", 1, 150_000, 0, 150_000,
            )  # fmt: skip
        one = client_for(province_leader).get(
            f"/api/v1/payments/totals/?from=2026-03-01&agency={agency.code}"
        )
        assert len(one.json()["rows"]) == 1

    def test_totals_refused(self, paid, staff, citizen, other_agency, agency):
        assert client_for(citizen).get("/api/v1/payments/totals/").status_code == 403
        assert (
            client_for(make_officer("mc.khac", other_agency)).get("/api/v1/payments/totals/").status_code
            == 403
        )
        elsewhere = client_for(make_officer("kt.khac", other_agency, role=OfficerRole.FINANCE))
        assert elsewhere.get(f"/api/v1/payments/totals/?agency={agency.code}").status_code == 404
        assert elsewhere.get("/api/v1/payments/totals/?from=2026-03-01&to=2026-03-31").json()["rows"] == []
        api = client_for(staff["finance"])
        assert api.get("/api/v1/payments/totals/?from=2026-03-31&to=2026-03-01").status_code == 400
        assert api.get("/api/v1/payments/totals/?from=yesterday").status_code == 400

    def test_statement_import(self, transfer, vietqr_account, staff, other_agency):
        data = bank_statement(("02/03/2026", 150_000, transfer.reference))
        for user in (staff["leader"], make_officer("kt.khac", other_agency, role=OfficerRole.FINANCE)):
            file = io.BytesIO(data)
            file.name = "s.csv"
            answer = client_for(user).post(
                "/api/v1/payments/statements/", {"account": vietqr_account.pk, "file": file}
            )
            assert answer.status_code == 404
        assert type(transfer).objects.get(pk=transfer.pk).state == PaymentState.PENDING
        file = io.BytesIO(data)
        file.name = "s.csv"
        answer = client_for(staff["finance"]).post(
            "/api/v1/payments/statements/", {"account": vietqr_account.pk, "file": file}
        )
        assert answer.status_code == 200
        body = answer.json()
        assert body["counts"]["paid"] == 1 and body["rows"][0]["payment"] == transfer.reference
        bad = io.BytesIO(b"x")
        bad.name = "s.csv"
        answer = client_for(staff["finance"]).post(
            "/api/v1/payments/statements/", {"account": vietqr_account.pk, "file": bad}
        )
        assert answer.status_code == 400
