"""The applicant's choice of how to receive the result: checked when the draft is saved and when it is sent,
with messages a citizen understands; offered by post only where the procedure lists the post; the desk's
default way of handing over follows it."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from motcua.dossiers import services
from motcua.dossiers.models import ResultDelivery
from motcua.dossiers.tests.fixtures import PASSWORD, client_for

from .conftest import ADDRESS, send


def errors_of(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


class TestTheChoice:
    def test_an_online_draft_starts_with_the_online_result(self, citizen, procedure, online_form):
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        assert draft.result_delivery == ResultDelivery.ONLINE
        assert services.default_return_method(draft) == "online"

    def test_post_keeps_the_address_as_codes(self, by_post):
        assert by_post.result_delivery == "post"
        assert by_post.delivery_address == {
            "name": "Lê Thị Hoa",
            "phone": "0912345678",
            "province": "99",
            "commune": "001.00.30.H99",
            "detail": "Số 12 đường Lê Lợi",
        }
        assert services.default_return_method(by_post) == "post"

    def test_desk_keeps_no_address(self, citizen, procedure, online_form, valid_data):
        sent = send(citizen, procedure, valid_data, result_delivery="desk", delivery_address=dict(ADDRESS))
        assert (sent.result_delivery, sent.delivery_address) == ("desk", {})
        assert services.default_return_method(sent) == "desk"

    def test_an_unknown_way_is_refused(self, citizen, procedure, online_form):
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        errors = errors_of(lambda: services.update_draft(draft, by=citizen, result_delivery="pigeon"))
        assert errors == {
            "result_delivery": [_("Choose how to receive the result: online, at the desk or by post.")]
        }

    def test_post_needs_every_part_of_the_address(self, citizen, procedure, online_form):
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        errors = errors_of(
            lambda: services.update_draft(
                draft,
                by=citizen,
                result_delivery="post",
                delivery_address={"phone": "12345", "province": "Atlantis"},
            )
        )
        assert set(errors) == {
            "delivery_address.name",
            "delivery_address.phone",
            "delivery_address.province",
            "delivery_address.detail",
        }
        draft.refresh_from_db()
        assert draft.result_delivery == "online"  # nothing kept

    def test_a_commune_must_be_one_of_the_province(self, citizen, procedure, online_form):
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        wrong = {**ADDRESS, "commune": "Xã Không Có"}
        errors = errors_of(
            lambda: services.update_draft(draft, by=citizen, result_delivery="post", delivery_address=wrong)
        )
        assert list(errors) == ["delivery_address.commune"]

    def test_in_a_province_without_a_list_the_commune_is_typed(self, citizen, procedure, online_form):
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        address = {**ADDRESS, "province": "01", "commune": "Phường Ba Đình"}
        draft = services.update_draft(draft, by=citizen, result_delivery="post", delivery_address=address)
        assert draft.delivery_address["commune"] == "Phường Ba Đình"

    def test_not_by_post_where_the_procedure_does_not_list_the_post(self, citizen, procedure, online_form):
        procedure.methods.filter(channel="postal").delete()  # e.g. a result collected in person only
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        assert services.delivery_choices(procedure) == ["online", "desk"]
        errors = errors_of(
            lambda: services.update_draft(draft, by=citizen, result_delivery="post", delivery_address=ADDRESS)
        )
        assert "result_delivery" in errors

    def test_sending_checks_the_choice_again(self, citizen, procedure, online_form, valid_data):
        """A draft saved with the post when the procedure offered it, sent after the catalogue dropped it."""
        draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        draft = services.update_draft(draft, by=citizen, result_delivery="post", delivery_address=ADDRESS)
        procedure.methods.filter(channel="postal").delete()
        from motcua.dossiers.tests.fixtures import pdf_bytes, upload

        services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        errors = errors_of(lambda: services.submit(draft, by=citizen))
        assert "result_delivery" in errors


class TestOnTheReviewPageAndTheApi:
    def review(self, client, citizen, draft, **fields):
        assert client.login(username=citizen.username, password=PASSWORD)
        return client.post(f"/ho-so/{draft.uuid}/xem-lai/", fields)

    def test_the_review_page_offers_the_three_ways_and_prefills_the_profile(
        self, client, citizen, procedure, online_form, valid_data
    ):
        draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        assert client.login(username=citizen.username, password=PASSWORD)
        page = client.get(f"/ho-so/{draft.uuid}/xem-lai/").content.decode()
        for value in ("online", "desk", "post"):
            assert f'value="{value}"' in page
        assert 'value="0912345678"' in page  # the profile's phone
        assert "25.000 đ" in page  # the postal fee within the province

    def test_a_wrong_address_comes_back_with_its_messages(
        self, client, citizen, procedure, online_form, valid_data
    ):
        draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        answer = self.review(
            client, citizen, draft, result_delivery="post", delivery_name="Hoa", delivery_phone="12",
            delivery_province="99", delivery_commune="Phường Hải An", delivery_detail="Số 1",
        )  # fmt: skip
        assert answer.status_code == 400
        assert 'href="#f-deliveryphone"' in answer.content.decode()
        draft.refresh_from_db()
        assert draft.is_draft

    def test_the_api_writes_and_reads_it(self, citizen, procedure, online_form):
        draft = services.create_draft(procedure=procedure, applicant=citizen)
        api = client_for(citizen)
        url = f"/api/v1/dossiers/{draft.uuid}/"
        bad = api.patch(url, {"result_delivery": "post", "delivery_address": {"name": "Hoa"}}, format="json")
        assert bad.status_code == 400 and "delivery_address.phone" in bad.json()["errors"]
        good = api.patch(url, {"result_delivery": "post", "delivery_address": ADDRESS}, format="json")
        assert good.status_code == 200
        assert good.json()["result_delivery"] == "post"
        assert good.json()["delivery_address"]["commune"] == "001.00.30.H99"


class TestSendingFromTheReviewPage:
    def test_the_post_chosen_on_the_review_page_is_sent_with_the_dossier(
        self, client, citizen, procedure, online_form, valid_data
    ):
        from motcua.dossiers.tests.fixtures import pdf_bytes, upload

        draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
        services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
        assert client.login(username=citizen.username, password=PASSWORD)
        answer = client.post(
            f"/ho-so/{draft.uuid}/xem-lai/",
            {
                "result_delivery": "post", "delivery_name": "Lê Thị Hoa", "delivery_phone": "0912345678",
                "delivery_province": "99", "delivery_commune": "Phường Hải An", "delivery_detail": "Số 12",
            },
        )  # fmt: skip
        assert answer.status_code == 302
        draft.refresh_from_db()
        assert draft.code and draft.result_delivery == "post"
        assert draft.delivery_address["commune"] == "001.00.30.H99"


class TestTheSystemReturnsOnlyAReadyResult:
    def test_by_none_is_refused_before_status_9(self, by_post):
        from motcua.dossiers.services import ActionRefused

        with pytest.raises(ActionRefused):
            services.return_result(by_post, by=None, method="post")
