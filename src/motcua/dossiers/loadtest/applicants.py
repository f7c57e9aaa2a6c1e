"""The portal accounts of seeded applicants: whoever sends a dossier online has one (the portal asks to sign
in), and some people registered at the desk have one too (the desk links it). A person comes back: a share
of dossiers is sent by an account that sent one before, with the same name and ID.

Accounts are fictional like the rest: an e-mail address in ``seed.invalid``, an unusable password (nobody
signs in as them), ``is_demo`` off (they publish no password, so production's check ``motcua.E001`` does not
apply), and the profile of their kind (personal ID or tax code, unique as the portal keeps them).
"""

import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from motcua.accounts.models import AccountKind, BusinessProfile, CitizenProfile, User
from motcua.catalog.models import Channel

from ..models import ApplicantKind
from .people import SEED_DOMAIN, People

RETURNING = 0.4  # a dossier sent by an account that sent one before
AT_DESK_WITH_ACCOUNT = 0.2  # a dossier registered at the desk (or arriving by post) linked to an account
PASSWORD_CHARS = string.ascii_letters + string.digits


@dataclass(eq=False)
class Account:
    """A seeded account, before (``id`` None) and after it is written."""

    kind: str  # ApplicantKind
    name: str
    id_number: str  # personal ID or tax code: the username
    phone: str
    joined: datetime
    id: int | None = None
    papers: dict = field(default_factory=dict)  # paper kind -> its entry in the document store (papers)

    @property
    def email(self) -> str:
        return f"tk{self.id_number}@{SEED_DOMAIN}"


def seeded_accounts():
    """The accounts ``seed_load`` made (no real account has a ``.invalid`` address)."""
    return User.objects.filter(email__endswith="@" + SEED_DOMAIN)


def taken_numbers() -> set[str]:
    """Usernames, personal IDs and tax codes in use: a new account never takes one."""
    taken = set(User.objects.values_list("username", flat=True))
    taken.update(CitizenProfile.objects.values_list("personal_id", flat=True))
    taken.update(BusinessProfile.objects.values_list("tax_code", flat=True))
    return taken


class Applicants:
    """Gives seeded dossiers their applicant's account, new or coming back."""

    def __init__(self, rng, people: People, taken: set[str]):
        self.rng = rng
        self.people = people
        self.taken = taken
        self.pool: dict[str, list[Account]] = {ApplicantKind.CITIZEN: [], ApplicantKind.BUSINESS: []}

    def assign(self, row: dict) -> Account | None:
        """The account behind the dossier ``row`` (its applicant's fields set from it), or None."""
        rng = self.rng
        if row["channel"] != Channel.ONLINE and rng.random() >= AT_DESK_WITH_ACCOUNT:
            return None
        pool = self.pool[row["applicant_kind"]]
        if pool and rng.random() < RETURNING:
            account = pool[rng.randrange(len(pool))]
        else:
            account = self.open(row)
            pool.append(account)
        row.update(
            applicant_name=account.name,
            applicant_id_number=account.id_number,
            applicant_email=account.email,
            applicant_phone=account.phone,
        )
        row["data"].update(full_name=account.name, id_number=account.id_number)
        return account

    def open(self, row: dict) -> Account:
        """A new account for the person the dossier names (another one when the number is taken)."""
        name, number = row["applicant_name"], row["applicant_id_number"]
        business = row["applicant_kind"] == ApplicantKind.BUSINESS
        while number in self.taken:
            name, number = self.people.business() if business else self.people.person()[:2]
        self.taken.add(number)
        first = min(row["created_at"], row["submitted_at"])
        return Account(
            kind=row["applicant_kind"],
            name=name,
            id_number=number,
            phone=row["applicant_phone"],
            joined=first - timedelta(days=self.rng.uniform(0, 90), minutes=self.rng.uniform(5, 600)),
        )

    def rows(self, account: Account) -> tuple[dict, tuple[type, dict]]:
        """The ``User`` row of a new account (its ``id`` set) and its profile's (model, row)."""
        rng = self.rng
        password = "!" + "".join(rng.choice(PASSWORD_CHARS) for _ in range(40))  # unusable: no sign-in
        business = account.kind == ApplicantKind.BUSINESS
        user = {
            "id": account.id, "password": password, "last_login": None, "is_superuser": False,
            "username": account.id_number, "first_name": "", "last_name": "", "email": account.email,
            "is_staff": False, "is_active": True, "date_joined": account.joined,
            "kind": AccountKind.BUSINESS if business else AccountKind.CITIZEN, "full_name": account.name,
            "phone": account.phone, "email_verified_at": account.joined, "pending_email": "",
            "otp_exempt": False, "is_demo": False,
        }  # fmt: skip
        if business:
            representative = self.people.person()[0]
            profile = {
                "user_id": account.id, "tax_code": account.id_number, "business_name": account.name,
                "representative_name": representative,
            }  # fmt: skip
            return user, (BusinessProfile, profile)
        profile = {"user_id": account.id, "personal_id": account.id_number, "birth_date": birth_date(account)}
        return user, (CitizenProfile, profile)


def birth_date(account: Account) -> date:
    """A birth date in the year the personal ID says (its 4th digit the century, then the year)."""
    number = account.id_number
    century = 1900 if number[3] in "01" else 2000
    day = date(century + int(number[4:6]), 1, 1) + timedelta(days=int(number[6:]) % 365)
    return day
