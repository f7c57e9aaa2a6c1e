"""The "Phí, lệ phí" section of the review page, without JavaScript: lines, exemptions the applicant may
declare, quantities, a recalculate button that posts, and the fee frozen on the dossier's pages."""

import pytest

from motcua.catalog.models import Fee
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStatus
from motcua.dossiers.tests.fixtures import PASSWORD, make_officer, pdf_bytes, upload


@pytest.fixture
def fees(procedure):
    base = Fee.objects.create(
        procedure=procedure,
        name="Lệ phí cấp giấy xác nhận",
        amount=20000,
        exemptions=[{"group": "poor_household", "waive": "all"}],
    )
    copies = Fee.objects.create(procedure=procedure, name="Phí bản sao", amount=8000, unit_label="bản sao")
    return {"base": base, "copies": copies}


@pytest.fixture
def ready(client, citizen, procedure, online_form, valid_data, fees):
    """A citizen signed in with a draft whose form is complete."""
    assert client.login(username=citizen.username, password=PASSWORD)
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return draft


def review_url(draft) -> str:
    return f"/ho-so/{draft.uuid}/xem-lai/"


def test_the_review_page_shows_each_fee_and_the_total(client, ready):
    html = client.get(review_url(ready)).content.decode()
    assert 'id="fees"' in html
    assert "Lệ phí cấp giấy xác nhận" in html and "20.000 đ" in html
    assert "8.000 đ / bản sao" in html
    assert "28.000 đ" in html  # the total
    assert 'name="fee_group" value="poor_household"' in html and 'form="send-form"' in html
    assert 'name="recalculate"' in html


def test_recalculating_posts_the_declaration_and_shows_the_new_total(client, ready, fees):
    key = fees["copies"].quantity_key
    response = client.post(
        review_url(ready), {"recalculate": "1", "fee_group": ["poor_household"], f"fee_qty_{key}": "2"}
    )
    assert response.status_code == 302 and response["Location"].endswith("/xem-lai/#fees")
    ready.refresh_from_db()
    assert ready.status == DossierStatus.DRAFT  # not sent
    assert ready.fee_declaration == {"groups": ["poor_household"], "quantities": {key: 2}}
    html = client.get(review_url(ready)).content.decode()
    assert "16.000 đ" in html  # 0 for the exempted fee, 2 × 8.000 đ
    assert 'value="poor_household" id="f-fee-group-poor_household" form="send-form" checked' in html


def test_a_bad_quantity_comes_back_with_the_error_and_nothing_is_sent(client, ready, fees):
    key = fees["copies"].quantity_key
    response = client.post(review_url(ready), {f"fee_qty_{key}": "1000"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#fees"' in html and 'id="f-fees-error"' in html
    assert 'value="1000"' in html  # what was typed, to correct it
    assert Dossier.objects.get(pk=ready.pk).status == DossierStatus.DRAFT


def test_sending_freezes_the_fee_shown_on_the_citizens_and_the_officers_page(
    client, ready, fees, agency, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(review_url(ready), {"fee_group": ["poor_household"]})
    assert response.status_code == 302
    sent = Dossier.objects.get(pk=ready.pk)
    assert (sent.status, sent.fee_total) == (DossierStatus.SUBMITTED, 8000)
    Fee.objects.filter(pk=fees["copies"].pk).update(amount=99000)  # a later price change

    html = client.get(f"/ho-so/{sent.code}/").content.decode()
    assert 'id="fees"' in html and "8.000 đ" in html and "99.000 đ" not in html
    assert 'name="fee_group"' not in html  # nothing to declare any more

    officer = make_officer("motcua.phi", agency)
    client.logout()
    assert client.login(username=officer.username, password=PASSWORD)
    html = client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    assert 'id="fees"' in html and "8.000 đ" in html
