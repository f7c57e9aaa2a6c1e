"""The officers' petition pages (``/mot-cua/phan-anh/``): a petition taken from the reception to its published
answer through the page's forms, the queues each role sees, errors shown where they belong, the files, and
the rules tried from the wrong side (another agency, the wrong role, a citizen, nobody signed in)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.tests.fixtures import pdf_bytes, upload
from motcua.engagement.models import Petition, PetitionStatus
from motcua.engagement.services import petitions as services
from motcua.engagement.tests.petition_fixtures import H, L, M, send_feedback, send_petition

pytestmark = pytest.mark.django_db
S = PetitionStatus
QUEUES = "/mot-cua/phan-anh/"
ANSWER = "UBND xã Đông đã rà soát quy trình cấp phép và sẽ rút ngắn thời hạn còn 12 ngày từ quý sau."


def page_of(petition) -> str:
    return f"/mot-cua/phan-anh/{petition.code}/"


def act_of(petition) -> str:
    return f"/mot-cua/phan-anh/{petition.code}/thao-tac/"


def form_of(html: str, action: str) -> str:
    """The HTML of the form of ``action`` on the petition's page."""
    start = html.index(f'name="action" value="{action}"')
    return html[start : html.index("</form>", start)]


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def as_(client, user):
    client.force_login(user)
    return client


# --- the way through ----------------------------------------------------------------------------------------


def test_from_the_reception_to_the_published_answer_through_the_page(english, petition, tree, people):
    client = as_(english, people["reception"])
    html = client.get(page_of(petition)).content.decode()
    route = form_of(html, "route")
    assert f'value="{tree["commune"].slug}"' in route and f'value="{tree["elsewhere"].slug}"' not in route
    assert f'value="{tree["province"].slug}"' not in route  # already in charge

    response = client.post(
        act_of(petition), {"action": "route", "agency": tree["commune"].slug, "note": "Việc của xã."}
    )
    assert response.status_code == 302 and response["Location"] == page_of(petition)
    petition.refresh_from_db()
    assert (petition.status, petition.agency) == (S.IN_HAND, tree["commune"])
    assert "Done: Route to an agency." in client.get(page_of(petition)).content.decode()

    # The commune's handler drafts the answer.
    client = as_(english, people[f"commune.{H}"])
    assert "Propose the answer" in client.get(page_of(petition)).content.decode()
    response = client.post(act_of(petition), {"action": "propose_answer", "answer": ANSWER})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.answer, petition.handler) == (
        S.AWAITING_APPROVAL,
        ANSWER,
        people[f"commune.{H}"],
    )

    # Its leader reads the draft in the form, edits it and approves it.
    client = as_(english, people[f"commune.{L}"])
    approve = form_of(client.get(page_of(petition)).content.decode(), "approve_answer")
    assert ANSWER in approve
    response = client.post(act_of(petition), {"action": "approve_answer", "answer": ANSWER + " Trân trọng."})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert (petition.status, petition.answer) == (S.ANSWERED, ANSWER + " Trân trọng.")
    assert petition.answered_by == people[f"commune.{L}"]

    # The reception publishes it: the texts are offered as they are; a phone number left in is refused,
    # shown on its field, and what the moderator wrote stays in the form.
    client = as_(english, people["reception"])
    publish = form_of(client.get(page_of(petition)).content.decode(), "publish")
    assert petition.subject in publish and petition.content in publish and "Trân trọng." in publish
    texts = {"subject": petition.subject, "question": petition.content}
    careless = ANSWER + " Liên hệ bà Hoa qua số 0912 345 678."
    response = client.post(act_of(petition), {"action": "publish", **texts, "answer": careless})
    assert response.status_code == 400
    publish = form_of(response.content.decode(), "publish")
    answer_field = publish[publish.index('id="p-publish-answer"') :]
    assert answer_field.startswith('id="p-publish-answer" name="answer" rows="8" maxlength="10000" required')
    assert 'aria-invalid="true" aria-describedby="p-publish-answer-error"' in answer_field.split(">")[0]
    error = publish[publish.index('id="p-publish-answer-error"') :]
    assert "Remove the personal data before publishing" in error.split("</div>")[0]
    assert careless in publish
    assert 'id="p-publish-question-error"' not in publish  # the question was clean
    petition.refresh_from_db()
    assert not petition.is_published

    response = client.post(act_of(petition), {"action": "publish", **texts, "answer": ANSWER})
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.is_published and petition.published_answer == ANSWER
    html = client.get(page_of(petition)).content.decode()
    assert 'value="unpublish"' in html and 'value="publish"' not in html
    steps = [e.action for e in petition.events.all()]
    assert steps == ["send", "route", "propose_answer", "approve_answer", "publish"]


