"""Journey (issue 12): a petition through the officers' back office in a browser, without JavaScript being
needed: the reception routes it from a 360 px phone, the commune's handler drafts the answer, its leader
approves it, and the reception publishes it after a personal-data error shown on the field. Every page is
checked by axe-core at 1280 and 360 px (``e2e/conftest.py``).

The demo has no officer in the petition roles: the journey gives three demo-tree agencies their moderator,
handler and leader. The petition itself is sent through the service (the public form is another journey's).
"""

from playwright.sync_api import expect

from e2e.test_backoffice_journey import COMMUNE_SLUG, People
from e2e.test_submission_journey import no_sideways_scroll
from motcua.accounts.models import OfficerRole, User
from motcua.catalog.models import Agency
from motcua.catalog.selectors import agencies_under
from motcua.dossiers.tests.fixtures import make_officer
from motcua.engagement.models import Petition
from motcua.engagement.selectors.petitions import reception_agency
from motcua.engagement.services import petitions as petition_services

ANSWER = "UBND xã đã rà soát quy trình cấp giấy xác nhận và sẽ rút ngắn thời gian trả kết quả từ tháng sau."


def test_a_petition_is_routed_answered_approved_and_published(browser, site):
    reception = reception_agency()
    commune = Agency.objects.get(slug=COMMUNE_SLUG)
    assert commune.pk in agencies_under([reception.pk]), "the demo commune is under the reception"
    make_officer("tiepnhan.pakn", reception, role=OfficerRole.MODERATOR)
    make_officer("xuly.pakn", commune, role=OfficerRole.HANDLER)
    make_officer("lanhdao.pakn", commune, role=OfficerRole.LEADER)
    sent = petition_services.send_petition(
        kind="petition", category="other", by=User.objects.get(username="congdan"), consent_to_publish=True,
        subject="Thời gian xác nhận tình trạng hôn nhân còn dài",
        content="Đề nghị xã rút ngắn thời gian cấp giấy xác nhận tình trạng hôn nhân cho người dân.",
        client_ip="192.0.2.99",
    )  # fmt: skip
    people = People(browser, site)
    try:
        phone = people("tiepnhan.pakn", phone=True)
        phone.goto(f"{site}/mot-cua/phan-anh/")
        expect(phone.get_by_role("link", name=sent.code)).to_be_visible()
        no_sideways_scroll(phone)
        phone.get_by_role("link", name=sent.code).click()
        expect(phone.get_by_role("heading", level=1)).to_contain_text(sent.subject)
        no_sideways_scroll(phone)
        phone.locator("#p-route-agency").select_option(COMMUNE_SLUG)
        phone.locator("form:has(input[value=route]) button[type=submit]").click()
        expect(phone.locator(".alert-success")).to_be_visible()
        assert Petition.objects.get(pk=sent.pk).agency == commune

        handler = people("xuly.pakn")
        handler.goto(f"{site}/mot-cua/")
        handler.locator("a[href='/mot-cua/phan-anh/']").first.click()
        handler.get_by_role("link", name=sent.code).click()
        handler.locator("#p-propose_answer-answer").fill(ANSWER)
        handler.locator("form:has(input[value=propose_answer]) button[type=submit]").click()
        expect(handler.locator(".alert-success")).to_be_visible()
        expect(handler.locator("#p-propose_answer-answer")).to_have_count(0)

        leader = people("lanhdao.pakn")
        leader.goto(f"{site}/mot-cua/phan-anh/?hang-doi=awaiting_approval")
        leader.get_by_role("link", name=sent.code).click()
        expect(leader.locator("#p-approve_answer-answer")).to_have_value(ANSWER)
        leader.locator("form:has(input[value=approve_answer]) button[type=submit]").click()
        expect(leader.locator("#p-approve_answer-answer")).to_have_count(0)

        phone.goto(f"{site}/mot-cua/phan-anh/{sent.code}/")
        phone.locator("#p-publish-answer").fill(ANSWER + " Liên hệ số 0912 345 678.")
        phone.locator("form:has(input[value=publish]) button[type=submit]").click()
        expect(phone.locator("#p-publish-answer-error")).to_be_visible()
        expect(phone.locator("#p-publish-answer")).to_have_attribute("aria-invalid", "true")
        no_sideways_scroll(phone)
        phone.locator("#p-publish-answer").fill(ANSWER)
        phone.locator("form:has(input[value=publish]) button[type=submit]").click()
        expect(phone.locator("form:has(input[value=unpublish])")).to_be_visible()
        assert Petition.objects.get(pk=sent.pk).is_published
    finally:
        people.close()
