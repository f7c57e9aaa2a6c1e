"""The officers' and leaders' statistics pages: their unit's indicators only, the dossiers behind each count
(only those they may open), the downloads, the periodic report, and clear errors for a wrong period."""

import csv
import io
import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from motcua.accounts.models import OfficerRole, User
from motcua.backoffice import stats_views
from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.tests.fixtures import PASSWORD, make_officer
from motcua.stats import selectors
from motcua.stats.behind import FIGURES
from motcua.stats.periods import Period
from motcua.stats.scope import Scope
from motcua.stats.tests.test_dossiers_api import DECEMBER, expected_codes, populate

URL = "/mot-cua/thong-ke/"
DRILL = URL + "ho-so/"
REPORT = URL + "bao-cao-dinh-ky/"
MONTH = "ky=month&nam=2026&thang=12"
LISTED = re.compile(r'href="/mot-cua/ho-so/([^/"]+)/"')


@pytest.fixture
def busy(world):
    populate(world)
    return world


def officer(world, index=0, role=OfficerRole.LEADER):
    return world.staff[world.agencies[index].pk][role]


def listed(client, query) -> list[str]:
    """Every dossier code the drill-down lists, page after page."""
    codes, page = [], 1
    while True:
        response = client.get(f"{DRILL}?{query}&trang={page}")
        assert response.status_code == 200, response.content[:300]
        html = response.content.decode()
        codes += LISTED.findall(html)
        if 'rel="next"' not in html:
            return codes
        page += 1


def test_the_page_shows_the_officers_unit_only(client, busy):
    agency, other = busy.agencies
    client.force_login(officer(busy, role=OfficerRole.DESK))
    response = client.get(f"{URL}?{MONTH}")
    assert response.status_code == 200
    html = response.content.decode()
    report = selectors.report(DECEMBER, Scope(agency_id=agency.pk), busy.clock.now)
    province = selectors.report(DECEMBER, Scope(), busy.clock.now)
    received = report.figures["received"]
    assert received < province.figures["received"]
    link = f"{DRILL}?chi-so=received&amp;ky=month&amp;nam=2026&amp;thang=12&amp;co-quan={agency.slug}"
    assert f'<a href="{link}">{received}</a>' in html  # the sentence, with the unit's own count
    assert agency.name in html and other.name not in html and other.slug not in html
    assert "<svg" in html and 'role="img"' in html and "style=" not in html and "<script" not in html
    # Every count links to its dossiers, for the unit (or a part of it), never for another agency.
    for href in re.findall(r'href="(/mot-cua/thong-ke/ho-so/[^"]+)"', html):
        assert f"co-quan={agency.slug}" in href and other.slug not in href


def test_the_default_is_the_current_year_and_the_navigation_links_it(client, busy):
    client.force_login(officer(busy, role=OfficerRole.SPECIALIST))
    html = client.get(URL).content.decode()
    assert str(Period.of("year", 2026).label) in html
    assert 'href="/mot-cua/thong-ke/"' in client.get("/mot-cua/").content.decode()


def test_another_agencys_statistics_and_dossiers_are_not_found(client, busy):
    other = busy.agencies[1]
    client.force_login(officer(busy))
    for value in (other.slug, other.code, "khong-co"):
        assert client.get(f"{URL}?{MONTH}&co-quan={value}").status_code == 404
        assert client.get(f"{DRILL}?chi-so=received&{MONTH}&co-quan={value}").status_code == 404
        assert client.get(f"{REPORT}?{MONTH}&co-quan={value}").status_code == 404
        assert client.get(f"{URL}?{MONTH}&co-quan={value}&bang=indicators&dinh-dang=csv").status_code == 404
    assert client.get(f"{DRILL}?chi-so=weather&{MONTH}").status_code == 404


def test_strangers_are_turned_away(client, busy):
    assert client.get(URL).status_code == 302  # to the login page
    client.force_login(busy.citizen)
    assert client.get(URL).status_code == 404
    assert client.get(f"{DRILL}?chi-so=received").status_code == 404


