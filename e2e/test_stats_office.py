"""The officers' statistics in a browser (issue 11): a leader opens their unit's figures from the back office,
chooses a month, follows a count to the dossiers behind it and opens one; on a 360 px phone nothing sticks
out sideways; without JavaScript the period form still works. axe-core checks every page at both widths."""

import re

from django.core.management import call_command
from playwright.sync_api import expect

from e2e.test_backoffice_journey import sign_in_as
from e2e.test_submission_journey import no_sideways_scroll
from motcua.accounts.models import User
from motcua.catalog.models import Agency
from motcua.stats.models import DossierLedger

URL = "/mot-cua/thong-ke/"


def busiest_leader() -> tuple[str, Agency]:
    """The demo leader of the agency that received the most seeded dossiers."""
    counts = {}
    for agency_id in DossierLedger.objects.values_list("agency_id", flat=True):
        counts[agency_id] = counts.get(agency_id, 0) + 1
    for agency_id in sorted(counts, key=counts.get, reverse=True):
        agency = Agency.objects.get(pk=agency_id)
        if User.objects.filter(username=f"lanhdao.{agency.slug}").exists():
            return f"lanhdao.{agency.slug}", agency
    raise AssertionError("no demo leader of an agency with dossiers")


def test_a_leader_reads_the_figures_and_the_dossiers_behind_them(page, phone_page, browser, site):
    call_command("seed_load", dossiers=400, days=120, verbosity=0)
    call_command("rebuild_stats", verbosity=0)
    username, agency = busiest_leader()

    sign_in_as(page, site, username)
    page.goto(f"{site}/mot-cua/")
    page.locator(f'a[href="{URL}"]').click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("#summary-title")).to_contain_text(agency.name)
    page.locator("#s-kind").select_option("quarter")
    page.get_by_role("main").locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"ky=quarter"))
    expect(page.locator("svg.chart").first).to_be_visible()

    page.locator(".stats-sentence a").first.click()
    expect(page).to_have_url(re.compile(r"/thong-ke/ho-so/\?chi-so=received&"))
    first = page.locator("tbody th a").first
    code = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)

    sign_in_as(phone_page, site, username)
    for path in (URL, f"{URL}ho-so/?chi-so=resolved"):
        phone_page.goto(site + path)
        expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
        no_sideways_scroll(phone_page)

    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    try:
        plain = context.new_page()
        sign_in_as(plain, site, username)
        plain.goto(site + URL)
        plain.locator("#s-kind").select_option("month")
        plain.locator("#s-year").fill("1999")
        plain.get_by_role("main").locator("form button[type=submit]").click()
        expect(plain.get_by_role("alert")).to_be_visible()  # the error is said, beside the year too
        expect(plain.locator("#e-nam")).to_be_visible()
    finally:
        context.close()
