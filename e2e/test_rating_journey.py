"""Journey (issue 11): the demo citizen rates a dossier whose result was handed over, on a 360 px phone, with
a mistake on the way; the commune's leader reads the rating and its comment in the back office. Every page
is checked by axe-core (``e2e/conftest.py``).

The dossier is registered at the commune's desk for the citizen's account and taken to its end through the
services (the browser journeys of submission and processing are the other tests'): what is driven here is
the rating form, which works without JavaScript.
"""

from playwright.sync_api import expect

from e2e.test_backoffice_journey import APPLICANTS, COMMUNE_SLUG, PROCEDURE, People
from e2e.test_submission_journey import no_sideways_scroll
from motcua.accounts.models import User
from motcua.catalog.models import Agency, Procedure
from motcua.dossiers import services
from motcua.engagement.models import DossierRating

COMMENT = "Cán bộ hướng dẫn rất tận tình, nhưng phải chờ lâu ở quầy."


def returned_dossier(citizen: User) -> str:
    commune = Agency.objects.get(slug=COMMUNE_SLUG)
    procedure = Procedure.objects.get(code=PROCEDURE)
    desk = User.objects.get(username=f"motcua.{COMMUNE_SLUG}")
    leader = User.objects.get(username=f"lanhdao.{COMMUNE_SLUG}")
    dossier = services.register_at_counter(
        officer=desk, procedure=procedure, agency=commune, channel="in_person", applicant_user=citizen,
        applicant={"name": citizen.full_name, "id_number": APPLICANTS[citizen.username]["personal_id"],
                   "kind": "citizen"},
    )  # fmt: skip
    dossier = services.reject(dossier, by=leader, note="Chưa đủ điều kiện xác nhận.")
    return services.return_result(dossier, by=desk, method="desk").code


def choose(page, name: str, score: int) -> None:
    """Tap the label of a score, as a thumb does."""
    page.locator(f"label[for='r-{name}-{score}']").click()


def test_the_citizen_rates_on_a_phone_and_the_commune_reads_it(browser, site):
    code = returned_dossier(User.objects.get(username="congdan"))
    people = People(browser, site)
    try:
        phone = people("congdan", phone=True)
        phone.goto(f"{site}/ho-so/{code}/#danh-gia")
        section = phone.locator("#danh-gia")
        expect(section.locator("fieldset")).to_have_count(6)
        no_sideways_scroll(phone)

        # Everything but the overall score and the officers: the form comes back with both named.
        for name, score in (("access", 4), ("procedure", 4), ("processing_time", 2), ("result", 5)):
            choose(phone, name, score)
        section.locator("#r-comment").fill(COMMENT)
        section.locator("button[type=submit]").click()
        summary = phone.locator("#error-summary")
        expect(summary).to_be_visible()
        expect(summary.locator("a")).to_have_count(2)
        expect(phone.locator("#r-processing_time-2")).to_be_checked()
        expect(phone.locator("#r-comment")).to_have_value(COMMENT)
        no_sideways_scroll(phone)

        choose(phone, "overall", 4)
        choose(phone, "officers", 5)
        phone.locator("#danh-gia button[type=submit]").click()
        expect(phone.locator("#danh-gia dl")).to_contain_text("4/5")
        expect(phone.locator("#danh-gia")).to_contain_text(COMMENT)
        expect(phone.locator("#danh-gia input[type=radio]")).to_have_count(0)
        rating = DossierRating.objects.get(dossier__code=code)
        assert (rating.overall, rating.officers, rating.processing_time) == (4, 5, 2)

        leader = people(f"lanhdao.{COMMUNE_SLUG}")
        leader.goto(f"{site}/mot-cua/")
        leader.locator("a[href='/mot-cua/danh-gia/']").click()
        expect(leader.get_by_text(COMMENT)).to_be_visible()
        expect(leader.get_by_role("link", name=code)).to_be_visible()
    finally:
        people.close()
