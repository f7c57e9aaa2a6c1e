"""The document store page (/kho-du-lieu/) and the reuse of a stored paper in the form, through the test
client: the owner sees, renames, dates, downloads and removes their papers; a later form offers the stored
paper of the component's kind as a radio choice, without JavaScript; nobody else reaches them (404)."""

import pytest

from motcua.catalog.models import PaperKind
from motcua.documents import selectors as document_selectors
from motcua.dossiers import services
from motcua.dossiers.models import AttachmentSource
from motcua.dossiers.tests.fixtures import PASSWORD, pdf_bytes, upload

pytestmark = pytest.mark.django_db

EVIDENCE = 2  # the form's "evidence" field is component 2, made an ID card


@pytest.fixture
def stored(procedure, online_form, citizen, valid_data, django_capture_on_commit_callbacks):
    procedure.components.filter(order=EVIDENCE).update(paper_kind=PaperKind.ID_CARD)
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes(1)), by=citizen)
    services.add_attachment(
        draft, component_order=EVIDENCE, upload=upload(pdf_bytes(2), "cccd.pdf"), by=citizen
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(draft, by=citizen)
    return document_selectors.store_of(citizen).get(paper_kind=PaperKind.ID_CARD)


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_store_lists_the_papers_sent_with_their_kind(client, stored, citizen):
    html = signed_in(client, citizen).get("/kho-du-lieu/").content.decode()

    assert stored.title == "Giấy tờ chứng minh" and stored.title in html  # the component's name
    assert f"/kho-du-lieu/{stored.pk}/tep/" in html and stored.origin.dossier.code in html


def test_the_owner_renames_dates_and_removes_a_paper(client, stored, citizen):
    web = signed_in(client, citizen)
    response = web.post(
        f"/kho-du-lieu/{stored.pk}/sua/",
        {"title": "CCCD mặt trước", "issuer": "Bộ Công an", "valid_until": "01/06/2031"},
    )
    assert response.status_code == 302
    stored.refresh_from_db()
    assert (stored.title, stored.issuer, str(stored.valid_until)) == (
        "CCCD mặt trước",
        "Bộ Công an",
        "2031-06-01",
    )

    bad = web.post(f"/kho-du-lieu/{stored.pk}/sua/", {"title": "x", "valid_until": "mai"})
    assert bad.status_code == 400 and 'id="error-summary"' in bad.content.decode()

    assert web.get(f"/kho-du-lieu/{stored.pk}/tep/").content == pdf_bytes(2)
    assert web.post(f"/kho-du-lieu/{stored.pk}/xoa/").status_code == 302
    assert web.get(f"/kho-du-lieu/{stored.pk}/tep/").status_code == 404
    # The dossier's copy stays.
    assert stored.origin.dossier.attachments.filter(component_order=EVIDENCE).count() == 1


@pytest.mark.parametrize(("method", "path"), [("get", "tep/"), ("post", "sua/"), ("post", "xoa/")])
def test_another_citizen_gets_not_found(client, stored, other_citizen, method, path):
    web = signed_in(client, other_citizen)
    response = getattr(web, method)(
        f"/kho-du-lieu/{stored.pk}/{path}", {"title": "x"} if method == "post" else None
    )

    assert response.status_code == 404
    assert stored.title not in web.get("/kho-du-lieu/").content.decode()
    stored.refresh_from_db()
    assert stored.title != "x" and stored.removed_at is None


def test_the_form_offers_the_stored_paper_and_takes_it_without_javascript(client, stored, citizen, procedure):
    web = signed_in(client, citizen)
    draft = services.create_draft(procedure=procedure, applicant=citizen, data={})
    edit = f"/ho-so/{draft.uuid}/soan/?buoc=1"
    html = web.get(edit).content.decode()
    assert 'class="stored-papers' in html
    assert f'name="stored.evidence" id="f-evidence-stored-{stored.pk}" value="{stored.pk}"' in html
    assert 'name="stored.declaration"' not in html  # the declaration's kind is unknown: nothing to offer

    response = web.post(
        f"/ho-so/{draft.uuid}/soan/",
        {
            "_step": "1", "_action": "save", "full_name": "Lê Thị Hoa", "personal_id": "030190054321",
            "reason": "Xin xác nhận", "stored.evidence": str(stored.pk),
        },
    )  # fmt: skip
    assert response.status_code == 200, response.content.decode()[:2000]
    [attachment] = draft.attachments.all()
    assert attachment.reused_from == stored and attachment.source == AttachmentSource.STORE


def test_another_citizens_paper_posted_to_the_form_is_refused(client, stored, other_citizen, procedure):
    web = signed_in(client, other_citizen)
    draft = services.create_draft(procedure=procedure, applicant=other_citizen, data={})
    response = web.post(
        f"/ho-so/{draft.uuid}/soan/",
        {"_step": "1", "_action": "save", "reason": "x", "stored.evidence": str(stored.pk)},
    )
    assert response.status_code == 400
    assert not draft.attachments.exists()
