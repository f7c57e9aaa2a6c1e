"""The first transitions are transitions too: a draft sent online and a dossier registered at the desk send
``dossier_moved`` (from 0, nothing yet), in their transaction; and a check another app registers
(``dossiers.preconditions``) holds reception back, with its reason, until it lets it go."""

import pytest

from motcua.dossiers import preconditions, services
from motcua.dossiers.models import Dossier, DossierAction, DossierStatus
from motcua.dossiers.signals import dossier_moved

from .fixtures import pdf_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def moves():
    seen = []

    def listen(sender, *, dossier, action, from_status, to_status, by, **kwargs):
        seen.append((action, from_status, to_status, by, Dossier.objects.get(pk=dossier.pk).status))

    dossier_moved.connect(listen, sender=Dossier, dispatch_uid="test.first_moves")
    yield seen
    dossier_moved.disconnect(sender=Dossier, dispatch_uid="test.first_moves")


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def test_sending_online_is_a_move_from_nothing_to_submitted(moves, sent, citizen):
    # The receiver runs after the new status is written, inside the sending's transaction.
    assert moves == [(DossierAction.SUBMIT, DossierStatus.DRAFT, DossierStatus.SUBMITTED, citizen, 1)]


def test_registering_at_the_desk_is_a_move_from_nothing_to_received(moves, procedure, agency, desk_officer):
    services.register_at_counter(
        officer=desk_officer, procedure=procedure, agency=agency, channel="in_person",
        applicant={"name": "Lê Văn Hùng", "id_number": "030080012345", "kind": "citizen"},
    )  # fmt: skip
    assert moves == [(DossierAction.REGISTER, DossierStatus.DRAFT, DossierStatus.RECEIVED, desk_officer, 2)]


def test_a_registered_check_holds_reception_back_with_its_reason(sent, desk_officer):
    holding = {"on": True}

    def check(dossier, action):
        return "Chờ xác minh" if holding["on"] and action == DossierAction.RECEIVE else None

    preconditions.register("test.waiting", check, label="Chờ")
    try:
        assert preconditions.waiting_for(sent, DossierAction.RECEIVE) == ["Chờ"]
        with pytest.raises(services.ActionRefused, match="Chờ xác minh"):
            services.receive(sent, by=desk_officer)
        sent.refresh_from_db()
        assert sent.status == DossierStatus.SUBMITTED
        holding["on"] = False
        assert preconditions.waiting_for(sent, DossierAction.RECEIVE) == []
        assert services.receive(sent, by=desk_officer).status == DossierStatus.RECEIVED
    finally:
        preconditions.unregister("test.waiting")
