"""The public statistics pages (/thong-ke/): the year's figures as ``stats.selectors`` reads them, for the
province and drilled down to an agency, a sector or a procedure; the period chooser; the downloads; the home
page's headline. Dossiers are taken through the real services (``motcua.stats.tests.conftest.World``)."""

import csv
import io
import random
import re
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from motcua.dossiers.models import Dossier
from motcua.stats import selectors, wording
from motcua.stats.indicators import INDICATORS
from motcua.stats.periods import Period
from motcua.stats.scope import Scope
from motcua.stats.tests.conftest import World

URL = "/thong-ke/"
YEAR = Period.of("year", 2026)  # the world's clock stands on 17 December 2026


@pytest.fixture
def english():
    """A visitor who chose English (messages new in this branch are matched in English)."""
    client = Client()
    client.get("/ngon-ngu/en/")
    with translation.override("en"):
        yield client


def take(world: World, times: int, steps: int) -> list[Dossier]:
    """``times`` dossiers sent online, each taken ``steps`` usual steps (1: received; 5: result numbered)."""
    rng = random.Random(1)
    rng.random = lambda: 0.5  # the usual way: received, assigned, proposed, approved, numbered
    made = [world.send(rng) for _ in range(times)]
    for dossier in made:
        for _ in range(steps):
            world.step(dossier, rng)
    return made


@pytest.fixture
def busy(world):
    """Two dossiers resolved, one received and in progress: the year has figures."""
    take(world, 2, 5)
    take(world, 1, 1)
    return world


def html(response) -> str:
    return response.content.decode()


def row(body: str, key: str) -> str:
    match = re.search(rf'<tr id="indicator-{key}">(.*?)</tr>', body, re.S)
    assert match, key
    return match.group(1)