def test_a_reason_left_out_is_shown_on_its_field(english, petition, people):
    client = as_(english, people["reception"])
    response = client.post(act_of(petition), {"action": "decline", "note": ""})
    assert response.status_code == 400
    decline = form_of(response.content.decode(), "decline")
    assert 'id="p-decline-note-error" role="alert">This is required.' in decline
    petition.refresh_from_db()
    assert petition.status == S.RECEIVED


def test_a_stale_page_gets_409_with_what_happened(english, petition, people):
    client = as_(english, people["reception"])
    services.decline(petition, by=people["reception"], note="Không thuộc thẩm quyền hành chính.")
    response = client.post(act_of(petition), {"action": "decline", "note": "Bấm lần nữa từ trang cũ."})
    assert response.status_code == 409
    assert "This cannot be done while the petition is" in response.content.decode()
    assert petition.events.filter(action="decline").count() == 1


def test_duplicates_are_merged_by_code_and_an_unknown_code_is_named(english, routed, citizen, people):
    again = send_petition(citizen, client_ip="192.0.2.21")
    client = as_(english, people["reception"])
    response = client.post(act_of(again), {"action": "merge", "into": "KHONG-CO-MA"})
    assert response.status_code == 400
    assert "No petition has this code." in form_of(response.content.decode(), "merge")
    response = client.post(act_of(again), {"action": "merge", "into": routed.code.lower(), "note": ""})
    assert response.status_code == 302
    again.refresh_from_db()
    assert (again.status, again.merged_into) == (S.MERGED, routed)
    html = client.get(page_of(routed)).content.decode()
    assert f'href="{page_of(again)}"' in html  # the duplicate is listed on the one it joined


def test_a_leader_gives_it_to_a_handler_of_the_agency_in_charge(english, routed, tree, people):
    client = as_(english, people[f"commune.{L}"])
    assign = form_of(client.get(page_of(routed)).content.decode(), "assign")
    assert (
        f'value="{people[f"commune.{H}"].pk}"' in assign and f'value="{people[f"commune.{L}"].pk}"' in assign
    )
    for outsider in (people[f"commune.{M}"], people[f"department.{H}"], people["desk"]):
        assert f'value="{outsider.pk}"' not in assign
    response = client.post(act_of(routed), {"action": "assign", "handler": people[f"department.{H}"].pk})
    assert response.status_code == 400
    assert "Choose a handler of the agency in charge." in response.content.decode()
    response = client.post(act_of(routed), {"action": "assign", "handler": people[f"commune.{H}"].pk})
    assert response.status_code == 302
    routed.refresh_from_db()
    assert routed.handler == people[f"commune.{H}"]


def test_returning_to_the_reception_leads_back_to_the_queues(english, routed, tree, people):
    client = as_(english, people[f"commune.{H}"])
    response = client.post(
        act_of(routed), {"action": "return_to_reception", "note": "Không thuộc thẩm quyền của xã."}
    )
    assert response.status_code == 302 and response["Location"] == QUEUES  # no longer theirs to open
    routed.refresh_from_db()
    assert (routed.status, routed.agency) == (S.RECEIVED, tree["province"])


# --- the queues ---------------------------------------------------------------------------------------------


def codes(response) -> set[str]:
    return {p.code for p in response.context["page_obj"]}


