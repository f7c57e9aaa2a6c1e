"""Journey (issue 11): anyone reads the province's statistics on a 360 px phone, without JavaScript too, and
downloads a table that opens in a spreadsheet.

The demo catalogue plus a few dossiers of Xã Tân Phong taken through the services (``busy_year``): sent and
not yet received, received, resolved (refused by the leader after Sở Tư pháp's check), and one handed in at
the desk. What the page shows is compared with ``stats.selectors.report`` computed here, in the page's
language. ``e2e/screenshots.py`` reuses ``busy_year``.
"""

import re

from django.utils import timezone, translation
from openpyxl import load_workbook
from playwright.sync_api import expect

from e2e.test_backoffice_journey import COMMUNE_SLUG, PROCEDURE, send_marital_status
from e2e.test_submission_journey import no_sideways_scroll
from motcua.accounts.models import User
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.dossiers import services
from motcua.stats import selectors, wording
from motcua.stats.periods import Period
from motcua.stats.scope import Scope


def officer(prefix: str, slug: str = COMMUNE_SLUG) -> User:
    return User.objects.get(username=f"{prefix}.{slug}")


def busy_year() -> None:
    """Four dossiers of 1.004873 at Xã Tân Phong this year: one sent online and waiting, one received, one
    resolved (not granted, on time), one handed in at the desk (received at once)."""
    desk, leader, specialist = officer("motcua"), officer("lanhdao"), officer("chuyenvien")
    send_marital_status("congdan")
    services.receive(send_marital_status("congdan"), by=desk)

    dossier = services.receive(send_marital_status("congdan2"), by=desk)
    dossier = services.assign(dossier, by=leader, assignee=specialist.username)
    dossier = services.forward(dossier, by=specialist, note="Đề nghị Sở Tư pháp xác minh.")
    dossier = services.assign(dossier, by=officer("lanhdao", "so-tu-phap"), assignee="chuyenvien.so-tu-phap")
    dossier = services.propose(dossier, by=officer("chuyenvien", "so-tu-phap"), note="Đã xác minh.")
    services.reject(dossier, by=leader, note="Người yêu cầu đang có đăng ký kết hôn chưa xóa.")

    services.register_at_counter(
        officer=desk,
        procedure=Procedure.objects.get(code=PROCEDURE),
        agency=Agency.objects.get(slug=COMMUNE_SLUG),
        channel=Channel.IN_PERSON,
        applicant={
            "name": "Lê Văn Cường",
            "id_number": "030085001234",
            "phone": "0905123456",
            "address": "Thôn Tân Lập, xã Tân Phong",
            "kind": "citizen",
        },
    )


def this_year() -> tuple[Period, object]:
    """This year's period and its report, in Vietnamese: what the page shows."""
    period = Period.of("year", timezone.localdate().year)
    with translation.override("vi"):
        report = selectors.report(period)
        return period, report


def the_sentence(report) -> str:
    with translation.override("vi"):
        return wording.sentence(report)


def test_the_statistics_on_a_phone_without_javascript_and_in_a_spreadsheet(
    phone_page, browser, site, tmp_path
):
    busy_year()
    period, report = this_year()
    figures = report.figures
    assert (figures["received"], figures["resolved"], figures["received_in_person"]) == (3, 1, 1)

    # On a 360 px phone, from the main menu.
    phone_page.goto(site + "/")
    headline = phone_page.locator(".stats-headline")
    expect(headline.locator("dd").first).to_have_text(wording.number(figures["received"]))
    phone_page.get_by_role("navigation", name="Menu chính").get_by_role("link", name=menu_name()).click()
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    expect(phone_page.locator(".stats-sentence")).to_have_text(the_sentence(report))
    expect(phone_page.locator(".stats-sentence")).to_contain_text(wording.number(figures["received"]))

    online = report.indicator("dossiers_online")
    assert (online["numerator"], online["denominator"]) == (2, 3)
    row = phone_page.locator("#indicator-dossiers_online")
    expect(row.get_by_role("cell").nth(0)).to_have_text("2 / 3")
    expect(row.get_by_role("cell").nth(1)).to_have_text(wording.percent(online["rate"]))
    # How it is computed, folded under the indicator's name.
    row.locator("summary").click()
    expect(row.locator(".formula p")).to_have_text(online["formula"])
    # Charts are pictures drawn on the server (channels, ranking, two by month), each before its table.
    expect(phone_page.locator("figure > svg.chart[role=img]")).to_have_count(4)
    no_sideways_scroll(phone_page)

    # The indicators as XLSX: the same numbers in a spreadsheet.
    with phone_page.expect_download() as info:
        phone_page.locator('a[href="?dinh-dang=xlsx&bang=chi-so"]').click()
    assert info.value.suggested_filename == f"thong-ke-chi-so-nam-{period.start.year}.xlsx"
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert len(rows) == 1 + len(report.indicators)
    cells = next(r for r in rows if r[1] == online["label"])
    assert cells[2:5] == (2, 3, round(online["rate"] * 100, 2))

    # From the ranking to the commune's own page, for the same period.
    commune = Agency.objects.get(slug=COMMUNE_SLUG)
    ranking = phone_page.get_by_role("region", name=ranking_caption())
    ranking.get_by_role("link", name=commune.name, exact=True).click()
    expect(phone_page).to_have_url(f"{site}/thong-ke/co-quan/{COMMUNE_SLUG}/")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text(commune.name)
    with translation.override("vi"):
        own = selectors.report(period, Scope(agency_id=commune.pk))
    expect(phone_page.locator(".stats-sentence")).to_have_text(the_sentence(own))
    no_sideways_scroll(phone_page)

    # Without JavaScript: the period is chosen with the plain form, this month.
    context = browser.new_context(
        locale="vi-VN", java_script_enabled=False, viewport={"width": 360, "height": 740}
    )
    try:
        plain = context.new_page()
        plain.goto(site + "/thong-ke/")
        today = timezone.localdate()
        form = plain.locator("form.period-form")
        form.locator("select[name=ky]").select_option(f"month-{today.month}")
        form.locator("input[name=nam]").fill(str(today.year))
        form.get_by_role("button").click()
        expect(plain).to_have_url(re.compile(rf"/thong-ke/\?ky=month-{today.month}&nam={today.year}&"))
        month = Period.of("month", today.year, today.month)
        with translation.override("vi"):
            label = month.label
        expect(plain.locator("#summary-title")).to_have_text(label)
        expect(plain.locator(".stats-sentence")).to_have_text(the_sentence(selectors.report(month)))
        expect(form.locator("select[name=ky] option:checked")).to_have_attribute(
            "value", f"month-{today.month}"
        )

        # A period that ends before it starts: a message on the form, which keeps what was typed.
        form.locator("select[name=ky]").select_option("range")
        form.locator("input[name=tu]").fill(f"{today.year}-02-10")
        form.locator("input[name=den]").fill(f"{today.year}-01-10")
        form.get_by_role("button").click()
        expect(plain.get_by_role("alert")).to_be_visible()
        expect(form.locator("input[name=tu]")).to_have_value(f"{today.year}-02-10")
        expect(plain.locator(".stats-sentence")).to_have_count(0)
    finally:
        context.close()


def menu_name() -> str:
    with translation.override("vi"):
        return translation.gettext("Statistics")


def ranking_caption() -> str:
    with translation.override("vi"):
        return translation.gettext("Ranking of agencies by score")