def text(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


# --- the page ----------------------------------------------------------------------------------------------


class TestThePage:
    def test_the_year_in_one_sentence_with_the_figures_of_the_report(self, busy, english):
        body = html(english.get(URL))
        report = selectors.report(YEAR, now=busy.clock.now)
        figures = report.figures
        assert (figures["received"], figures["resolved"]) == (3, 2)
        sentence = wording.sentence(report)
        assert sentence == (
            "Year 2026: received 3 dossiers, resolved 2 dossiers, 0 dossiers awaiting a supplement, "
            "100% on time."
        )
        assert f'<p class="stats-sentence">{sentence}</p>' in body

    def test_each_indicator_with_numerator_denominator_rate_and_points(self, busy, english):
        body = html(english.get(URL))
        indicator = selectors.report(YEAR, now=busy.clock.now).indicator("dossiers_online")
        assert (indicator["numerator"], indicator["denominator"]) == (3, 3)
        cells = text(row(body, "dossiers_online"))
        assert "Dossiers received online" in cells
        assert "3 / 3" in cells and "100%" in cells and "10 / 10" in cells
        assert "How is this computed?" in cells and str(INDICATORS[8].formula) in cells

    def test_an_indicator_without_data_says_so_never_zero(self, busy, english):
        body = html(english.get(URL))
        for key in ("petitions_on_time", "petitions_satisfaction", "dossier_satisfaction"):  # no rating yet
            cells = row(body, key)
            assert "No data" in cells, key
            assert not re.search(r">\s*0(,0+)?%?\s*<", cells), key

    def test_the_score_of_the_groups_and_the_total(self, busy, english):
        body = html(english.get(URL))
        total = selectors.report(YEAR, now=busy.clock.now).total
        assert f"Score: <strong>{wording.number(total['score'], 1)}</strong> out of 100" in body
        assert "Score by group of indicators" in body
        for label in ("Publicity and transparency", "Satisfaction"):
            assert f">{label}</h3>" in body

    def test_channels_ranking_and_months_are_charts_each_with_its_table(self, busy, english):
        body = html(english.get(URL))
        assert body.count('<svg class="chart"') == 4  # channels, ranking, received and on time by month
        assert body.count('role="img"') >= 4
        for caption in (
            "Dossiers received by channel",
            "Ranking of agencies by score",
            "Dossiers received by month",
            "Dossiers resolved on time by month",
        ):
            assert re.search(rf"<caption[^>]*>{caption}</caption>", body), caption
        assert '<th scope="col"' in body and '<th scope="row">' in body
        # December's column: the three dossiers of the world were received then.
        months = re.search(r'<caption id="table-theo-thang">.*?</table>', body, re.S).group(0)
        assert re.search(r"<th scope=\"row\">12/2026</th>\s*<td class=\"num\">3</td>", months)
        assert "01/2027" not in months

    def test_the_ranking_leads_to_each_agency_for_the_same_period(self, busy, english):
        body = html(english.get(URL, {"ky": "month-12", "nam": "2026"}))
        ranking = re.search(r'<caption id="table-xep-hang">.*?</table>', body, re.S).group(0)
        for agency in busy.agencies:
            assert f'href="/thong-ke/co-quan/{agency.slug}/?ky=month-12&amp;nam=2026"' in ranking
        assert "Month 12/2026" in body

    def test_in_english_the_names_from_the_catalogue_are_marked_vietnamese(self, busy, english):
        body = html(english.get(URL))
        agency = busy.agencies[0]
        assert (
            f'<th scope="row" lang="vi"><a href="/thong-ke/co-quan/{agency.slug}/">{agency.name}</a>' in body
        )
        assert '<th scope="row">12/2026</th>' in body  # a month is no catalogue text

    def test_a_dissolved_agency_keeps_its_row_without_a_page(self, busy, english):
        dissolved = busy.agencies[1]
        dissolved.is_active = False
        dissolved.save()
        ranking = re.search(r'<caption id="table-xep-hang">.*?</table>', html(english.get(URL)), re.S).group(
            0
        )
        assert f">{dissolved.name}</th>" in ranking and f"/co-quan/{dissolved.slug}/" not in ranking
        assert english.get(f"/thong-ke/co-quan/{dissolved.slug}/").status_code == 404

    def test_the_page_needs_no_script_and_tables_scroll_by_keyboard(self, busy, client):
        body = html(client.get(URL))
        assert "<script" not in body
        for container in re.findall(r"<div\b[^>]*table-responsive[^>]*>", body):
            assert (
                'tabindex="0"' in container
                and 'role="region"' in container
                and "aria-labelledby" in container
            )

    def test_the_menu_and_footer_lead_here(self, db, client):
        body = html(client.get("/"))
        menu = re.search(r'<nav class="site-nav".*?</nav>', body, re.S).group(0)
        footer = re.search(r"<footer.*?</footer>", body, re.S).group(0)
        assert 'href="/thong-ke/"' in menu and 'href="/thong-ke/"' in footer
        assert 'href="/thong-ke/" aria-current="page"' in html(client.get(URL))


# --- the period chooser ------------------------------------------------------------------------------------


class TestThePeriodChooser:
    @pytest.mark.parametrize(
        "query, label",
        [
            ({}, "Year 2026"),
            ({"ky": "year", "nam": "2025"}, "Year 2025"),
            ({"ky": "quarter-4", "nam": "2026"}, "Quarter 4/2026"),
            ({"ky": "month-3"}, "Month 3/2026"),
            ({"ky": "half", "nam": "2026"}, "First 6 months of 2026"),
            ({"ky": "nine_months", "nam": "2026"}, "First 9 months of 2026"),
            ({"ky": "range", "tu": "2026-12-01", "den": "2026-12-17"}, "From 01/12/2026 to 17/12/2026"),
            ({"ky": "range", "tu": "01/12/2026", "den": "17/12/2026"}, "From 01/12/2026 to 17/12/2026"),
        ],
    )
    def test_a_period_is_chosen_with_a_plain_form(self, world, english, query, label):
        response = english.get(URL, query)
        assert response.status_code == 200
        assert f'<h2 id="summary-title">{label}</h2>' in html(response)

    @pytest.mark.parametrize(
        "query, field, message, kept",
        [
            ({"nam": "hai nghìn"}, "nam", "Type the year in figures, for example 2026.", 'value="hai nghìn"'),
            ({"nam": "1999"}, "nam", "Choose a year between 2000 and 2100.", 'value="1999"'),
            ({"ky": "fortnight"}, "ky", "Choose a period from the list.", None),
            (
                {"ky": "range", "tu": "2026-12-17", "den": "2026-12-01"},
                "den",
                "The period ends before it starts.",
                'value="2026-12-17"',
            ),
            ({"ky": "range", "tu": "2026-12-01"}, "den", "Type the last day of the period.", None),
            ({"ky": "range", "tu": "31/02/2026", "den": "2026-12-01"}, "tu", "Type the first day as", None),
            ({"ky": "year", "nam": "2027"}, "nam", "This period has not begun yet", 'value="2027"'),
            ({"ky": "range", "tu": "1990-01-01", "den": "2026-01-01"}, "den", "longer than ten years", None),
        ],
    )
    def test_bad_input_gets_a_message_on_its_field_and_keeps_what_was_typed(
        self, world, english, query, field, message, kept
    ):
        response = english.get(URL, query)
        assert response.status_code == 400
        body = html(response)
        assert re.search(rf'<p class="field-error" id="{field}-error">[^<]*{re.escape(message)}', body), body
        assert 'class="error-summary" role="alert"' in body
        assert kept is None or kept in body
        assert "stats-sentence" not in body  # no figures for a period that is not one

    def test_a_download_of_a_bad_period_is_the_page_with_its_message(self, world, english):
        response = english.get(URL, {"nam": "abc", "dinh-dang": "xlsx", "bang": "chi-so"})
        assert response.status_code == 400 and "field-error" in html(response)


# --- drilling down -----------------------------------------------------------------------------------------


class TestDrillingDown:
    def test_an_agency_with_its_sectors_and_procedures(self, busy, english):
        agency = busy.agencies[0]
        response = english.get(f"/thong-ke/co-quan/{agency.slug}/")
        assert response.status_code == 200
        body = html(response)
        assert f">{agency.name}</h1>" in body
        report = selectors.report(YEAR, Scope(agency_id=agency.pk), now=busy.clock.now)
        assert f'<p class="stats-sentence">{wording.sentence(report)}</p>' in body
        for caption in ("By agency", "By sector", "By procedure"):
            assert re.search(rf"<caption[^>]*>{caption} · Year 2026</caption>", body), caption
        procedure = busy.procedure
        assert f'href="/thong-ke/thu-tuc/{procedure.code}/"' in body
        assert f'href="/thong-ke/linh-vuc/{procedure.sector.slug}/"' in body
        assert "Ranking of agencies" not in body

    def test_a_sector_and_a_procedure(self, busy, english):
        procedure = busy.procedure
        sector = english.get(f"/thong-ke/linh-vuc/{procedure.sector.slug}/")
        assert sector.status_code == 200 and f'href="/thong-ke/thu-tuc/{procedure.code}/"' in html(sector)
        page = english.get(f"/thong-ke/thu-tuc/{procedure.code}/")
        assert page.status_code == 200
        report = selectors.report(YEAR, Scope(procedure_id=procedure.pk), now=busy.clock.now)
        assert wording.sentence(report) in html(page)
        assert f'href="/thong-ke/co-quan/{busy.agencies[0].slug}/"' in html(page)

    @pytest.mark.parametrize(
        "url", ["/thong-ke/co-quan/khong-co/", "/thong-ke/linh-vuc/khong-co/", "/thong-ke/thu-tuc/0.000000/"]
    )
    def test_an_unknown_one_is_not_found(self, db, client, url):
        assert client.get(url).status_code == 404


# --- downloads ---------------------------------------------------------------------------------------------


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestDownloads:
    def test_every_table_of_the_page_is_linked_as_xlsx_and_csv(self, busy, english):
        body = html(english.get(URL))
        for key in ("chi-so", "diem", "kenh", "xep-hang", "linh-vuc", "theo-thang", "dung-han-theo-thang"):
            for extension in ("xlsx", "csv"):
                assert f'href="?dinh-dang={extension}&amp;bang={key}"' in body, (key, extension)
        assert 'href="?dinh-dang=xlsx&amp;bang=bao-cao-dinh-ky"' in body
        assert "Download the periodic report (XLSX)" in body

    def test_the_indicators_as_xlsx_have_the_rows_of_the_report(self, busy, english):
        response = english.get(URL, {"dinh-dang": "xlsx", "bang": "chi-so"})
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert response["Content-Disposition"] == 'attachment; filename="thong-ke-chi-so-nam-2026.xlsx"'
        rows = list(workbook(response).active.iter_rows(values_only=True))
        assert rows[0][:5] == ("Group", "Indicator", "Numerator", "Denominator", "Rate (%)")
        report = selectors.report(YEAR, now=busy.clock.now)
        assert len(rows) == 1 + len(report.indicators)
        online = next(r for r in rows if r[1] == "Dossiers received online")
        assert online[2:7] == (3, 3, 100, 10, 10)
        petitions = next(r for r in rows if r[1] == "Petitions handled on time")
        assert petitions[2:6] == (0, 0, None, None) and petitions[7] == "No data"  # none handled

    def test_a_month_as_csv(self, busy, english):
        response = english.get(
            URL, {"ky": "month-12", "nam": "2026", "dinh-dang": "csv", "bang": "theo-thang"}
        )
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].endswith('filename="thong-ke-theo-thang-thang-12-2026.csv"')
        assert csv_rows(response) == [
            ["Month", "Received", "Received online", "Received online (%)"],
            ["12/2026", "3", "3", "100.0"],
        ]

    def test_the_periodic_report_has_every_indicator_of_every_unit(self, busy, english):
        agency = busy.agencies[0]
        response = english.get(
            f"/thong-ke/co-quan/{agency.slug}/", {"dinh-dang": "xlsx", "bang": "bao-cao-dinh-ky"}
        )
        assert response["Content-Disposition"].endswith(
            f'"thong-ke-bao-cao-dinh-ky-{agency.slug}-nam-2026.xlsx"'
        )
        book = workbook(response)
        assert book.sheetnames == ["Periodic report", "Points by unit"]
        detail = list(book["Periodic report"].iter_rows(values_only=True))
        assert detail[0][:4] == ("Unit", "Group", "Indicator", "Numerator")
        assert len(detail) == 1 + 2 * len(INDICATORS)  # the agency as a whole, then itself as its only unit
        assert {r[0] for r in detail[1:]} == {agency.name}

    def test_text_that_looks_like_a_formula_stays_text(self, busy, english):
        agency = busy.agencies[0]
        agency.name = '=HYPERLINK("http://evil.example/","Xem")'
        agency.save()
        xlsx = english.get(URL, {"dinh-dang": "xlsx", "bang": "xep-hang"})
        cells = [c for r in workbook(xlsx).active.iter_rows() for c in r if c.value == agency.name]
        assert cells and all(c.data_type == "s" for c in cells)
        rows = csv_rows(english.get(URL, {"dinh-dang": "csv", "bang": "xep-hang"}))
        assert ["'" + agency.name] == [cell for r in rows for cell in r if agency.name in cell]

    @pytest.mark.parametrize(
        "query", [{"dinh-dang": "pdf", "bang": "chi-so"}, {"dinh-dang": "csv", "bang": "x"}]
    )
    def test_an_unknown_download_is_not_found(self, world, client, query):
        assert client.get(URL, query).status_code == 404

    def test_a_table_the_page_has_not_is_not_found(self, busy, client):
        assert (
            client.get(
                f"/thong-ke/thu-tuc/{busy.procedure.code}/", {"dinh-dang": "csv", "bang": "xep-hang"}
            ).status_code
            == 404
        )


