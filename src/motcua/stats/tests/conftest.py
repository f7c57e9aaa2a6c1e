"""Builders for the statistics tests: two communes offering the test procedure, their staff, a citizen and a
VNPay merchant account, and ``World.step``, which takes a dossier one random step further through the real
services (sent, refused, withdrawn, received, paused, paid, granted or not, stopped, returned, rated)."""

from zoneinfo import ZoneInfo

import pytest

from motcua.accounts.models import OfficerRole
from motcua.catalog.models import Channel
from motcua.dossiers import services
from motcua.dossiers.models import Dossier, DossierStatus, StepKind
from motcua.dossiers.tests.fixtures import make_officer, pdf_bytes, upload
from motcua.dossiers.tests.test_workflow import Clock
from motcua.engagement.services import rate_dossier
from motcua.engagement.tests.petition_fixtures import people, tree  # noqa: F401 (petition indicators)
from motcua.payments import services as payments
from motcua.payments.models import GatewayAccount
from motcua.payments.tests.conftest import MERCHANT, RETURN_URL, SECRET, ipn

VN = ZoneInfo("Asia/Ho_Chi_Minh")
S = DossierStatus


class World:
    """Two communes offering the test procedure, their staff, a citizen, a VNPay merchant account."""

    def __init__(self, agency, other_agency, procedure, citizen, valid_data, clock, monkeypatch):
        from motcua.documents import pki

        procedure.agencies.add(other_agency)
        self.agencies = [agency, other_agency]
        self.procedure, self.citizen, self.valid_data, self.clock = procedure, citizen, valid_data, clock
        roles = (OfficerRole.DESK, OfficerRole.SPECIALIST, OfficerRole.LEADER, OfficerRole.RECORDS)
        self.staff = {
            a.pk: {role: make_officer(f"{role}.{a.slug}", a, role=role) for role in roles}
            for a in self.agencies
        }
        monkeypatch.setenv("MOTCUA_TEST_VNPAY_SECRET", SECRET)
        for a in self.agencies:
            pki.ensure_demo_certificate(a)
            GatewayAccount.objects.create(
                agency=a,
                gateway="vnpay",
                merchant_code=MERCHANT,
                secret_env="MOTCUA_TEST_VNPAY_SECRET",
                config={
                    "payment_url": "https://pay.example.test/vpcpay.html",
                    "api_url": "http://127.0.0.1:9/api",
                },
            )

    def send(self, rng) -> Dossier:
        agency = rng.choice(self.agencies)
        if rng.random() < 0.6:
            draft = services.create_draft(
                procedure=self.procedure, applicant=self.citizen, data=self.valid_data
            )
            draft.agency = agency
            draft.save(update_fields=["agency"])
            services.add_attachment(draft, component_order=1, upload=upload(pdf_bytes()), by=self.citizen)
            return services.submit(draft, by=self.citizen)
        files = [(1, upload(pdf_bytes()))] if rng.random() < 0.7 else []
        return services.register_at_counter(
            officer=self.staff[agency.pk]["desk"],
            procedure=self.procedure,
            agency=agency,
            channel=rng.choice([Channel.IN_PERSON, Channel.POSTAL]),
            applicant={
                "name": "Trần Văn Bình",
                "id_number": "030090012345",
                "phone": "0901234567",
                "address": "Thôn Bắc",
                "kind": "citizen",
            },
            files=files,
        )

    def step(self, dossier: Dossier, rng) -> None:
        """One thing that may happen next to ``dossier``, chosen at random among what its state allows."""
        d = Dossier.objects.select_related("current_step").get(pk=dossier.pk)
        staff = self.staff[d.agency_id]
        online = d.applicant_id is not None
        kind = d.current_step.kind if d.current_step else None
        roll = rng.random()
        if d.status == S.SUBMITTED:
            if roll < 0.15:
                services.refuse(d, by=staff["desk"], note="Không đủ điều kiện tiếp nhận")
            elif roll < 0.25:
                services.withdraw(d, by=self.citizen, note="Nộp nhầm")
            else:
                services.receive(d, by=staff["desk"])
        elif d.status == S.RECEIVED:
            services.assign(d, by=staff["leader"], assignee=staff["specialist"].username)
        elif d.status == S.PROCESSING and kind == StepKind.PROCESSING:
            if roll < 0.15 and online:
                services.request_supplement(
                    d,
                    by=staff["specialist"],
                    note="Bổ sung giấy tờ",
                    papers=["Giấy tờ chứng minh"],
                    leader_reason="Thiếu giấy tờ",
                )
            elif roll < 0.3 and online:
                payments.request_charge(d, by=staff["specialist"], amount=50_000, reason="Lệ phí")
            elif roll < 0.35:
                services.stop(d, by=staff["leader"], note="Người nộp đề nghị dừng")
            elif roll < 0.4 and online:
                services.withdraw(d, by=self.citizen, note="Không cần nữa")
            else:
                services.propose(d, by=staff["specialist"], note="Đề nghị")
        elif d.status == S.PROCESSING and kind == StepKind.APPROVAL:
            if roll < 0.65:
                services.approve(d, by=staff["leader"], note="Đồng ý")
            elif roll < 0.85:
                services.reject(d, by=staff["leader"], note="Không đủ điều kiện")
            else:
                services.send_back(d, by=staff["leader"], note="Xem lại")
        elif d.status == S.PROCESSING and kind == StepKind.RECORDS:
            services.number_result(d, by=staff["records"])
        elif d.status == S.SUPPLEMENT_REQUESTED:
            services.supplement(d, by=self.citizen, note="Đã bổ sung")
        elif d.status == S.PAYMENT_REQUESTED:
            payment, _ = payments.open_checkout(
                d, by=self.citizen, gateway="vnpay", client_ip="203.0.113.5", return_url=RETURN_URL
            )
            ipn(payment)
        elif d.status == S.RESULT_READY:
            services.return_result(d, by=staff["desk"], method="desk")
        elif d.status == S.RETURNED and online and not hasattr(d, "rating"):
            rate_dossier(
                d,
                by=self.citizen,
                overall=rng.randint(1, 5),
                comment="",
                criteria={
                    c: rng.randint(1, 5)
                    for c in ("access", "procedure", "officers", "processing_time", "result")
                },
            )


@pytest.fixture
def world(agency, other_agency, procedure, online_form, citizen, valid_data, demo_pki, monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(2026, 12, 17, 9, 0)  # a Thursday: the weeks ahead cross the month, the year and 1 January
    return World(agency, other_agency, procedure, citizen, valid_data, clock, monkeypatch)