def test_the_drill_down_lists_exactly_the_dossiers_counted(client, busy, monkeypatch):
    monkeypatch.setattr(stats_views, "PAGE_SIZE", 3)  # several pages
    agency, other = busy.agencies
    client.force_login(officer(busy, role=OfficerRole.SPECIALIST))
    report = selectors.report(DECEMBER, Scope(agency_id=agency.pk), busy.clock.now)
    theirs = expected_codes(busy, "received", other)
    for figure in FIGURES:
        codes = listed(client, f"chi-so={figure}&{MONTH}")
        assert len(codes) == len(set(codes)) == (report.figures[figure] or 0), figure
        assert set(codes) == expected_codes(busy, figure, agency), figure
        assert not set(codes) & theirs, figure
    # Each row opens the dossier's back-office page.
    code = listed(client, f"chi-so=received&{MONTH}")[0]
    assert client.get(f"/mot-cua/ho-so/{code}/").status_code == 200


def test_a_parent_agencys_leader_sees_the_tree_but_opens_only_their_dossiers(client, busy):
    agency, other = busy.agencies
    district = make_agency(
        code="000.00.10.H26", slug="ubnd-huyen-thu", name="UBND huyện Thử", level="district"
    )
    for commune in (agency, other):
        commune.parent = district
        commune.save(update_fields=["parent"])
    leader = make_officer("lanhdao.huyen", district, role=OfficerRole.LEADER)
    client.force_login(leader)
    html = client.get(f"{URL}?{MONTH}").content.decode()
    assert agency.name in html and other.name in html  # the table by agency under the district
    for commune in (agency, other):
        assert f"co-quan={commune.slug}" in html  # a leader opens each commune's figures
        assert client.get(f"{URL}?{MONTH}&co-quan={commune.slug}").status_code == 200
    # The district's figure counts the communes' dossiers; a district leader does not open them.
    response = client.get(f"{DRILL}?chi-so=received&{MONTH}")
    assert response.status_code == 200
    assert LISTED.findall(response.content.decode()) == []
    province = selectors.report(DECEMBER, Scope(agency_id=district.pk), busy.clock.now).figures["received"]
    assert str(province) in response.content.decode()  # "the figure counts N dossiers; N are not listed"
    # A desk officer of the district sees the district's figures, not a commune on its own.
    client.force_login(make_officer("motcua.huyen", district, role=OfficerRole.DESK))
    assert client.get(f"{URL}?{MONTH}").status_code == 200
    assert client.get(f"{URL}?{MONTH}&co-quan={agency.slug}").status_code == 404


def test_a_system_administrator_sees_the_province_and_any_agency(client, busy):
    admin = User.objects.create_superuser("quan.tri", password=PASSWORD, otp_exempt=True)
    client.force_login(admin)
    html = client.get(f"{URL}?{MONTH}").content.decode()
    assert all(a.name in html for a in busy.agencies)
    codes = set(listed(client, f"chi-so=received&{MONTH}"))
    assert codes == expected_codes(busy, "received", busy.agencies[0]) | expected_codes(
        busy, "received", busy.agencies[1]
    )
    assert client.get(f"{URL}?{MONTH}&co-quan={busy.agencies[1].slug}").status_code == 200


def test_every_table_downloads_as_xlsx_and_csv(client, busy):
    admin = User.objects.create_superuser("quan.tri", password=PASSWORD, otp_exempt=True)
    client.force_login(admin)  # the province: every table applies, the one by agency included
    for table in stats_views.BUILDERS:
        response = client.get(f"{URL}?{MONTH}&bang={table}&dinh-dang=xlsx")
        assert response.status_code == 200, table
        assert response["Content-Disposition"].endswith('.xlsx"')
        rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
        response = client.get(f"{URL}?{MONTH}&bang={table}&dinh-dang=csv")
        assert response.status_code == 200, table
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(lines) > 1 and all(len(line) == len(lines[0]) for line in lines), table
        # The spreadsheet holds the same table under a heading (unit, period).
        assert [str(v) for v in rows[-len(lines)]] == lines[0], table
    assert client.get(f"{URL}?{MONTH}&bang=weather&dinh-dang=csv").status_code == 404


