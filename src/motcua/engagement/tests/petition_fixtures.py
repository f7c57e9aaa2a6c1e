"""Builders of the petitions tests: a small agency tree (the province, whose moderators are the reception,
a department and a commune under it, and a commune elsewhere), its officers in the engagement roles, and
petitions sent through the real service."""

import pytest

from motcua.accounts.models import OfficerRole
from motcua.catalog.tests.factories import make_agency
from motcua.dossiers.tests.fixtures import make_officer
from motcua.engagement.services import petitions as petition_services

M, H, L = OfficerRole.MODERATOR, OfficerRole.HANDLER, OfficerRole.LEADER


@pytest.fixture
def tree(db, settings):
    province = make_agency(code="000.00.00.H88", slug="ubnd-tinh-thu", name="UBND tỉnh Thử", order=0)
    department = make_agency(
        code="000.10.00.H88", slug="so-xay-dung-thu", name="Sở Xây dựng", parent=province, order=1
    )
    commune = make_agency(
        code="000.00.41.H88", slug="ubnd-xa-dong", name="UBND xã Đông", level="commune", parent=province
    )
    elsewhere = make_agency(code="000.00.51.H77", slug="ubnd-xa-tay", name="UBND xã Tây", level="commune")
    settings.MOTCUA_PETITION_RECEPTION_AGENCY = province.code
    return {"province": province, "department": department, "commune": commune, "elsewhere": elsewhere}


@pytest.fixture
def people(tree):
    """``reception``: the province's moderator; per unit its moderator, handler and leader."""
    made = {"reception": make_officer("tiep-nhan.tinh", tree["province"], role=M)}
    for unit in ("department", "commune", "elsewhere"):
        for role in (M, H, L):
            made[f"{unit}.{role}"] = make_officer(f"{role}.{unit}", tree[unit], role=role)
    made["desk"] = make_officer("mot-cua.xa", tree["commune"], role=OfficerRole.DESK)
    return made


def send_feedback(**changes):
    values = {
        "kind": "feedback",
        "category": "other",
        "subject": "Đèn đường hỏng",
        "content": "Đèn đường trước chợ Đông đã hỏng hai tuần, buổi tối rất tối và nguy hiểm.",
        "sender_email": "ban-doc@example.com",
        "client_ip": "192.0.2.10",
    }
    values.update(changes)
    return petition_services.send_petition(**values)


def send_petition(citizen, **changes):
    values = {
        "kind": "petition",
        "category": "regulation",
        "regulation": "Quyết định 12/2026/QĐ-UBND",
        "subject": "Đề nghị rút ngắn thời hạn cấp phép xây dựng",
        "content": "Thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ còn dài, đề nghị rút ngắn còn 10 ngày.",
        "by": citizen,
        "consent_to_publish": True,
        "client_ip": "192.0.2.20",
    }
    values.update(changes)
    return petition_services.send_petition(**values)


@pytest.fixture
def petition(tree, citizen):
    """A petition of the citizen, just received by the province's reception."""
    return send_petition(citizen)


@pytest.fixture
def routed(petition, tree, people):
    """The same, routed by the reception to the commune, which now has it in hand."""
    return petition_services.route(petition, to_agency=tree["commune"], by=people["reception"])