# --- live figures ------------------------------------------------------------------------------------------


class TestLive:
    def test_a_page_is_kept_a_minute_at_most(self, busy, client, monkeypatch):
        fresh_for = []  # each page is served as it is for this long (then rendered again)
        real_set = cache.set

        def kept(key, value, timeout=None):
            if key.startswith("page:"):
                fresh_for.append(value[2] - time.time())
            return real_set(key, value, timeout)

        monkeypatch.setattr(cache, "set", kept)
        client.get(URL)
        client.get("/")
        assert fresh_for and all(0 < t <= 60 for t in fresh_for), fresh_for

    def test_a_dossier_received_shows_once_the_page_is_no_longer_kept(self, busy, client):
        first = html(client.get(URL))
        take(busy, 1, 1)
        assert html(client.get(URL)) == first  # the same minute
        cache.clear()  # the minute has passed
        report = selectors.report(YEAR, now=busy.clock.now)
        assert report.figures["received"] == 4
        assert wording.sentence(report) in html(client.get(URL))

    def test_downloads_are_never_kept(self, busy, client):
        first = client.get(URL, {"dinh-dang": "csv", "bang": "kenh"})
        take(busy, 1, 1)
        assert client.get(URL, {"dinh-dang": "csv", "bang": "kenh"}).content != first.content


