"""Fees as data: the exemption rule format, the quote (examples and properties), import and wording."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.catalog import fees, services
from motcua.catalog.fees import ExemptionGroup, check_exemptions, quote, quote_fees
from motcua.catalog.models import Fee, Procedure
from motcua.catalog.tests.factories import make_procedure

PROPERTY = settings(max_examples=200, deadline=None, database=None)


@pytest.fixture(autouse=True)
def _english():
    """The messages are matched in English, whatever the site's default language."""
    with translation.override("en"):
        yield


def fee(amount, *, unit="", per_unit="", exemptions=(), name="Lệ phí", channel=""):
    return Fee(
        name=name,
        amount=amount,
        unit_label=unit,
        per_unit=per_unit,
        exemptions=list(exemptions),
        channel=channel,
    )


# --- the rule format ---------------------------------------------------------------------------------------


def test_rules_are_data_in_a_small_format():
    rules = [{"group": "poor_household", "waive": "all"}, {"group": "disability", "percent": 50}]
    assert check_exemptions(rules) == rules
    assert check_exemptions(None) == []


@pytest.mark.parametrize(
    ("rules", "said"),
    [
        ({"group": "poor_household"}, "must be a list"),
        (["poor_household"], "must be an object"),
        ([{"group": "rich", "waive": "all"}], "'rich' is not a group"),
        ([{"group": "child"}], 'either "waive": "all" or a "percent"'),
        ([{"group": "child", "waive": "all", "percent": 10}], 'either "waive": "all" or a "percent"'),
        ([{"group": "child", "waive": "some"}], '"waive" can only be "all"'),
        ([{"group": "child", "percent": 0}], "from 1 to 100"),
        ([{"group": "child", "percent": 150}], "from 1 to 100"),
        ([{"group": "child", "percent": "50"}], "from 1 to 100"),
        ([{"group": "child", "percent": True}], "from 1 to 100"),
        ([{"group": "child", "percent": 10, "when": "__import__('os')"}], "unknown key when"),
        ([{"group": "child", "waive": "all"}, {"group": "child", "percent": 5}], "already has a rule"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(rules, said):
    with pytest.raises(ValidationError) as caught:
        check_exemptions(rules)
    assert said in " ".join(caught.value.messages)


def test_the_admin_checks_a_fee_rules_through_the_model():
    with pytest.raises(ValidationError):
        fee(1000, exemptions=[{"group": "nobody", "waive": "all"}]).clean()
    with pytest.raises(ValidationError):
        fee(1000, per_unit="copies").clean()  # a quantity field needs a unit


# --- the quote --------------------------------------------------------------------------------------------


def test_a_fee_per_copy_counts_the_copies():
    copy = fee(8000, unit="bản sao", per_unit="copies")
    result = quote_fees([copy], quantities={"copies": 3})
    assert (result.total, result.lines[0].quantity, result.lines[0].unit_label) == (24000, 3, "bản sao")


def test_a_fee_per_dossier_ignores_quantities():
    assert quote_fees([fee(50000, per_unit="")], quantities={"fee-None": 5}).total == 50000


def test_the_most_favourable_exemption_applies_once():
    record = fee(
        200000,
        exemptions=[{"group": "student", "percent": 50}, {"group": "disability", "waive": "all"}],
    )
    student = quote_fees([record], groups=["student"])
    assert (student.total, student.lines[0].exemption_group, student.lines[0].exemption_percent) == (
        100000,
        "student",
        50,
    )
    both = quote_fees([record], groups=["student", "disability"])
    assert (both.total, both.lines[0].exemption_group) == (0, "disability")
    assert quote_fees([record], groups=["elderly"]).total == 200000  # not a group this fee exempts


def test_a_fee_that_varies_makes_the_quote_not_payable_online():
    result = quote_fees([fee(None, name="Lệ phí cấp phép"), fee(10000)])
    assert (result.payable_online, result.total, result.lines[0].total) == (False, 10000, None)


def test_quote_reads_the_fees_of_the_channel():
    procedure = make_procedure(
        fees=[
            {"channel": "in_person", "name": "Tại quầy", "amount": 20000},
            {"channel": "online", "name": "Trực tuyến", "amount": 10000},
            {"name": "Mọi kênh", "amount": 8000, "unit_label": "bản sao", "exemptions": []},
        ]
    )
    copies = procedure.fees.get(name="Mọi kênh")
    result = quote(procedure, channel="online", quantities={copies.quantity_key: 2})
    assert [(line.name, line.total) for line in result.lines] == [("Mọi kênh", 16000), ("Trực tuyến", 10000)]
    assert result.as_json()["fee_ids"] == [line.fee_id for line in result.lines]
    assert result.as_json()["total"] == 26000


amounts = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9))
rules = st.lists(
    st.builds(
        lambda group, percent: (
            {"group": group, "waive": "all"} if percent == 100 else {"group": group, "percent": percent}
        ),
        st.sampled_from(ExemptionGroup.values),
        st.integers(min_value=1, max_value=100),
    ),
    max_size=4,
    unique_by=lambda rule: rule["group"],
)
fee_rows = st.builds(
    lambda amount, unit, rules: fee(amount, unit=unit, per_unit="n" if unit else "", exemptions=rules),
    amounts,
    st.sampled_from(["", "bản sao"]),
    rules,
)
declared = st.lists(st.sampled_from(ExemptionGroup.values), max_size=3)


@PROPERTY
@given(st.lists(fee_rows, max_size=5), st.integers(min_value=1, max_value=100), declared)
def test_a_total_is_never_negative_and_an_exemption_never_raises_a_price(rows, quantity, groups):
    exempted = quote_fees(rows, quantities={"n": quantity}, groups=groups)
    plain = quote_fees(rows, quantities={"n": quantity})
    assert exempted.total >= 0
    assert exempted.total <= plain.total
    for line, full in zip(exempted.lines, plain.lines, strict=True):
        assert (line.total is None) == (line.unit_amount is None)
        if line.total is not None:
            assert 0 <= line.total <= full.total
    assert exempted.payable_online == all(row.amount is not None for row in rows)


# --- import, export, wording --------------------------------------------------------------------------------


def test_fee_rules_and_fee_before_processing_travel_with_the_record():
    procedure = make_procedure(
        fee_before_processing=True,
        fees=[
            {
                "name": "Phí cấp bản sao",
                "amount": 8000,
                "unit_label": "bản sao",
                "per_unit": "copies",
                "exemptions": [{"group": "poor_household", "waive": "all"}],
            }
        ],
    )
    record = services.procedure_to_record(procedure)
    assert record["fee_before_processing"] is True
    assert record["fees"][0] | {} == {
        "channel": "",
        "name": "Phí cấp bản sao",
        "amount": 8000,
        "description": "",
        "unit_label": "bản sao",
        "per_unit": "copies",
        "exemptions": [{"group": "poor_household", "waive": "all"}],
    }


def test_an_import_with_a_bad_rule_writes_nothing_and_says_where():
    with pytest.raises(services.ImportRejected) as caught:
        make_procedure(
            code="1.000777", fees=[{"name": "Lệ phí", "amount": 1, "exemptions": [{"group": "x"}]}]
        )
    assert "fees[1].exemptions" in str(caught.value)
    assert not Procedure.objects.filter(code="1.000777").exists()


def test_the_wording_comes_from_the_data():
    copy = fee(
        8000,
        unit="bản sao",
        exemptions=[{"group": "poor_household", "waive": "all"}, {"group": "student", "percent": 50}],
    )
    with translation.override("en"):
        assert fees.fee_wording(copy) == [
            "per bản sao",
            "free for: Member of a poor household",
            "50% off for: Pupil or student",
        ]


pytestmark = pytest.mark.django_db


def test_the_api_and_the_page_word_the_fee_from_its_data(client):
    procedure = make_procedure(
        online_level=4,
        fee_before_processing=True,
        fees=[
            {
                "name": "Phí cấp bản sao",
                "amount": 8000,
                "unit_label": "bản sao",
                "exemptions": [{"group": "disability", "waive": "all"}],
            }
        ],
    )
    body = client.get(f"/api/v1/procedures/{procedure.code}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (body["fee_before_processing"], body["declared_online_level"], body["online_level"]) == (
        True,
        4,
        3,
    )
    assert body["fees"][0]["exemptions"] == [{"group": "disability", "waive": "all"}]
    assert body["fees"][0]["wording"] == ["per bản sao", "free for: Person with a disability"]
    html = client.get(f"/thu-tuc/{procedure.code}/").content.decode()
    assert "Phí cấp bản sao" in html and "8.000 đ" in html
    assert html.count("bản sao") >= 2  # the name and the unit
