"""Rating a finished dossier (``services.rate_dossier``): once, by its applicant, after it ended in a way
they lived through; every value checked with a message by field; the rating copied with its agency and
procedure, announced (``signals.dossier_rated``) and audited in the same transaction."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation

from motcua.audit.models import AuditEntry
from motcua.dossiers import services as dossier_services
from motcua.dossiers.services import ActionRefused
from motcua.engagement import rules, selectors, services
from motcua.engagement.models import SATISFIED_FROM, DossierRating
from motcua.engagement.services import ratings as rating_services
from motcua.engagement.signals import dossier_rated

from .conftest import CRITERIA, to_returned

pytestmark = pytest.mark.django_db


def rate(dossier, by, **values):
    values = {"overall": 4, "criteria": dict(CRITERIA), "comment": "", **values}
    return services.rate_dossier(dossier, by=by, **values)


class TestOnce:
    def test_the_applicant_rates_a_returned_dossier(self, returned, citizen, agency, procedure):
        assert selectors.can_rate(returned, citizen)
        rating = rate(returned, citizen, overall=5, comment="  Cán bộ hướng dẫn tận tình.  ")
        assert (rating.dossier, rating.agency, rating.procedure, rating.rated_by) == (
            returned, agency, procedure, citizen,
        )  # fmt: skip
        assert (rating.overall, rating.access, rating.procedure_score, rating.officers) == (5, 5, 4, 5)
        assert (rating.processing_time, rating.result) == (3, 4)
        assert rating.scores() == CRITERIA
        assert rating.comment == "Cán bộ hướng dẫn tận tình."
        assert rating.rated_at is not None
        assert selectors.rating_of(returned) == rating
        assert not selectors.can_rate(returned, citizen)

    def test_a_second_rating_is_refused_and_the_first_stands(self, returned, citizen):
        first = rate(returned, citizen, overall=2)
        with translation.override("en"), pytest.raises(services.AlreadyRated, match="already been rated"):
            rate(returned, citizen, overall=5)
        assert DossierRating.objects.get() == first and DossierRating.objects.get().overall == 2

    def test_a_duplicate_that_slips_past_the_check_is_refused_by_the_database(
        self, returned, citizen, monkeypatch
    ):
        """Two requests at once both find no rating; the one-to-one row refuses the second, which gets
        the same clear answer (and the outer transaction stays usable for its rollback)."""
        first = rate(returned, citizen, overall=3)
        monkeypatch.setattr(rating_services, "_already_rated", lambda dossier: False)
        with transaction.atomic():
            with pytest.raises(services.AlreadyRated):
                rate(returned, citizen, overall=5)
            assert DossierRating.objects.count() == 1  # the transaction still answers
        assert DossierRating.objects.get() == first and first.overall == 3

    def test_refused_and_stopped_dossiers_are_rated_too(self, refused, citizen):
        assert rate(refused, citizen).dossier == refused

    def test_a_stopped_dossier(self, stopped, citizen):
        assert rate(stopped, citizen).dossier == stopped


class TestWho:
    def test_another_citizen_may_not(self, returned, other_citizen):
        with pytest.raises(PermissionDenied):
            rate(returned, other_citizen)
        assert not selectors.can_rate(returned, other_citizen)

    def test_the_agency_s_officers_may_not(self, returned, staff):
        for officer in staff.values():
            with pytest.raises(PermissionDenied):
                rate(returned, officer)
        assert not DossierRating.objects.exists()

    def test_the_desk_officer_who_registered_a_dossier_for_someone_does_not_rate_it(
        self, staff, procedure, agency
    ):
        """At the desk the officer is the dossier's sender (``submitted_by``): "own" for reading, never
        the applicant who rates."""
        dossier = dossier_services.register_at_counter(
            officer=staff["desk"], procedure=procedure, agency=agency, channel="in_person",
            applicant={"name": "Lê Văn Hùng", "id_number": "030080012345", "kind": "citizen"},
        )  # fmt: skip
        dossier = dossier_services.reject(dossier, by=staff["leader"], note="Không đủ điều kiện.")
        dossier = dossier_services.return_result(dossier, by=staff["desk"], method="desk")
        assert not rules.may_rate(dossier, staff["desk"])
        with pytest.raises(PermissionDenied):
            rate(dossier, staff["desk"])

    def test_an_inactive_account_may_not(self, returned, citizen):
        citizen.is_active = False
        citizen.save(update_fields=["is_active"])
        with pytest.raises(PermissionDenied):
            rate(returned, citizen)


class TestWhen:
    @pytest.mark.parametrize("fixture", ["sent", "in_progress", "withdrawn"])
    def test_not_before_the_end_nor_after_a_withdrawal(self, request, fixture, citizen):
        dossier = request.getfixturevalue(fixture)
        with translation.override("en"), pytest.raises(ActionRefused, match="once it has ended"):
            rate(dossier, citizen)
        assert not selectors.can_rate(dossier, citizen)

    def test_not_a_result_ready_but_not_yet_handed_over(self, sent, staff, citizen):
        dossier_services.receive(sent, by=staff["desk"])
        ready = dossier_services.reject(sent, by=staff["leader"], note="Không đủ điều kiện.")
        with pytest.raises(ActionRefused):
            rate(ready, citizen)


class TestValues:
    def test_every_wrong_value_is_named_with_its_message(self, returned, citizen):
        criteria = {"access": 0, "procedure": 6, "officers": "abc", "processing_time": True}  # result missing
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            rate(returned, citizen, overall=None, criteria=criteria, comment="x" * 2001)
        errors = caught.value.message_dict
        assert set(errors) == {
            "overall", "access", "procedure", "officers", "processing_time", "result", "comment",
        }  # fmt: skip
        assert errors["overall"] == ["Choose a score from 1 to 5."]
        assert errors["result"] == ["Choose a score from 1 to 5."]
        assert (
            "whole number from 1" in errors["access"][0] and "whole number from 1" in errors["procedure"][0]
        )
        assert "at most 2000 characters (it has 2001)" in errors["comment"][0]
        assert not DossierRating.objects.exists()

    @pytest.mark.parametrize("wrong", [4.5, "4.5", " ", "١", "45", -1, [4], {"x": 4}])
    def test_only_whole_numbers_from_one_to_five(self, returned, citizen, wrong):
        with pytest.raises(ValidationError) as caught:
            rate(returned, citizen, overall=wrong)
        assert list(caught.value.message_dict) == ["overall"]

    def test_digits_from_a_form_are_scores(self, returned, citizen):
        criteria = {key: str(value) for key, value in CRITERIA.items()}
        assert rate(returned, citizen, overall=" 1 ", criteria=criteria).scores() == CRITERIA

    def test_a_comment_is_text_without_nul(self, returned, citizen):
        for comment in (["a"], "a\x00b"):
            with pytest.raises(ValidationError) as caught:
                rate(returned, citizen, comment=comment)
            assert list(caught.value.message_dict) == ["comment"]

    def test_the_database_keeps_the_scale_too(self, returned, citizen):
        from django.db import IntegrityError

        rating = rate(returned, citizen)
        with pytest.raises(IntegrityError), transaction.atomic():
            DossierRating.objects.filter(pk=rating.pk).update(officers=6)


class TestRecord:
    def test_satisfied_means_four_or_five(self, returned, citizen):
        assert SATISFIED_FROM == 4
        rating = rate(returned, citizen, overall=3)
        assert not rating.satisfied
        rating.overall = 4
        assert rating.satisfied

    def test_the_signal_is_sent_inside_the_transaction_and_the_audit_entry_written(
        self, returned, citizen, monkeypatch
    ):
        heard = []

        def listener(sender, rating, **kwargs):
            heard.append((rating.pk, transaction.get_connection().in_atomic_block, rating.agency.code))

        dossier_rated.connect(listener, dispatch_uid="test.listener")
        try:
            rating = rate(returned, citizen)
        finally:
            dossier_rated.disconnect(dispatch_uid="test.listener")
        assert heard == [(rating.pk, True, returned.agency.code)]
        entry = AuditEntry.objects.get(action="dossier.rate")
        assert (entry.actor, entry.target_label, entry.detail["overall"]) == (citizen, returned.code, 4)

    def test_a_listener_that_fails_leaves_no_rating(self, returned, citizen):
        def failing(sender, rating, **kwargs):
            raise RuntimeError("statistics down")

        dossier_rated.connect(failing, dispatch_uid="test.failing")
        try:
            with pytest.raises(RuntimeError):
                rate(returned, citizen)
        finally:
            dossier_rated.disconnect(dispatch_uid="test.failing")
        assert not DossierRating.objects.exists()


class TestAgencyRatings:
    def test_newest_first_within_the_period_and_the_agencies(
        self, citizen, other_citizen, procedure, online_form, valid_data, staff, other_staff, agency,
        other_agency, monkeypatch,
    ):  # fmt: skip
        from datetime import date, datetime
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from .conftest import data_of, send

        vn = ZoneInfo("Asia/Ho_Chi_Minh")
        first = to_returned(send(citizen, procedure, valid_data, agency=agency), staff)
        second = to_returned(send(other_citizen, procedure, data_of(other_citizen), agency=agency), staff)
        # The other commune's dossier, rated too, is never in this commune's list.
        other = send(citizen, procedure, valid_data, agency=other_agency)
        dossier_services.refuse(other, by=other_staff["desk"], note="Không thuộc thẩm quyền.")
        for dossier, by, moment in (
            (first, citizen, datetime(2026, 3, 31, 23, 30, tzinfo=vn)),
            (second, other_citizen, datetime(2026, 4, 1, 8, 0, tzinfo=vn)),
            (other, citizen, datetime(2026, 4, 1, 9, 0, tzinfo=vn)),
        ):
            monkeypatch.setattr(timezone, "now", lambda moment=moment: moment)
            rate(dossier, by)
        mine = selectors.agency_ratings([agency])
        assert [r.dossier for r in mine] == [second, first]
        assert [r.dossier for r in selectors.agency_ratings([agency], since=date(2026, 4, 1))] == [second]
        assert [r.dossier for r in selectors.agency_ratings([agency], until=date(2026, 3, 31))] == [first]
        assert [r.dossier.pk for r in selectors.agency_ratings([other_agency])] == [other.pk]
        assert selectors.summary(mine) == {
            "count": 2,
            "satisfied": 2,
            "satisfied_percent": 100.0,
            "average": 4,
        }