def test_each_role_sees_the_petitions_of_its_part_of_the_tree(client, petition, tree, people, citizen):
    other = send_feedback(client_ip="192.0.2.30")
    services.route(other, to_agency=tree["department"], by=people["reception"])

    reception = as_(client, people["reception"]).get(QUEUES + "?hang-doi=received")
    assert reception.status_code == 200 and codes(reception) == {petition.code}
    assert codes(client.get(QUEUES)) == {petition.code, other.code}  # the province sees what is under it

    services.route(petition, to_agency=tree["commune"], by=people["reception"])
    for who, seen in [
        (f"commune.{H}", {petition.code}),
        (f"commune.{L}", {petition.code}),
        (f"department.{H}", {other.code}),
        (f"elsewhere.{M}", set()),
    ]:
        assert codes(as_(client, people[who]).get(QUEUES)) == seen, who

    client.force_login(people[f"commune.{H}"])
    assert codes(client.get(QUEUES + "?hang-doi=mine")) == set()
    services.assign(petition, handler=people[f"commune.{H}"], by=people[f"commune.{L}"])
    response = client.get(QUEUES + "?hang-doi=mine")
    assert codes(response) == {petition.code}
    html = response.content.decode()
    for shown in (petition.code, petition.subject, tree["commune"].name, str(people[f"commune.{H}"])):
        assert shown in html

    services.propose_answer(petition, answer=ANSWER, by=people[f"commune.{H}"])
    leader = as_(client, people[f"commune.{L}"]).get(QUEUES + "?hang-doi=awaiting_approval")
    assert codes(leader) == {petition.code}
    services.approve_answer(petition, by=people[f"commune.{L}"])
    assert codes(client.get(QUEUES)) == set()
    assert codes(client.get(QUEUES + "?hang-doi=ended")) == {petition.code}


def test_the_overdue_tab_lists_an_overdue_petition_in_red(client, routed, people):
    on_time = send_feedback(client_ip="192.0.2.31")
    Petition.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(hours=2))
    client.force_login(people["reception"])
    response = client.get(QUEUES + "?hang-doi=overdue")
    assert codes(response) == {routed.code}
    html = response.content.decode()
    assert 'class="text-danger fw-bold"' in html
    tabs = html[html.index('class="queue-tabs') : html.index("</nav>", html.index('class="queue-tabs'))]
    assert 'badge text-bg-danger">1<' in tabs
    assert on_time.code in client.get(QUEUES).content.decode()


def test_the_queue_is_shown_a_page_at_a_time(client, tree, people, monkeypatch):
    from motcua.backoffice import petition_views

    monkeypatch.setattr(petition_views, "PAGE_SIZE", 2)
    sent = [send_feedback(client_ip=f"192.0.2.{40 + n}") for n in range(3)]
    client.force_login(people["reception"])
    first, second = client.get(QUEUES), client.get(QUEUES + "?page=2")
    assert codes(first) | codes(second) == {p.code for p in sent} and len(codes(second)) == 1
    assert "?page=2" in first.content.decode()