def test_the_indicator_download_has_numerator_denominator_rate_and_points(client, busy):
    agency = busy.agencies[0]
    client.force_login(officer(busy))
    response = client.get(f"{URL}?{MONTH}&bang=indicators&dinh-dang=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    report = selectors.report(DECEMBER, Scope(agency_id=agency.pk), busy.clock.now)
    row = report.indicator("dossiers_online")
    line = next(line for line in lines if line[1] == row["label"])
    assert line[2:5] == [str(row["numerator"]), str(row["denominator"]), str(round(row["rate"] * 100, 1))]
    # Petitions: none handled, so nothing to divide: counts of 0 and no rate, never a rate of 0%.
    petitions = next(line for line in lines if line[1] == report.indicator("petitions_on_time")["label"])
    assert petitions[2:5] == ["0", "0", ""]


def test_the_drill_down_downloads(client, busy):
    client.force_login(officer(busy))
    agency = busy.agencies[0]
    response = client.get(f"{DRILL}?chi-so=received&{MONTH}&dinh-dang=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    codes = {row[0] for row in sheet.iter_rows(values_only=True)}
    assert expected_codes(busy, "received", agency) <= codes
    response = client.get(f"{DRILL}?chi-so=received&{MONTH}&dinh-dang=csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {line[0] for line in lines[1:]} == expected_codes(busy, "received", agency)


def test_the_periodic_report_is_one_sheet_with_the_unit_and_each_agency_under_it(client, busy):
    agency, other = busy.agencies
    other.parent = agency
    other.save(update_fields=["parent"])
    client.force_login(officer(busy))
    response = client.get(f"{REPORT}?{MONTH}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.worksheets) == 1
    rows = list(book.active.iter_rows(values_only=True))
    names = [row[0] for row in rows]
    assert agency.name in names and other.name in names
    unit = rows[names.index(agency.name, names.index(_("Unit")))]
    report = selectors.report(DECEMBER, Scope(agency_id=agency.pk), busy.clock.now)
    first = report.indicators[0]
    assert len(unit) == 1 + 4 * len(report.indicators) + 1
    assert unit[-1] == round(report.total["score"], 2)
    online = [i["key"] for i in report.indicators].index("dossiers_online")
    assert unit[1 + 4 * online : 1 + 4 * online + 2] == (
        report.indicator("dossiers_online")["numerator"],
        report.indicator("dossiers_online")["denominator"],
    )
    assert first["label"] in rows[names.index(_("Unit"))]


@pytest.mark.parametrize(
    "query, message",
    [
        ("ky=month&nam=2026&thang=13", "A month is numbered from 1 to 12."),
        ("ky=quarter&nam=2026&quy=5", "A quarter is numbered from 1 to 4."),
        ("ky=year&nam=1999", "Choose a year between 2000 and 2100."),
        ("ky=year&nam=hai", "Enter the year as a number, e.g. 2026."),
        ("ky=weather", "Choose a kind of period from the list."),
        ("ky=range&tu-ngay=2026-12-31&den-ngay=2026-12-01", "The period ends before it starts."),
        ("ky=range&tu-ngay=31/12/2026&den-ngay=2026-12-01", "Enter the first day of the period as a date."),
        ("ky=year&linh-vuc=khong-co", "No sector has this code."),
        ("ky=year&thu-tuc=0.000000", "No procedure has this code."),
    ],
)
def test_a_wrong_period_or_scope_is_shown_not_a_server_error(client, world, query, message, settings):
    client.force_login(officer(world))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak what the language switch chose
    with translation.override("en"):
        for url in (f"{URL}?", f"{DRILL}?chi-so=received&", f"{REPORT}?"):
            response = client.get(url + query, HTTP_ACCEPT_LANGUAGE="en")
            assert response.status_code == 400
            assert message in response.content.decode()
