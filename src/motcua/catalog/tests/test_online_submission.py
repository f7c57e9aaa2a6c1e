"""Whether a procedure offers online submission is read from its record (an online method, active, for
applicants an online account can be), never from its service level, which is derived from it."""

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import make_procedure

pytestmark = pytest.mark.django_db

ONLINE = {"channel": "online", "processing_time": "3", "time_unit": "working_day"}
AT_THE_DESK = {"channel": "in_person", "processing_time": "3", "time_unit": "working_day"}


def test_an_online_method_makes_online_submission_whatever_the_level():
    assert make_procedure(online_level=1, methods=[AT_THE_DESK, ONLINE]).accepts_online_submission
    assert not make_procedure(online_level=4, methods=[AT_THE_DESK]).accepts_online_submission
    assert not make_procedure(online_level=4, methods=[]).accepts_online_submission


def test_a_retired_procedure_takes_no_online_dossier():
    assert not make_procedure(is_active=False, methods=[ONLINE]).accepts_online_submission


@pytest.mark.parametrize("types", [[], ["citizen"], ["foreigner"], ["business", "organisation"]])
def test_every_kind_of_applicant_has_an_account_that_sends_online(types):
    assert make_procedure(applicant_types=types, methods=[ONLINE]).accepts_online_submission


def test_the_candidates_for_online_submission_in_one_query(django_assert_num_queries):
    online = make_procedure(methods=[ONLINE, AT_THE_DESK])
    make_procedure(methods=[AT_THE_DESK])
    make_procedure(is_active=False, methods=[ONLINE])
    with django_assert_num_queries(2):  # the procedures, their methods
        found = [p for p in Procedure.objects.offering_online_submission() if p.accepts_online_submission]
    assert found == [online]