def test_the_home_page_counts_the_petitions_of_those_who_handle_them(client, routed, people):
    Petition.objects.filter(pk=routed.pk).update(due_at=timezone.now() - timedelta(hours=2))
    client.force_login(people[f"commune.{H}"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/mot-cua/")
    assert response.context["petition_counts"]["open"] == 1
    assert response.context["petition_counts"]["overdue"] == 1
    assert f'href="{QUEUES}"' in response.content.decode()
    assert len([q for q in queries if '"engagement_petition"' in q["sql"]]) == 1  # one aggregate query

    client.force_login(people["desk"])  # no engagement role: no link, and no query of petitions
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/mot-cua/")
    assert response.context["petition_counts"] is None and f'href="{QUEUES}"' not in response.content.decode()
    assert not [q for q in queries if "engagement_petition" in q["sql"]]


# --- files --------------------------------------------------------------------------------------------------


@pytest.fixture
def with_file(tree, citizen):
    return send_petition(citizen, attachments=[upload(pdf_bytes(), name="bien-ban.pdf")])


def test_an_officer_of_the_petition_downloads_its_file(client, with_file, people):
    attachment = with_file.attachments.get()
    client.force_login(people["reception"])
    html = client.get(page_of(with_file)).content.decode()
    url = f"{page_of(with_file)}tep/{attachment.pk}/"
    assert f'href="{url}"' in html and "bien-ban.pdf" in html
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and "bien-ban.pdf" in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    assert client.get(f"{page_of(with_file)}tep/{attachment.pk + 1}/").status_code == 404


# --- rules tried from the wrong side ------------------------------------------------------------------------


def test_an_officer_of_another_agency_finds_nothing(client, with_file, tree, people):
    services.route(with_file, to_agency=tree["commune"], by=people["reception"])
    attachment = with_file.attachments.get()
    for outsider in (people[f"elsewhere.{M}"], people[f"department.{L}"]):
        client.force_login(outsider)
        assert client.get(page_of(with_file)).status_code == 404
        assert client.get(f"{page_of(with_file)}tep/{attachment.pk}/").status_code == 404
        response = client.post(act_of(with_file), {"action": "decline", "note": "Không phải việc này."})
        assert response.status_code == 404
    with_file.refresh_from_db()
    assert with_file.status == S.IN_HAND


def test_a_handler_cannot_route(english, routed, tree, people):
    client = as_(english, people[f"commune.{H}"])
    html = client.get(page_of(routed)).content.decode()
    assert 'value="route"' not in html and 'value="decline"' not in html and 'value="assign"' not in html
    response = client.post(act_of(routed), {"action": "route", "agency": tree["department"].slug})
    assert response.status_code == 403
    assert "You may not do this to this petition." in response.content.decode()
    routed.refresh_from_db()
    assert routed.agency == tree["commune"] and routed.events.filter(action="route").count() == 1


def test_a_moderator_cannot_route_outside_their_part_of_the_tree(english, routed, tree, people):
    client = as_(english, people["reception"])
    route = form_of(client.get(page_of(routed)).content.decode(), "route")
    assert f'value="{tree["department"].slug}"' in route and f'value="{tree["elsewhere"].slug}"' not in route
    response = client.post(act_of(routed), {"action": "route", "agency": tree["elsewhere"].slug})
    assert response.status_code == 403
    assert "You may route petitions only to your agency or an agency under it." in response.content.decode()

    client = as_(english, people[f"commune.{M}"])
    html = client.get(page_of(routed)).content.decode()
    assert 'value="assign"' in html  # a moderator of the agency in charge
    assert 'value="route"' not in html  # with no agency under the commune to route it to
    response = client.post(act_of(routed), {"action": "route", "agency": tree["province"].slug})
    assert response.status_code == 403
    routed.refresh_from_db()
    assert routed.agency == tree["commune"] and routed.events.filter(action="route").count() == 1


def test_an_answer_is_approved_by_a_leader_only(client, routed, people):
    services.propose_answer(routed, answer=ANSWER, by=people[f"commune.{H}"])
    client.force_login(people[f"commune.{H}"])
    assert 'value="approve_answer"' not in client.get(page_of(routed)).content.decode()
    response = client.post(act_of(routed), {"action": "approve_answer", "answer": ANSWER})
    assert response.status_code == 403
    routed.refresh_from_db()
    assert routed.status == S.AWAITING_APPROVAL


def test_citizens_and_officers_without_a_petition_role_are_refused(client, petition, citizen, people):
    for outsider in (citizen, people["desk"]):
        client.force_login(outsider)
        assert client.get(QUEUES).status_code == 403
        assert client.get(page_of(petition)).status_code == 403
        assert (
            client.post(act_of(petition), {"action": "decline", "note": "Không hợp lệ."}).status_code == 403
        )
    client.logout()
    for response in (client.get(QUEUES), client.get(page_of(petition))):
        assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
    petition.refresh_from_db()
    assert petition.status == S.RECEIVED


def test_a_post_needs_the_page_s_csrf_token_and_a_known_action(petition, people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people["reception"])
    response = client.post(act_of(petition), {"action": "decline", "note": "Không thuộc thẩm quyền."})
    assert response.status_code == 403
    petition.refresh_from_db()
    assert petition.status == S.RECEIVED

    lenient = Client()
    lenient.force_login(people["reception"])
    assert lenient.post(act_of(petition), {"action": "rate"}).status_code == 400


def test_what_the_sender_wrote_is_never_rendered_as_html(client, tree, citizen, people):
    sent = send_petition(
        citizen,
        subject="<script>alert(1)</script> hỏng",
        content="Nội dung <img src=x onerror=alert(1)> đủ dài để gửi đi.",
        client_ip="192.0.2.50",
    )
    client.force_login(people["reception"])
    for url in (page_of(sent), QUEUES):
        html = client.get(url).content.decode()
        assert "<script>alert(1)" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
