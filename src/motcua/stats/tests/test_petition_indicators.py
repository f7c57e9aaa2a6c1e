"""The two petition indicators of Decision 766's satisfaction group, read from engagement's petitions: handled
on time ÷ handled, and satisfied ÷ rated, for the province, an agency (rolled up), by agency and by month."""

from datetime import timedelta

import pytest
from django.utils import timezone

from motcua.engagement.models import Petition
from motcua.engagement.services import petitions as services
from motcua.engagement.tests.petition_fixtures import H, L, send_petition
from motcua.stats import selectors
from motcua.stats.periods import Period
from motcua.stats.scope import Scope

pytestmark = pytest.mark.django_db
ANSWER = "Đã tiếp thu và sẽ điều chỉnh quy trình từ tháng sau, đề nghị ông/bà theo dõi."


def handled(citizen, unit, people, tree, *, late=False, ip="192.0.2.1"):
    petition = send_petition(citizen, client_ip=ip)
    services.route(petition, to_agency=tree[unit], by=people["reception"])
    if late:
        Petition.objects.filter(pk=petition.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    services.propose_answer(petition, answer=ANSWER, by=people[f"{unit}.{H}"])
    return services.approve_answer(petition, by=people[f"{unit}.{L}"])


def test_petitions_handled_on_time_and_satisfaction_for_the_province_and_each_agency(
    tree,
    people,
    citizen,
    other_citizen,
):
    on_time = handled(citizen, "commune", people, tree, ip="192.0.2.1")
    handled(other_citizen, "department", people, tree, late=True, ip="192.0.2.2")
    send_petition(citizen, client_ip="192.0.2.3")  # still at the reception: not handled, not counted
    services.rate_answer(on_time, by=citizen, satisfied=True)
    year = Period.of("year", timezone.localdate().year)

    province = selectors.report(year, Scope())
    row = province.indicator("petitions_on_time")
    assert (row["numerator"], row["denominator"], row["rate"]) == (1, 2, 0.5)
    satisfaction = province.indicator("petitions_satisfaction")
    assert (satisfaction["numerator"], satisfaction["denominator"], satisfaction["rate"]) == (1, 1, 1.0)
    assert row["points"] is not None  # available: it counts in the score

    # The province rolls up what is under it; the commune has its own.
    assert selectors.report(year, Scope(agency_id=tree["province"].pk)).figures["petitions_handled"] == 2
    commune = selectors.report(year, Scope(agency_id=tree["commune"].pk)).indicator("petitions_on_time")
    assert (commune["numerator"], commune["denominator"]) == (1, 1)
    by_agency = {r.key: r.indicator("petitions_on_time") for r in selectors.grouped(year, None, "agency")}
    department = by_agency[tree["department"].pk]
    assert (department["numerator"], department["denominator"]) == (0, 1)
    months = [r for r in selectors.grouped(year, None, "month") if r.figures["petitions_handled"]]
    assert [m.key for m in months] == [timezone.localdate().replace(day=1)]
    # A channel is a dossier's: grouped by channel, petitions are not split, and not invented.
    assert all(not r.figures["petitions_handled"] for r in selectors.grouped(year, None, "channel"))
