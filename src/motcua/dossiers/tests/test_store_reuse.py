"""Papers kept and reused (kho dữ liệu): the papers of a sent dossier go into the applicant's store, and a
later dossier takes one of the right kind, still valid, instead of a new upload; only the owner's own papers,
with the same limits as an upload. The reuse is counted for the digitisation indicator."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from motcua.catalog.models import PaperKind
from motcua.documents import selectors as document_selectors
from motcua.documents import services as documents
from motcua.dossiers import selectors, services
from motcua.dossiers.models import AttachmentSource

from .fixtures import pdf_bytes, upload

pytestmark = pytest.mark.django_db

ID_CARD = 2  # the order of the component "Giấy tờ chứng minh", made an ID card below


@pytest.fixture(autouse=True)
def id_card_component(procedure):
    procedure.components.filter(order=ID_CARD).update(paper_kind=PaperKind.ID_CARD)


def new_draft(procedure, citizen, valid_data):
    return services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)


def send(draft, citizen, capture):
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes(1), "to-khai.pdf"), by=citizen)
    with capture(execute=True):
        return services.submit(draft, by=citizen)


@pytest.fixture
def stored_id_card(procedure, online_form, citizen, valid_data, django_capture_on_commit_callbacks):
    """The citizen sent a dossier with their ID card: it is now in their store."""
    draft = new_draft(procedure, citizen, valid_data)
    services.add_attachment(
        draft, component_order=ID_CARD, upload=upload(pdf_bytes(2), "cccd.pdf"), by=citizen
    )
    send(draft, citizen, django_capture_on_commit_callbacks)
    return document_selectors.store_of(citizen).get(paper_kind=PaperKind.ID_CARD)


class TestKeeping:
    def test_the_papers_of_a_sent_dossier_go_into_the_store_with_their_kind(self, stored_id_card, citizen):
        entries = list(document_selectors.store_of(citizen))

        assert len(entries) == 2  # the declaration (kind unknown) and the ID card
        assert stored_id_card.title == "Giấy tờ chứng minh"  # as the procedure names the paper
        assert stored_id_card.original_name == "cccd.pdf" and stored_id_card.content_type == "application/pdf"
        assert document_selectors.stored_bytes(stored_id_card) == pdf_bytes(2)

    def test_a_draft_keeps_nothing(self, procedure, online_form, citizen, valid_data):
        draft = new_draft(procedure, citizen, valid_data)
        services.add_attachment(draft, component_order=ID_CARD, upload=upload(pdf_bytes(2)), by=citizen)

        assert services.keep_sent_papers(draft) == 0
        assert not document_selectors.store_of(citizen).exists()

    def test_keeping_again_adds_nothing(self, stored_id_card, citizen):
        dossier = stored_id_card.origin.dossier
        services.keep_sent_papers(dossier)
        assert document_selectors.store_of(citizen).count() == 2


class TestReuse:
    def test_a_stored_paper_is_attached_as_a_copy_of_its_own(
        self, stored_id_card, procedure, citizen, valid_data
    ):
        draft = new_draft(procedure, citizen, valid_data)
        attachment = services.reuse_stored_paper(
            draft, component_order=ID_CARD, stored_id=stored_id_card.pk, by=citizen
        )

        assert attachment.reused_from == stored_id_card and attachment.source == AttachmentSource.STORE
        assert attachment.file.name != stored_id_card.file.name
        assert attachment.sha256 == stored_id_card.sha256
        # The owner removes it from the store: the dossier's paper stays intact.
        documents.remove_stored(stored_id_card, by=citizen)
        with attachment.file.open("rb") as f:
            assert f.read() == pdf_bytes(2)
        assert not document_selectors.store_of(citizen).filter(pk=stored_id_card.pk).exists()

    def test_the_form_offers_the_stored_papers_of_the_components_kind(
        self, stored_id_card, procedure, citizen, other_citizen, valid_data
    ):
        draft = new_draft(procedure, citizen, valid_data)
        assert selectors.reusable_papers(draft, citizen) == {ID_CARD: [stored_id_card]}
        assert selectors.reusable_papers(draft, other_citizen) == {}

    def test_another_citizens_paper_is_not_in_your_store(
        self, stored_id_card, procedure, online_form, other_citizen
    ):
        draft = new_draft(procedure, other_citizen, {})
        with pytest.raises(ValidationError) as exc:
            services.reuse_stored_paper(
                draft, component_order=ID_CARD, stored_id=stored_id_card.pk, by=other_citizen
            )
        assert "stored_document" in exc.value.message_dict
        assert not draft.attachments.exists()

    def test_a_paper_of_another_kind_is_refused(self, stored_id_card, procedure, citizen, valid_data):
        draft = new_draft(procedure, citizen, valid_data)
        with pytest.raises(ValidationError) as exc:
            services.reuse_stored_paper(draft, component_order=1, stored_id=stored_id_card.pk, by=citizen)
        assert "stored_document" in exc.value.message_dict

    def test_an_expired_paper_is_not_offered_nor_taken(self, stored_id_card, procedure, citizen, valid_data):
        yesterday = datetime.date.today() - datetime.timedelta(days=1)
        documents.update_stored(stored_id_card, by=citizen, valid_until=yesterday)
        draft = new_draft(procedure, citizen, valid_data)

        assert selectors.reusable_papers(draft, citizen) == {}
        with pytest.raises(ValidationError):
            services.reuse_stored_paper(
                draft, component_order=ID_CARD, stored_id=stored_id_card.pk, by=citizen
            )

    def test_a_removed_paper_cannot_be_taken(self, stored_id_card, procedure, citizen, valid_data):
        documents.remove_stored(stored_id_card, by=citizen)
        draft = new_draft(procedure, citizen, valid_data)
        with pytest.raises(ValidationError):
            services.reuse_stored_paper(
                draft, component_order=ID_CARD, stored_id=stored_id_card.pk, by=citizen
            )

    def test_the_account_quota_counts_a_reused_paper(
        self, stored_id_card, procedure, citizen, valid_data, settings
    ):
        draft = new_draft(procedure, citizen, valid_data)
        settings.MOTCUA_MAX_ACCOUNT_MB = 0  # nothing more may be kept
        with pytest.raises(ValidationError):
            services.reuse_stored_paper(
                draft, component_order=ID_CARD, stored_id=stored_id_card.pk, by=citizen
            )

    def test_reused_papers_are_counted_by_period_and_agency_once_sent(
        self, stored_id_card, procedure, citizen, valid_data, agency, other_agency,
        django_capture_on_commit_callbacks,
    ):  # fmt: skip
        draft = new_draft(procedure, citizen, valid_data)
        services.reuse_stored_paper(draft, component_order=ID_CARD, stored_id=stored_id_card.pk, by=citizen)
        start = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
        end = datetime.datetime(2100, 1, 1, tzinfo=datetime.UTC)
        assert selectors.reused_papers(start, end) == 0  # a draft's paper is not reused yet

        send(draft, citizen, django_capture_on_commit_callbacks)

        assert selectors.reused_papers(start, end) == 1
        assert selectors.reused_papers(start, end, agency=agency) == 1
        assert selectors.reused_papers(start, end, agency=other_agency) == 0
        assert selectors.reused_papers(end, end + datetime.timedelta(days=1)) == 0
        # The reused paper is not kept in the store a second time.
        assert document_selectors.store_of(citizen).filter(paper_kind=PaperKind.ID_CARD).count() == 1
