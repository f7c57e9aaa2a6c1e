"""The fee of a dossier: the applicant declares exemption groups and quantities on a draft, sees the total,
and the quote is frozen when the dossier is sent (a later change of price does not alter it)."""

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import Fee
from motcua.dossiers import services
from motcua.dossiers.services import fees as fee_services

from .fixtures import client_for, pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def fees(procedure):
    """A fee per dossier with exemptions, and a fee per copy whose number the applicant enters."""
    base = Fee.objects.create(
        procedure=procedure,
        name="Lệ phí cấp giấy xác nhận",
        amount=20000,
        exemptions=[{"group": "poor_household", "waive": "all"}, {"group": "student", "percent": 50}],
    )
    copies = Fee.objects.create(
        procedure=procedure, channel="online", name="Phí cấp bản sao", amount=8000, unit_label="bản sao"
    )
    Fee.objects.create(procedure=procedure, channel="in_person", name="Tại quầy", amount=99000)
    return {"base": base, "copies": copies}


@pytest.fixture
def draft(citizen, procedure, online_form, valid_data, fees):
    return services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)


def test_a_draft_quotes_the_online_fees_before_it_is_sent(draft):
    quote = fee_services.quote_of(draft)
    assert [(line["name"], line["total"]) for line in quote["lines"]] == [
        ("Lệ phí cấp giấy xác nhận", 20000),
        ("Phí cấp bản sao", 8000),
    ]
    assert (quote["total"], quote["quoted_at"]) == (28000, None)


def test_declared_groups_and_quantities_change_the_total(draft, citizen, fees):
    key = fees["copies"].quantity_key
    draft = services.update_draft(
        draft, by=citizen, fee_declaration={"groups": ["student"], "quantities": {key: "3"}}
    )
    assert draft.fee_declaration == {"groups": ["student"], "quantities": {key: 3}}
    quote = fee_services.quote_of(draft)
    assert [line["total"] for line in quote["lines"]] == [10000, 24000]
    assert quote["lines"][0]["exemption_group"] == "student"
    assert quote["total"] == 34000


@pytest.mark.parametrize(
    "declaration",
    [
        {"groups": ["elderly"]},  # a group that no fee of this procedure exempts
        {"groups": ["nobody"]},
        {"groups": "poor_household"},
        {"quantities": {"fee-999999": 2}},
        {"quantities": "many"},
        {"other": 1},
        ["poor_household"],
    ],
)
def test_a_bad_declaration_is_refused_and_nothing_is_kept(draft, citizen, declaration):
    with pytest.raises(ValidationError) as caught:
        services.update_draft(draft, by=citizen, fee_declaration=declaration)
    assert list(caught.value.message_dict) == ["fee_declaration"]
    assert caught.value.message_dict["fee_declaration"][0]
    draft.refresh_from_db()
    assert draft.fee_declaration == {}


@pytest.mark.parametrize("quantity", [0, -1, 101, "2.5", "hai", True])
def test_a_quantity_must_be_a_sane_whole_number(draft, citizen, fees, quantity):
    with pytest.raises(ValidationError) as caught:
        services.update_draft(
            draft, by=citizen, fee_declaration={"quantities": {fees["copies"].quantity_key: quantity}}
        )
    assert "100" in caught.value.message_dict["fee_declaration"][0]


def test_the_quote_is_frozen_when_sent_and_a_later_price_change_does_not_alter_it(draft, citizen, fees):
    services.update_draft(draft, by=citizen, fee_declaration={"groups": ["poor_household"]})
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    sent = services.submit(draft, by=citizen)
    assert (sent.fee_total, sent.fee_quote["groups"]) == (8000, ["poor_household"])
    assert sent.fee_quote["quoted_at"]
    assert sorted(sent.fee_quote["fee_ids"]) == sorted([fees["base"].pk, fees["copies"].pk])

    Fee.objects.filter(pk=fees["copies"].pk).update(amount=50000)
    sent.refresh_from_db()
    assert sent.fee_total == 8000
    assert fee_services.quote_of(sent)["total"] == 8000
    assert fee_services.quote_of(sent)["lines"][1]["unit_amount"] == 8000


def test_the_declaration_of_a_sent_dossier_no_longer_changes(draft, citizen):
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    sent = services.submit(draft, by=citizen)
    with pytest.raises(services.ActionRefused):
        services.update_draft(sent, by=citizen, fee_declaration={"groups": ["student"]})
    sent.refresh_from_db()
    assert sent.fee_declaration == {} and sent.fee_total == 28000


def test_a_fee_counted_by_a_form_field_reads_the_form(citizen, procedure, online_form, valid_data):
    Fee.objects.create(procedure=procedure, name="Phí", amount=5000, unit_label="bản", per_unit="copies")
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    draft.data = {**draft.data, "copies": 4}
    assert fee_services.quote_of(draft)["total"] == 20000


class TestApi:
    def test_the_draft_api_reads_and_writes_the_declaration(self, draft, citizen, fees):
        client = client_for(citizen)
        url = f"/api/v1/dossiers/{draft.uuid}/"
        body = client.get(url).json()
        assert (body["fee_quote"]["total"], body["fee_declaration"], body["fee_total"]) == (28000, {}, 0)

        answer = client.patch(
            url, {"fee_declaration": {"groups": ["poor_household"]}}, content_type="application/json"
        )
        assert answer.status_code == 200, answer.content
        assert answer.json()["fee_quote"]["total"] == 8000

        refused = client.patch(
            url, {"fee_declaration": {"groups": ["elderly"]}}, content_type="application/json"
        )
        assert refused.status_code == 400
        assert "fee_declaration" in refused.json()["errors"]

    def test_another_citizen_cannot_read_or_declare_on_the_draft(self, draft, other_citizen):
        client = client_for(other_citizen)
        url = f"/api/v1/dossiers/{draft.uuid}/"
        assert client.get(url).status_code == 404
        answer = client.patch(
            url, {"fee_declaration": {"groups": ["poor_household"]}}, content_type="application/json"
        )
        assert answer.status_code == 404
        draft.refresh_from_db()
        assert draft.fee_declaration == {}