# --- the home page -----------------------------------------------------------------------------------------


def test_the_home_page_shows_the_year_in_figures(busy, english):
    body = html(english.get("/"))
    block = re.search(r'<section class="panel stats-headline".*?</section>', body, re.S).group(0)
    report = selectors.headline(now=busy.clock.now)
    figures = dict(re.findall(r"<dt>([^<]+)</dt><dd[^>]*>([^<]+)</dd>", block))
    assert figures == {
        "Dossiers received": wording.number(report.figures["received"]),
        "Dossiers resolved": wording.number(report.figures["resolved"]),
        "Resolved on time": wording.percent(report.indicator("resolved_in_time")["rate"]),
        "Received online": wording.percent(report.indicator("dossiers_online")["rate"]),
    }
    assert figures["Dossiers received"] == "3"
    assert 'href="/thong-ke/"' in block and "See the statistics" in block


# --- wording -----------------------------------------------------------------------------------------------


class TestWording:
    def test_numbers_as_vietnamese_write_them(self):
        assert wording.number(5808) == "5.808"
        assert wording.number(1234567.25, 2) == "1.234.567,25"
        assert wording.number(12.0, 2) == "12"
        assert wording.percent(5601 / 5808) == "96,4%"
        assert wording.percent(1) == "100%" and wording.percent(0) == "0%"
        assert wording.number(None) == "" and wording.percent(None) == ""

    def test_the_seeds_sentence(self, db):
        report = selectors.report(Period.of("year", 2026), now=None)
        report.figures.update({"received": 5808, "resolved": 5601, "awaiting_supplement": 94})
        report.indicator("resolved_in_time")["rate"] = 0.964
        with translation.override("en"):
            assert wording.sentence(report) == (
                "Year 2026: received 5.808 dossiers, resolved 5.601 dossiers, 94 dossiers awaiting a "
                "supplement, 96,4% on time."
            )
        report.figures["awaiting_supplement"] = None  # a past period: not known, so not said
        report.figures.update({"received": 1, "resolved": 0})
        report.indicator("resolved_in_time")["rate"] = None
        with translation.override("en"):
            assert wording.sentence(report) == "Year 2026: received 1 dossier, resolved 0 dossiers."
