"""Demo accounts for a demonstration site (``manage.py load_demo``); never for production.

Every account gets the published password ``Demo@12345``, is flagged ``is_demo`` (the ``motcua.E001``
check refuses to run production with any of them) and ``otp_exempt`` (no one-time code on the demo).
An account that already exists is left exactly as it is, whatever was changed in it.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from motcua.catalog.models import Agency, AgencyKind, AuthorityLevel
from motcua.core.identity import validate_personal_id, validate_tax_code

from .models import AccountKind, BusinessProfile, CitizenProfile, OfficerMembership, OfficerRole, User

DEMO_PASSWORD = "Demo@12345"  # noqa: S105 - documented demo password, only in demo data

# Officer accounts per agency: username prefix, role, and the title in the account's name.
OFFICER_ROLES = [
    ("motcua", OfficerRole.DESK, "Cán bộ một cửa"),
    ("chuyenvien", OfficerRole.SPECIALIST, "Chuyên viên"),
    ("lanhdao", OfficerRole.LEADER, "Lãnh đạo"),
    ("vanthu", OfficerRole.RECORDS, "Văn thư"),
    ("ketoan", OfficerRole.FINANCE, "Kế toán"),  # refunds, waives a charge paid at the desk, totals
    ("xuly", OfficerRole.HANDLER, "Chuyên viên xử lý phản ánh"),  # drafts answers to petitions
]
# The province's reception of petitions and feedback (tiếp nhận phản ánh, kiến nghị): a moderator at the
# provincial People's Committee, who routes them to the agencies under it.
RECEPTION_ROLES = [("tiepnhan", OfficerRole.MODERATOR, "Tiếp nhận phản ánh, kiến nghị")]

CITIZENS = [
    {
        "username": "congdan",
        "full_name": "Nguyễn Văn An",
        "personal_id": "030090012345",  # 030 province of birth, 0 = male born 19xx, 90 = 1990
        "birth_date": date(1990, 5, 14),
        "phone": "0912345678",
        "email": "congdan@example.com",
        "address": "Số 12 đường Lê Lợi, phường Hải An, tỉnh Hải Đông",
    },
    {
        "username": "congdan2",
        "full_name": "Trần Thị Bình",
        "personal_id": "030301004567",  # 3 = female born 20xx, 01 = 2001
        "birth_date": date(2001, 9, 2),
        "phone": "0987654321",
        "email": "congdan2@example.com",
        "address": "Thôn Đông, xã Tân Phong, tỉnh Hải Đông",
    },
]

BUSINESS = {
    "username": "doanhnghiep",
    "tax_code": "0109998883",
    "business_name": "Công ty TNHH Thương mại Hải Đông Xanh",
    "representative_name": "Lê Minh Châu",
    "phone": "02203123456",
    "email": "doanhnghiep@example.com",
    "address": "Số 5 đường Trần Hưng Đạo, phường Đông Thành, tỉnh Hải Đông",
}


@dataclass
class DemoAccounts:
    created: list[str]
    skipped: list[str]


def processing_agencies():
    """Agencies that receive and decide dossiers: the provincial service centre, the departments, and
    the commune-level People's Committees, and the police of the province and the communes. The provincial
    People's Committee works through
    the service centre; the dissolved district tier and central agencies get no demo officers."""
    from django.db.models import Q

    return Agency.objects.filter(is_active=True).filter(
        Q(kind=AgencyKind.SERVICE_CENTRE)
        | Q(kind=AgencyKind.DEPARTMENT)
        | Q(kind=AgencyKind.PEOPLES_COMMITTEE, level=AuthorityLevel.COMMUNE)
        | Q(kind=AgencyKind.POLICE, level__in=[AuthorityLevel.PROVINCE, AuthorityLevel.COMMUNE])
    )


def reception_agencies():
    """The province's People's Committee (top of the tree), whose moderators receive petitions."""
    return Agency.objects.filter(
        is_active=True, parent__isnull=True, kind=AgencyKind.PEOPLES_COMMITTEE, level=AuthorityLevel.PROVINCE
    )


def _new_user(username: str, password_hash: str, **fields) -> User:
    return User.objects.create(
        username=username,
        password=password_hash,
        is_demo=True,
        otp_exempt=True,
        email_verified_at=timezone.now() if fields.get("email") else None,
        **fields,
    )


def ensure_demo_admin(password_hash: str | None = None) -> bool:
    """Create the ``admin`` system administrator if no account has that name; True when created."""
    if User.objects.filter(username="admin").exists():
        return False
    _new_user(
        "admin",
        password_hash or make_password(DEMO_PASSWORD),
        kind=AccountKind.ADMIN,
        full_name="Quản trị hệ thống",
        email="admin@haidong.gov.vn",
        is_staff=True,
        is_superuser=True,
    )
    return True


@transaction.atomic
def ensure_demo_accounts() -> DemoAccounts:
    """Create each missing demo account; those that exist are not touched (not even their roles)."""
    # One hash for all: hashing 70 passwords one by one would take half a minute, and this one is public.
    password_hash = make_password(DEMO_PASSWORD)
    existing = set(User.objects.values_list("username", flat=True))
    result = DemoAccounts(created=[], skipped=[])

    def wanted(username: str) -> bool:
        (result.skipped if username in existing else result.created).append(username)
        return username not in existing

    if wanted("admin"):
        ensure_demo_admin(password_hash)
    for citizen in CITIZENS:
        if not wanted(citizen["username"]):
            continue
        personal_id = validate_personal_id(citizen["personal_id"], citizen["birth_date"])
        if CitizenProfile.objects.filter(personal_id=personal_id).exists():
            result.created.remove(citizen["username"])  # someone registered with this ID: theirs wins
            result.skipped.append(citizen["username"])
            continue
        user = _new_user(
            citizen["username"],
            password_hash,
            kind=AccountKind.CITIZEN,
            full_name=citizen["full_name"],
            phone=citizen["phone"],
            email=citizen["email"],
        )
        CitizenProfile.objects.create(
            user=user, personal_id=personal_id, birth_date=citizen["birth_date"], address=citizen["address"]
        )
    if wanted(BUSINESS["username"]):
        tax_code = validate_tax_code(BUSINESS["tax_code"])
        if BusinessProfile.objects.filter(tax_code=tax_code).exists():
            result.created.remove(BUSINESS["username"])
            result.skipped.append(BUSINESS["username"])
        else:
            user = _new_user(
                BUSINESS["username"],
                password_hash,
                kind=AccountKind.BUSINESS,
                full_name=BUSINESS["business_name"],
                phone=BUSINESS["phone"],
                email=BUSINESS["email"],
            )
            BusinessProfile.objects.create(
                user=user,
                tax_code=tax_code,
                business_name=BUSINESS["business_name"],
                representative_name=BUSINESS["representative_name"],
                address=BUSINESS["address"],
            )
    staffed = [(agency, OFFICER_ROLES) for agency in processing_agencies()]
    staffed += [(agency, RECEPTION_ROLES) for agency in reception_agencies()]
    for agency, roles in staffed:
        for prefix, role, title in roles:
            username = f"{prefix}.{agency.slug}"
            if not wanted(username):
                continue
            user = _new_user(
                username,
                password_hash,
                kind=AccountKind.OFFICER,
                full_name=f"{title} – {agency.short_name or agency.name}",
                email=f"{username}@haidong.gov.vn",
            )
            OfficerMembership.objects.create(user=user, agency=agency, role=role)
    return result
