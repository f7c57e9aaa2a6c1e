"""The pages of ratings: the rating section of the applicant's dossier page (a form without JavaScript, the
rating once given) and the back office's list of the agency's ratings, each only for whom it belongs to."""

import re

import pytest

from motcua.accounts.models import OfficerMembership, OfficerRole
from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.fixtures import make_officer
from motcua.engagement import services
from motcua.engagement.models import DossierRating

from .conftest import CRITERIA, data_of, send, to_returned

pytestmark = pytest.mark.django_db


def page(client, dossier) -> str:
    response = client.get(f"/ho-so/{dossier.code}/")
    assert response.status_code == 200
    return response.content.decode()


def posted(**values):
    return {"overall": "4", **{k: str(v) for k, v in CRITERIA.items()}, "comment": "", **values}


class TestDossierPage:
    def test_the_applicant_gets_an_accessible_form_once_the_dossier_has_ended(
        self, client, returned, citizen
    ):
        client.force_login(citizen)
        html = page(client, returned)
        assert 'id="danh-gia"' in html
        assert f'action="/ho-so/{returned.code}/danh-gia/#error-summary"' in html
        assert html.count("<fieldset") >= 6 and html.count("<legend") >= 6
        for name in ("overall", *CRITERIA):
            for score in range(1, 6):
                assert re.search(rf'<input[^>]+type="radio" name="{name}" id="r-{name}-{score}"', html)
                assert f'<label class="form-check-label" for="r-{name}-{score}">' in html
        assert '<textarea class="form-control" id="r-comment" name="comment"' in html
        assert 'for="r-comment"' in html

    def test_no_section_while_in_progress(self, client, in_progress, citizen):
        client.force_login(citizen)
        assert 'id="danh-gia"' not in page(client, in_progress)

    def test_the_officers_of_the_agency_see_no_form_on_the_portal(self, client, returned, staff):
        client.force_login(staff["desk"])
        response = client.get(f"/ho-so/{returned.code}/")
        assert response.status_code == 200
        assert 'id="danh-gia"' not in response.content.decode()

    def test_a_valid_rating_is_recorded_and_then_shown_read_only(self, client, returned, citizen):
        client.force_login(citizen)
        response = client.post(
            f"/ho-so/{returned.code}/danh-gia/", posted(overall="5", comment="Nhanh <b>gọn</b>")
        )
        assert response.status_code == 302
        assert response["Location"] == f"/ho-so/{returned.code}/#danh-gia"
        rating = DossierRating.objects.get(dossier=returned)
        assert (rating.overall, rating.scores(), rating.rated_by) == (5, CRITERIA, citizen)
        html = page(client, returned)
        assert 'id="danh-gia"' in html and 'name="overall"' not in html
        assert "5/5" in html and "Nhanh &lt;b&gt;gọn&lt;/b&gt;" in html

    def test_errors_come_back_beside_the_fields_with_nothing_lost(self, client, returned, citizen):
        client.force_login(citizen)
        response = client.post(
            f"/ho-so/{returned.code}/danh-gia/", posted(overall="", officers="9", comment="Chờ lâu")
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert 'id="error-summary"' in html and "<title>" in html
        assert 'href="#r-overall-1"' in html and 'href="#r-officers-1"' in html
        assert 'id="r-overall-error"' in html and 'id="r-officers-error"' in html
        assert 'aria-describedby="r-officers-hint r-officers-error"' in html
        # What was chosen stays chosen; the comment stays written.
        assert re.search(r'id="r-access-5" value="5" checked', html)
        assert re.search(r'id="r-processing_time-3" value="3" checked', html)
        assert not re.search(r'id="r-officers-\d" value="\d" checked', html)
        assert ">Chờ lâu</textarea>" in html
        assert not DossierRating.objects.exists()

    def test_another_citizen_gets_404_and_an_officer_403(self, client, returned, other_citizen, staff):
        client.force_login(other_citizen)
        assert client.post(f"/ho-so/{returned.code}/danh-gia/", posted()).status_code == 404
        client.force_login(staff["leader"])
        assert client.post(f"/ho-so/{returned.code}/danh-gia/", posted()).status_code == 403
        client.logout()
        assert client.post(f"/ho-so/{returned.code}/danh-gia/", posted()).status_code == 302  # to sign in
        assert not DossierRating.objects.exists()

    def test_a_second_rating_is_refused_with_a_message(self, client, returned, citizen, settings):
        client.force_login(citizen)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.post(f"/ho-so/{returned.code}/danh-gia/", posted(overall="2"))
        response = client.post(f"/ho-so/{returned.code}/danh-gia/", posted(overall="5"), follow=True)
        assert DossierRating.objects.get().overall == 2
        assert "already been rated" in response.content.decode()

    def test_too_early_is_refused_with_a_message(self, client, in_progress, citizen, settings):
        client.force_login(citizen)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.post(f"/ho-so/{in_progress.code}/danh-gia/", posted(), follow=True)
        assert "once it has ended" in response.content.decode() and not DossierRating.objects.exists()

    def test_only_post(self, client, returned, citizen):
        client.force_login(citizen)
        assert client.get(f"/ho-so/{returned.code}/danh-gia/").status_code == 405


class TestBackOffice:
    URL = "/mot-cua/danh-gia/"

    @pytest.fixture
    def rated(self, returned, citizen):
        return services.rate_dossier(
            returned, by=citizen, overall=2, criteria=CRITERIA, comment="Phải đi lại ba lần."
        )

    @pytest.fixture
    def rated_elsewhere(self, other_citizen, procedure, online_form, other_agency, other_staff):
        """A rating of the other commune's dossier, with a comment of its own."""
        dossier = send(other_citizen, procedure, data_of(other_citizen), agency=other_agency)
        dossier_services.refuse(dossier, by=other_staff["desk"], note="Không thuộc thẩm quyền.")
        return services.rate_dossier(
            dossier, by=other_citizen, overall=5, criteria=CRITERIA, comment="Xã khác rất tốt."
        )

    def test_an_officer_reads_the_ratings_of_their_agency_only(
        self, client, rated, rated_elsewhere, staff, other_agency
    ):
        client.force_login(staff["specialist"])
        html = client.get(self.URL).content.decode()
        assert rated.dossier.code in html and "Phải đi lại ba lần." in html
        assert rated_elsewhere.dossier.code not in html and "Xã khác rất tốt." not in html
        # Naming the other commune in the query changes nothing: it is not one of theirs.
        html = client.get(f"{self.URL}?co-quan={other_agency.slug}").content.decode()
        assert "Xã khác rất tốt." not in html and "Phải đi lại ba lần." in html

    def test_the_other_commune_sees_its_own(self, client, rated, rated_elsewhere, other_staff):
        client.force_login(other_staff["desk"])
        html = client.get(self.URL).content.decode()
        assert "Xã khác rất tốt." in html and "Phải đi lại ba lần." not in html

    def test_an_officer_of_both_filters_by_unit_and_period(
        self, client, rated, rated_elsewhere, agency, other_agency
    ):
        both = make_officer("lanhdao.hai-xa", agency, role=OfficerRole.LEADER)
        OfficerMembership.objects.create(user=both, agency=other_agency, role=OfficerRole.LEADER)
        client.force_login(both)
        html = client.get(self.URL).content.decode()
        assert "Xã khác rất tốt." in html and "Phải đi lại ba lần." in html
        html = client.get(f"{self.URL}?co-quan={other_agency.slug}").content.decode()
        assert "Xã khác rất tốt." in html and "Phải đi lại ba lần." not in html
        html = client.get(f"{self.URL}?tu-ngay=2000-01-01&den-ngay=2000-12-31").content.decode()
        assert "Xã khác rất tốt." not in html and "Phải đi lại ba lần." not in html
        html = client.get(f"{self.URL}?tu-ngay=2000-01-01&den-ngay=khong-phai-ngay").content.decode()
        assert "Phải đi lại ba lần." in html  # a day that is not one is no filter

    def test_citizens_and_visitors_do_not_get_in(self, client, rated, citizen):
        client.force_login(citizen)
        assert client.get(self.URL).status_code == 404
        client.logout()
        assert client.get(self.URL).status_code == 302

    def test_paginated_newest_first_and_linked_from_the_back_office_home(
        self, client, rated, other_citizen, procedure, agency, staff, monkeypatch
    ):
        newer = to_returned(send(other_citizen, procedure, data_of(other_citizen), agency=agency), staff)
        services.rate_dossier(newer, by=other_citizen, overall=4, criteria=CRITERIA, comment="Ý kiến mới hơn")
        monkeypatch.setattr("motcua.backoffice.rating_views.PAGE", 1)
        client.force_login(staff["desk"])
        assert self.URL in client.get("/mot-cua/").content.decode()
        first = client.get(self.URL).content.decode()
        assert "Ý kiến mới hơn" in first and "Phải đi lại ba lần." not in first and "page=2" in first
        second = client.get(f"{self.URL}?page=2").content.decode()
        assert "Phải đi lại ba lần." in second and "Ý kiến mới hơn" not in second
