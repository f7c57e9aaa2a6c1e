"""Load-test dossiers (``manage.py seed_load``): many realistic, fictional dossiers inserted in bulk.

What a seeded dossier looks like:

- a demo procedure and one of its receiving agencies that has officers, weighted by the procedure's
  popularity and a size of the agency (some communes are busy, some small), submitted on a day of the last
  ``days`` days (fewer at weekends, only online then; a slow growth towards today), online, in person or by
  post as the procedure allows;
- a fictional applicant (a Vietnamese name, a 12-digit personal ID with a real province code, or a business
  with a valid tax code), never an account (``applicant`` and ``submitted_by`` are empty), with an e-mail
  address in the reserved ``seed.invalid`` domain: that is how seeded dossiers are told apart
  (:func:`seeded_dossiers`);
- a code ``MOTCUA_DOSSIER_CODE_FORMAT`` numbered per agency and local day in the order of submission, taken
  from the same ``CodeSequence`` rows as live submissions (a block of numbers per agency and day), so that a
  later submission continues the sequence;
- dates that follow the office hours and the working calendar (holidays and the administrator's exceptions
  included): received within a working day online (at once at the counter), due the procedure's processing
  time later. Approximations, to avoid one calendar call per row: the time is counted in whole office
  minutes on a line of working days, the procedure's cutoff time is ignored, a supplement moves the due date
  by the time it waited;
- a status as of now: most older dossiers returned (a few refused, withdrawn, stopped, or results never
  collected), recent ones newly submitted, received, processing, awaiting a supplement or a payment, result
  ready; some late, a few forgotten for months (overdue);
- for a dossier in progress one ``DossierStep`` row (its current step, from the procedure's workflow, at the
  step's agency), assigned for some to the unit's demo officer of the step's role, with ``current_agency``
  and ``assignee`` on the dossier as the queues read them; for one awaiting a supplement its request;
- one or two ``DossierEvent`` rows: the submission (or registration at the desk) and the last change.

Rows are written with COPY on PostgreSQL and multi-row INSERTs on SQLite, a batch per transaction. The
columns come from the models, so a column added later with a default is filled with it.
"""

import bisect
import json
import math
import random
import time as clock_time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from motcua.accounts.models import OfficerMembership
from motcua.catalog.models import Channel, Procedure, TimeUnit
from motcua.workcalendar import selectors as calendar

from . import workflow
from .models import (
    ApplicantKind,
    CodeSequence,
    Dossier,
    DossierAction,
    DossierEvent,
    DossierStatus,
    DossierStep,
    StepKind,
    SupplementRequest,
    Timeliness,
)

SEED_DOMAIN = "seed.invalid"  # RFC 2606: never delivered
S = DossierStatus

FAMILY = [
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4),
    ("Vũ", 4), ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1),
    ("Lý", 1), ("Đào", 1), ("Đinh", 1), ("Mai", 1), ("Trịnh", 1), ("Lương", 1), ("Tạ", 1),
]  # fmt: skip
MIDDLE_MALE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Thành", "Công", "Xuân", "Gia", "Ngọc"]
MIDDLE_FEMALE = ["Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Hồng", "Mai", "Kim", "Diệu"]
GIVEN_MALE = [
    "An", "Bảo", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khang", "Khoa",
    "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Toàn", "Trung",
    "Tuấn", "Tùng", "Việt", "Vinh",
]  # fmt: skip
GIVEN_FEMALE = [
    "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan",
    "Mai", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thu", "Thủy", "Trang",
    "Trinh", "Uyên", "Vân", "Yến",
]  # fmt: skip
BUSINESS_WORDS = ["Hải Đông", "Minh Phát", "An Khang", "Thành Công", "Phú Gia", "Tân Tiến", "Hưng Thịnh"]
BUSINESS_TRADES = ["Thương mại", "Xây dựng", "Dịch vụ", "Vận tải", "Nông sản", "Thực phẩm", "Công nghệ"]
PLACES = ["Thôn Đông", "Thôn Tây", "Thôn Trung", "Xóm Mới", "Tổ dân phố 3", "Tổ dân phố 7", "Khu 5"]
STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Bạch Đằng"]
# Personal IDs: people of the (fictional) province mostly, some born elsewhere. Codes from core.identity.
BIRTH_PROVINCES = [("030", 70), ("031", 8), ("001", 6), ("034", 4), ("022", 4), ("036", 4), ("038", 4)]
REASONS = ["Bổ sung hồ sơ", "Theo yêu cầu của cơ quan", "Nhu cầu cá nhân", "Hoàn thiện thủ tục"]
SUPPLEMENT_REASONS = [
    "Bản sao chưa được chứng thực.",
    "Tờ khai thiếu chữ ký của người yêu cầu.",
    "Ảnh chụp giấy tờ không đọc được, đề nghị nộp lại bản rõ hơn.",
    "Thiếu giấy tờ chứng minh nơi cư trú.",
]


class SeedRefused(Exception):
    """The database is not one to seed (already seeded without ``append``, or no demo catalogue)."""


@dataclass
class SeedResult:
    dossiers: int = 0
    steps: int = 0
    events: int = 0
    supplements: int = 0
    sequences: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)

    @property
    def rows(self) -> int:
        return self.dossiers + self.steps + self.events + self.supplements

    @property
    def dossiers_per_second(self) -> float:
        return self.dossiers / self.seconds if self.seconds else 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def seeded_dossiers():
    """The dossiers ``seed_load`` wrote (and nothing else: no real applicant has a ``.invalid`` address)."""
    return Dossier.objects.filter(applicant_email__endswith="@" + SEED_DOMAIN)


# --- working time on a line ---------------------------------------------------------------------------------


class WorkLine:
    """Working time as office minutes on a line: working day ``i`` of the calendar, minute ``m`` of its
    office hours is ``i * day + m``. Adding working time is an addition; holidays, weekends and the
    administrator's exceptions are those of the working calendar (read once)."""

    def __init__(self, first: date, last: date):
        cal = calendar.working_calendar()
        self.tz = cal.tz
        self.periods = [
            (opening, closing, _minutes(closing) - _minutes(opening)) for opening, closing in cal.periods
        ]
        self.day = sum(length for _o, _c, length in self.periods)
        self.first = first
        self.days: list[date] = []
        self.next_index: list[int] = []  # per calendar date from ``first``: the first working day on or after
        self.working: list[bool] = []
        d = first
        pending = 0
        while d <= last:
            works = cal.is_working_day(d)
            self.working.append(works)
            if works:
                self.days.append(d)
            self.next_index.append(len(self.days) - (1 if works else 0))
            d += timedelta(days=1)
            pending += 1
        self.last = last

    def is_working_day(self, d: date) -> bool:
        return self.working[(d - self.first).days]

    def at(self, w: float, *, closing: bool = False) -> datetime:
        """The moment of position ``w``; with ``closing`` a position at the very end of a day is that day's
        closing time (a deadline), not the next opening."""
        index, minute = divmod(w, self.day)
        index = int(index)
        if closing and minute == 0 and index > 0:
            index, minute = index - 1, self.day
        day = self.days[min(index, len(self.days) - 1)]
        for opening, _closing, length in self.periods:
            if minute < length or (closing and minute == length):
                return datetime.combine(day, opening, self.tz) + timedelta(minutes=minute)
            minute -= length
        return datetime.combine(day, self.periods[-1][1], self.tz)

    def position(self, moment: datetime) -> float:
        """The position of ``moment``, or of the next opening when the office is closed then."""
        local = moment.astimezone(self.tz)
        d = local.date()
        offset = (d - self.first).days
        index = self.next_index[offset]
        if not self.working[offset]:
            return index * self.day
        clock = local.hour * 60 + local.minute + local.second / 60
        w = index * self.day
        for opening, closing, length in self.periods:
            if clock < _minutes(opening):
                return w
            if clock < _minutes(closing):
                return w + clock - _minutes(opening)
            w += length
        return w  # after closing: the next working day's opening

    def office_moment(self, d: date, rng: random.Random) -> datetime:
        """A moment of the office hours of working day ``d`` (more in the morning, as at real desks)."""
        minute = min(rng.triangular(0, self.day, self.day * 0.3), self.day - 1)
        return self.at(self.next_index[(d - self.first).days] * self.day + minute)

    def calendar_days_after(self, start: datetime, days: int) -> datetime:
        """``add_calendar_days``: the same clock time ``days`` later, or the next working day's closing."""
        due = start.astimezone(self.tz) + timedelta(days=days)
        if due.date() > self.last or not self.is_working_day(due.date()):
            offset = min((due.date() - self.first).days, len(self.next_index) - 1)
            index = min(self.next_index[offset], len(self.days) - 1)
            return datetime.combine(self.days[index], self.periods[-1][1], self.tz)
        return due


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


# --- what is seeded over ------------------------------------------------------------------------------------


@dataclass
class StepPlan:
    order: int
    name: str
    kind: str
    role: str
    agency_id: int | None
    minutes: float


@dataclass
class ProcedurePlan:
    id: int
    code: str
    name: str
    workflow_id: int | None
    # channel -> (working minutes, or None) and calendar days (or None); None, None: no time published
    methods: dict[str, tuple[float | None, int | None]]
    steps: list[StepPlan]
    business: bool  # businesses file it (mostly)
    citizens: bool

    def deadline_terms(self, channel: str) -> tuple[float | None, int | None]:
        """The processing time of ``channel`` (else the shortest), as ``selectors.deadline`` picks it."""
        if channel in self.methods and self.methods[channel] != (None, None):
            return self.methods[channel]
        timed = [m for m in self.methods.values() if m != (None, None)]
        if not timed:
            return None, None
        return min(timed, key=lambda m: m[0] if m[0] is not None else m[1] * 8 * 60)


@dataclass
class Catalogue:
    procedures: list[ProcedurePlan]
    pairs: list[tuple[ProcedurePlan, int]]  # (procedure, receiving agency id)
    weights: list[float]  # cumulative, per pair
    online_pairs: list[tuple[ProcedurePlan, int]]
    online_weights: list[float]
    agency_codes: dict[int, str]
    agency_names: dict[int, str]
    officers: dict[tuple[int, str], tuple[int, str]]  # (agency id, role) -> (user id, full name)


def load_catalogue(rng: random.Random) -> Catalogue:
    """The active procedures received by agencies that have officers, with their workflows' steps."""
    officers: dict[tuple[int, str], tuple[int, str]] = {}
    for agency_id, role, user_id, name, username in (
        OfficerMembership.objects.filter(user__is_active=True)
        .order_by("agency_id", "role", "user__username")
        .values_list("agency_id", "role", "user_id", "user__full_name", "user__username")
    ):
        officers.setdefault((agency_id, role), (user_id, name or username))
    staffed = {agency_id for agency_id, _role in officers}
    procedures, pairs, weights = [], [], []
    online_pairs, online_weights = [], []
    agency_codes, agency_names = {}, {}
    # A size per agency: some communes are much busier than others (log-normal, fixed by the seed).
    sizes: dict[int, float] = {}
    rows = Procedure.objects.filter(is_active=True).prefetch_related("methods", "agencies").order_by("code")
    for procedure in rows:
        agencies = sorted(
            (a for a in procedure.agencies.all() if a.is_active and a.pk in staffed), key=lambda a: a.code
        )
        if not agencies:
            continue
        methods = {}
        for m in procedure.methods.all():
            if m.processing_time is None:
                methods[m.channel] = (None, None)
            elif m.time_unit == TimeUnit.DAY:
                methods[m.channel] = (None, int(m.processing_time))
            elif m.time_unit == TimeUnit.WORKING_HOUR:
                methods[m.channel] = (float(m.processing_time) * 60, None)
            else:
                methods[m.channel] = (float(m.processing_time) * _day_minutes(), None)
        if not methods:
            continue
        definition = workflow.definition_for(procedure)
        plan = ProcedurePlan(
            id=procedure.pk,
            code=procedure.code,
            name=procedure.name,
            workflow_id=definition.workflow.pk if definition.workflow else None,
            methods=methods,
            steps=[
                StepPlan(s.order, s.name, s.kind, s.role, s.agency_id, float(s.hours) * 60)
                for s in definition.steps
            ],
            business="business" in (procedure.applicant_types or []),
            citizens="citizen" in (procedure.applicant_types or []) or not procedure.applicant_types,
        )
        procedures.append(plan)
        popularity = max(procedure.popularity, 50)
        for agency in agencies:
            agency_codes[agency.pk] = agency.code
            agency_names[agency.pk] = agency.name
            size = sizes.setdefault(agency.pk, rng.lognormvariate(0, 0.7))
            weight = popularity * size / len(agencies) ** 0.5
            pairs.append((plan, agency.pk))
            weights.append((weights[-1] if weights else 0) + weight)
            if Channel.ONLINE in methods:
                online_pairs.append((plan, agency.pk))
                online_weights.append((online_weights[-1] if online_weights else 0) + weight)
    if not pairs:
        raise SeedRefused(
            "No active procedure is received by an agency with officers: run `manage.py load_demo` first."
        )
    return Catalogue(
        procedures, pairs, weights, online_pairs, online_weights, agency_codes, agency_names, officers
    )


def _day_minutes() -> int:
    day = calendar.day_length(calendar.configured_office_hours())
    return int(day.total_seconds() // 60)


# --- one dossier ----------------------------------------------------------------------------------------


@dataclass
class Planned:
    """A dossier before it has an id and a code."""

    row: dict
    step: dict | None
    events: list[dict]
    supplement: dict | None


class Generator:
    """Makes the dossiers of one day, as of ``now``."""

    def __init__(self, rng: random.Random, catalogue: Catalogue, line: WorkLine, now: datetime):
        self.rng = rng
        self.cat = catalogue
        self.line = line
        self.now = now
        self.now_w = line.position(now)
        self.number = 0
        self._family = _cumulative(FAMILY)
        self._provinces = _cumulative(BIRTH_PROVINCES)

    # -- applicants --

    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        female = rng.random() < 0.52
        family = _pick(rng, self._family)
        middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
        given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
        year = rng.randint(1945, 2007)
        century_digit = (0 if year < 2000 else 2) + (1 if female else 0)
        number = f"{_pick(rng, self._provinces)}{century_digit}{year % 100:02d}{rng.randrange(10**6):06d}"
        return f"{family} {middle} {given}", number, "female" if female else "male"

    def business(self) -> tuple[str, str]:
        from stdnum.vn import mst

        rng = self.rng
        base = f"0{rng.randint(10_000_000, 99_999_999)}"
        name = (
            f"Công ty TNHH {rng.choice(BUSINESS_TRADES)} {rng.choice(BUSINESS_WORDS)} {rng.randint(1, 999)}"
        )
        return name, base + mst.calc_check_digit(base)

    def phone(self) -> str:
        return f"0{self.rng.choice('3579')}{self.rng.randrange(10**8):08d}"

    # -- the day --

    def day(self, d: date, count: int) -> list[Planned]:
        """``count`` dossiers submitted on ``d``, in the order of submission."""
        rng = self.rng
        works = self.line.is_working_day(d)
        planned = []
        for _ in range(count):
            online_only = not works
            procedure, agency_id = self.pair(online_only)
            channel = self.channel(procedure, online_only)
            if channel == Channel.ONLINE:
                hour = rng.uniform(6.5, 22.5) if rng.random() < 0.88 else rng.uniform(0, 24)
                submitted = datetime.combine(d, time.min, self.line.tz) + timedelta(hours=hour)
            else:
                submitted = self.line.office_moment(d, rng)
            if submitted > self.now:  # today: only what has already come in
                submitted = self.now - timedelta(seconds=rng.uniform(1, 3600))
                if submitted.date() != d:
                    submitted = self.now
            planned.append(self.dossier(procedure, agency_id, channel, submitted))
        planned.sort(key=lambda p: p.row["submitted_at"])
        return planned

    def pair(self, online_only: bool) -> tuple[ProcedurePlan, int]:
        if online_only and self.cat.online_pairs:
            return self.cat.online_pairs[_index(self.rng, self.cat.online_weights)]
        return self.cat.pairs[_index(self.rng, self.cat.weights)]

    def channel(self, procedure: ProcedurePlan, online_only: bool) -> str:
        methods = procedure.methods
        if Channel.ONLINE in methods and (online_only or self.rng.random() < 0.55):
            return Channel.ONLINE
        if Channel.POSTAL in methods and self.rng.random() < 0.07:
            return Channel.POSTAL
        if Channel.IN_PERSON in methods:
            return Channel.IN_PERSON
        return next(iter(methods))

    def deadline(self, procedure: ProcedurePlan, channel: str, start: datetime) -> datetime | None:
        minutes, days = procedure.deadline_terms(channel)
        if minutes is not None:
            return self.line.at(self.line.position(start) + minutes, closing=True)
        if days is not None:
            return self.line.calendar_days_after(self.line.at(self.line.position(start)), days)
        return None

    def dossier(self, procedure: ProcedurePlan, agency_id: int, channel: str, submitted: datetime) -> Planned:
        rng, line, now_w = self.rng, self.line, self.now_w
        self.number += 1
        kind = ApplicantKind.CITIZEN
        if procedure.business and (not procedure.citizens or rng.random() < 0.6):
            kind = ApplicantKind.BUSINESS
            name, id_number = self.business()
        else:
            name, id_number, _gender = self.person()
        online = channel == Channel.ONLINE
        arrive_w = line.position(submitted)
        received_w = arrive_w + (min(rng.expovariate(1 / 120), line.day) if online else 0)
        received = line.at(received_w)
        minutes, days = procedure.deadline_terms(channel)
        if minutes is not None:
            budget = minutes
        elif days is not None:
            budget = days * line.day * 5 / 7
        else:
            budget = line.day * rng.uniform(5, 20)  # no time published: it still takes a while
        due = self.deadline(procedure, channel, received)

        # What happens to it, on the line of working time (inf: not yet, maybe never).
        fate = rng.random()
        refused = fate < 0.025
        withdrawn = 0.025 <= fate < 0.035
        stopped = 0.035 <= fate < 0.04
        forgotten = 0.04 <= fate < 0.044  # nobody acts on it any more: overdue for months
        speed = rng.random()
        if speed < 0.3:
            share = rng.uniform(0.15, 0.6)
        elif speed < 0.93:
            share = rng.uniform(0.6, 1.0)
        else:
            share = rng.uniform(1.0, 1.8)
        processing = max(budget * share, 20.0)
        pause = 0.0
        asked_w = math.inf
        if not refused and rng.random() < 0.06:
            asked_w = received_w + processing * rng.uniform(0.05, 0.6)
            pause = line.day * rng.uniform(0.5, 12)
        ready_w = math.inf if forgotten else received_w + processing + pause
        if rng.random() < 0.01:
            returned_w = math.inf  # the result was never collected
        elif online and rng.random() < 0.5:
            returned_w = ready_w + rng.uniform(5, 60)
        else:
            returned_w = ready_w + min(rng.expovariate(1 / (1.5 * line.day)), 20 * line.day)
        ended_w = math.inf
        if refused:
            ended_w = received_w
        elif withdrawn or stopped:
            ended_w = received_w + processing * rng.uniform(0.1, 0.9)
            if asked_w < ended_w:
                ended_w += pause
        due_final = due
        if due is not None and pause and now_w >= asked_w + pause:
            due_final = line.at(line.position(due) + pause, closing=True)

        row = {
            "uuid": uuid.uuid4(),
            "procedure_id": procedure.id,
            "procedure_record": {"code": procedure.code, "name": procedure.name, "seeded": True},
            "agency_id": agency_id,
            "applicant_kind": kind,
            "applicant_name": name,
            "applicant_id_number": id_number,
            "applicant_phone": self.phone(),
            "applicant_email": f"ho-so-{self.number}-{rng.randrange(10**6):06d}@{SEED_DOMAIN}",
            "applicant_address": (
                f"Số {rng.randint(1, 199)} đường {rng.choice(STREETS)}"
                if rng.random() < 0.4
                else rng.choice(PLACES)
            )
            + f", {self.cat.agency_names[agency_id].removeprefix('UBND ')}",
            "channel": channel,
            "data": {
                "full_name": name,
                "id_number": id_number,
                "reason": rng.choice(REASONS),
                "copies": rng.randint(1, 3),
            },
            "created_at": submitted - timedelta(minutes=rng.uniform(3, 40)) if online else submitted,
            "submitted_at": submitted,
            "received_at": submitted if not online else received,
            "due_at": due,
            "due_is_provisional": False,
            "workflow_id": procedure.workflow_id,
            "current_agency_id": agency_id,
            "version": 1,
        }
        first = procedure.steps[0]
        desk = self.cat.officers.get((agency_id, first.role))
        events = [
            {
                "at": submitted,
                "action": DossierAction.SUBMIT if online else DossierAction.REGISTER,
                "actor_id": None if online else (desk[0] if desk else None),
                "actor_name": name if online else (desk[1] if desk else ""),
                "from_status": S.DRAFT if online else None,
                "to_status": S.SUBMITTED if online else S.RECEIVED,
                "to_agency_id": agency_id,
                "detail": {"due_at": due.isoformat() if due else None, "seeded": True},
            }
        ]
        step = None
        supplement = None
        at = None  # when it last changed

        def final(status, moment_w, action, outcome, actor_role, from_status=S.PROCESSING):
            nonlocal at
            at = line.at(moment_w)
            row.update(status=status, finished_at=at, outcome=outcome, current_step_id=None)
            officer = self.cat.officers.get((agency_id, actor_role))
            events.append(
                {
                    "at": at, "action": action, "actor_id": officer[0] if officer else None,
                    "actor_name": officer[1] if officer else "", "from_status": from_status,
                    "to_status": status, "to_agency_id": agency_id, "detail": {"seeded": True},
                }
            )  # fmt: skip

        if online and now_w < received_w:
            # Not yet received: the desk's "new" queue; the due date is the provisional one.
            row.update(status=S.SUBMITTED, received_at=submitted, due_is_provisional=True)
            row["due_at"] = self.deadline(procedure, channel, submitted)
            step = self.step_row(first, agency_id, submitted, assigned=False)
            at = submitted
        elif ended_w <= now_w:
            if refused:
                final(S.REFUSED, ended_w, DossierAction.REFUSE, "refused", "desk")
                events[-1]["from_status"] = S.SUBMITTED if online else S.RECEIVED
            elif withdrawn:
                final(S.WITHDRAWN, ended_w, DossierAction.WITHDRAW, "withdrawn", "desk")
                events[-1].update(actor_id=None, actor_name=name)
            else:
                final(S.STOPPED, ended_w, DossierAction.STOP, "stopped", "leader")
            row["version"] = 3 if online else 2
        elif returned_w <= now_w:
            final(S.RETURNED, returned_w, DossierAction.RETURN_RESULT, "approved", "desk", S.RESULT_READY)
            ready = line.at(ready_w)
            row.update(finished_at=ready, timeliness=_timeliness(ready, due_final), version=6)
            row["returned_at"] = at  # (ignored where the model has no such column)
            row["result_number"] = f"{rng.randint(1, 9999)}/{ready.year}/{procedure.code}"
        elif ready_w <= now_w:
            ready = line.at(ready_w)
            ret = procedure.steps[-1]
            row.update(status=S.RESULT_READY, finished_at=ready, timeliness=_timeliness(ready, due_final))
            row.update(outcome="approved", version=5)
            row["result_number"] = f"{rng.randint(1, 9999)}/{ready.year}/{procedure.code}"
            step = self.step_row(ret, agency_id, ready, assigned=False)
            at = ready
        elif asked_w <= now_w < asked_w + pause:
            asked = line.at(asked_w)
            holder = self.current_processing(procedure, (asked_w - received_w) / processing)
            row.update(status=S.SUPPLEMENT_REQUESTED, paused_at=asked, supplement_count=1, version=3)
            step = self.step_row(holder, agency_id, received, assigned=True)
            officer = self.cat.officers.get((step["agency_id"], holder.role))
            if officer:
                supplement = {
                    "requested_by_id": officer[0], "requested_at": asked, "papers": [],
                    "reason": rng.choice(SUPPLEMENT_REASONS), "from_status": S.PROCESSING,
                }  # fmt: skip
            at = asked
        else:
            # In progress: which step holds it now, from the share of the processing time gone by.
            gone = now_w - received_w - (pause if now_w >= asked_w + pause else 0)
            progress = gone / processing if not forgotten else rng.uniform(0, 0.95)
            holder = self.current_processing(procedure, min(progress, 0.999))
            started_w = received_w + min(gone, processing) * rng.uniform(0.5, 1.0) if gone > 0 else received_w
            started = line.at(min(started_w, now_w))
            fresh = holder is self.processing_steps(procedure)[0] and progress < 0.2
            chance = {"specialist": 0.7, "leader": 0.5, "records": 0.5}.get(holder.role, 0.3)
            assigned = not fresh and rng.random() < chance
            step = self.step_row(holder, agency_id, started, assigned=assigned)
            if fresh and not step["assignee_id"]:
                row["status"] = S.RECEIVED
            elif holder.kind == StepKind.PROCESSING and rng.random() < 0.03:
                row["status"] = S.PAYMENT_REQUESTED
            else:
                row["status"] = S.PROCESSING
            if holder.kind == StepKind.RECORDS:  # approved already: the clock stopped at the signature
                row.update(
                    finished_at=started, timeliness=_timeliness(started, due_final), outcome="approved"
                )
            row["version"] = 2 if row["status"] == S.RECEIVED else 4
            if pause and now_w >= asked_w + pause:
                row["supplement_count"] = 1
            at = started
        if due_final is not due and row["status"] not in (S.SUBMITTED,):
            row["due_at"] = due_final
        if step is not None:
            row["current_agency_id"] = step["agency_id"]
            row["assignee_id"] = step["assignee_id"]
        if online and row["status"] != S.SUBMITTED and len(events) == 1:
            # The reception, for an online dossier still in progress (the control sheet's second row).
            events.append(
                {
                    "at": received, "action": DossierAction.RECEIVE, "actor_id": desk[0] if desk else None,
                    "actor_name": desk[1] if desk else "", "from_status": S.SUBMITTED,
                    "to_status": S.RECEIVED, "to_agency_id": agency_id,
                    "detail": {"due_at": due.isoformat() if due else None, "seeded": True},
                }
            )  # fmt: skip
        row["updated_at"] = max(at or submitted, submitted)
        return Planned(row, step, events, supplement)

    def processing_steps(self, procedure: ProcedurePlan) -> list[StepPlan]:
        inner = [s for s in procedure.steps if s.kind not in (StepKind.RECEPTION, StepKind.RETURN)]
        return inner or procedure.steps

    def current_processing(self, procedure: ProcedurePlan, progress: float) -> StepPlan:
        inner = self.processing_steps(procedure)
        total = sum(s.minutes for s in inner) or 1
        point = max(progress, 0) * total
        for s in inner:
            if point < s.minutes:
                return s
            point -= s.minutes
        return inner[-1]

    def step_row(self, plan: StepPlan, receiving_id: int, started: datetime, *, assigned: bool) -> dict:
        agency_id = plan.agency_id or receiving_id
        officer = self.cat.officers.get((agency_id, plan.role)) if assigned else None
        return {
            "order": plan.order,
            "name": plan.name,
            "kind": plan.kind,
            "role": plan.role,
            "agency_id": agency_id,
            "assignee_id": officer[0] if officer else None,
            "started_at": started,
            "due_at": self.line.at(self.line.position(started) + max(plan.minutes, 1), closing=True),
        }


def _timeliness(finished: datetime, due: datetime | None) -> str:
    """As ``services.timeliness``: early when done on a day before the due day, late after the due moment."""
    if due is None:
        return Timeliness.ON_TIME
    if finished > due:
        return Timeliness.LATE
    tz = calendar.timezone()
    return (
        Timeliness.EARLY if finished.astimezone(tz).date() < due.astimezone(tz).date() else Timeliness.ON_TIME
    )


def _cumulative(pairs) -> tuple[list, list[float]]:
    values, weights, total = [], [], 0.0
    for value, weight in pairs:
        total += weight
        values.append(value)
        weights.append(total)
    return values, weights


def _pick(rng: random.Random, table):
    values, weights = table
    return values[_index(rng, weights)]


def _index(rng: random.Random, cumulative: list[float]) -> int:
    return min(bisect.bisect_right(cumulative, rng.random() * cumulative[-1]), len(cumulative) - 1)


def day_counts(total: int, first: date, last: date, line: WorkLine, now: datetime) -> list[tuple[date, int]]:
    """``total`` spread over the days: working days busy, Saturdays and holidays quiet (online only),
    volume growing slowly towards today, today only the part of the day gone by."""
    days, weights = [], []
    span = max((last - first).days, 1)
    d = first
    local_now = now.astimezone(line.tz)
    while d <= last:
        weight = 1.0 if line.is_working_day(d) else (0.12 if d.weekday() == 5 else 0.06)
        weight *= 1 + 0.5 * (d - first).days / span
        if d == local_now.date():
            weight *= min(max((local_now.hour * 60 + local_now.minute) / (17 * 60), 0.02), 1)
        days.append(d)
        weights.append(weight)
        d += timedelta(days=1)
    total_weight = sum(weights)
    counts, cumulative, given = [], 0.0, 0
    for d, weight in zip(days, weights, strict=True):
        cumulative += weight
        upto = round(total * cumulative / total_weight)
        counts.append((d, upto - given))
        given = upto
    return counts


# --- writing ----------------------------------------------------------------------------------------------


class Writer:
    """Rows of one model into its table: COPY on PostgreSQL, multi-row INSERT elsewhere."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        self.table = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self.columns = ["id", *(f.column for f in self.fields)]
        self.postgres = connection.vendor == "postgresql"
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.converters = [self._converter(f) for f in self.fields]

    def _converter(self, f) -> Callable | None:
        if isinstance(f, models.JSONField):
            return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
        if isinstance(f, models.DateTimeField) and not self.postgres:
            # As Django stores them on SQLite: UTC, without the offset ("2026-05-12 01:30:00.000123").
            return lambda v: v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(f, models.DateField) and not self.postgres:
            return lambda v: None if v is None else v.isoformat()
        if isinstance(f, models.UUIDField):
            return (lambda v: str(v)) if self.postgres else (lambda v: v.hex)
        if isinstance(f, models.BooleanField) and not self.postgres:
            return lambda v: None if v is None else int(v)
        return None

    def tuples(self, rows: list[dict]) -> list[tuple]:
        out = []
        names = [f.attname for f in self.fields]
        defaults = self.defaults
        converters = self.converters
        for row in rows:
            values = [row["id"]]
            for name, convert in zip(names, converters, strict=True):
                value = row[name] if name in row else defaults[name]
                if isinstance(value, Enum):  # choices: their value (psycopg would write an enum's name)
                    value = value.value
                values.append(convert(value) if convert is not None and value is not None else value)
            out.append(tuple(values))
        return out

    def reserve_ids(self, count: int) -> list[int]:
        """``count`` new primary keys: from the table's own sequence on PostgreSQL (live inserts may go on),
        after the largest id elsewhere (SQLite: this transaction holds the write lock)."""
        if not count:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [self.table, count],
                )
                return [r[0] for r in cursor.fetchall()]
            cursor.execute(f'SELECT COALESCE(MAX("id"), 0) FROM "{self.table}"')  # noqa: S608 (model table)
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        data = self.tuples(rows)
        columns = ", ".join(f'"{c}"' for c in self.columns)
        # The driver's own cursor, in the transaction of Django's connection: Django's cursor would keep the
        # text of every statement with its thousands of values when DEBUG is on.
        cursor = raw_cursor()
        try:
            if self.postgres:
                with cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for values in data:
                        copy.write_row(values)
                return
            marks = "(" + ", ".join(["?"] * len(self.columns)) + ")"
            cursor.executemany(f'INSERT INTO "{self.table}" ({columns}) VALUES {marks}', data)  # noqa: S608
        finally:
            cursor.close()


def raw_cursor():
    connection.ensure_connection()
    return connection.connection.cursor()


def allocate_blocks(wanted: dict[tuple[int, date], int]) -> dict[tuple[int, date], int]:
    """Take ``count`` consecutive sequence numbers for each (agency id, day) of ``wanted`` (as
    ``services.allocate_code`` takes one) and return the first of each: one statement, whose rows stay
    locked until the batch commits (a live submission to the same agency and day waits, then goes on)."""
    mark = "%s" if connection.vendor == "postgresql" else "?"
    first = {}
    items = sorted(wanted.items())  # always the same order: two seeders cannot deadlock
    cursor = raw_cursor()
    try:
        for start in range(0, len(items), 1000):
            chunk = items[start : start + 1000]
            values = ", ".join([f"({mark}, {mark}, {mark})"] * len(chunk))
            cursor.execute(
                f"INSERT INTO dossiers_codesequence (agency_id, day, last) VALUES {values} "  # noqa: S608
                "ON CONFLICT (agency_id, day) DO UPDATE "
                "SET last = dossiers_codesequence.last + excluded.last RETURNING agency_id, day, last",
                [v for (agency_id, day), count in chunk for v in (agency_id, day.isoformat(), count)],
            )
            for agency_id, day, last in cursor.fetchall():
                key = (agency_id, day if isinstance(day, date) else date.fromisoformat(day))
                first[key] = last - wanted[key] + 1
    finally:
        cursor.close()
    return first


def write_batch(planned: list[Planned], cat: Catalogue, writers: dict, result: SeedResult) -> None:
    """One transaction: codes, dossiers, their steps, events and supplement requests."""
    tz = calendar.timezone()
    code_format = settings.MOTCUA_DOSSIER_CODE_FORMAT
    with transaction.atomic():
        wanted = Counter((p.row["agency_id"], p.row["submitted_at"].astimezone(tz).date()) for p in planned)
        blocks = allocate_blocks(wanted)
        result.sequences += len(wanted)
        ids = writers["dossier"].reserve_ids(len(planned))
        with_step = [p for p in planned if p.step is not None]
        step_ids = iter(writers["step"].reserve_ids(len(with_step)))
        steps, events, supplements = [], [], []
        for p, pk in zip(planned, ids, strict=True):
            row = p.row
            key = (row["agency_id"], row["submitted_at"].astimezone(tz).date())
            seq = blocks[key]
            blocks[key] = seq + 1
            row["id"] = pk
            row["code"] = code_format.format(
                agency_code=cat.agency_codes[key[0]], yymmdd=key[1].strftime("%y%m%d"), seq=seq, date=key[1]
            )
            if p.step is not None:
                p.step["id"] = next(step_ids)
                p.step["dossier_id"] = pk
                row["current_step_id"] = p.step["id"]
                row["acting_role"] = p.step["role"]
                steps.append(p.step)
            for event in p.events:
                event["dossier_id"] = pk
                events.append(event)
            if p.supplement is not None:
                p.supplement["dossier_id"] = pk
                supplements.append(p.supplement)
            result.statuses[row["status"]] += 1
        for event, pk in zip(events, writers["event"].reserve_ids(len(events)), strict=True):
            event["id"] = pk
        for request, pk in zip(supplements, writers["supplement"].reserve_ids(len(supplements)), strict=True):
            request["id"] = pk
        # The dossiers name their current step and the steps their dossier: the foreign keys are deferred to
        # the commit, so the order does not matter.
        writers["dossier"].write([p.row for p in planned])
        writers["step"].write(steps)
        writers["event"].write(events)
        writers["supplement"].write(supplements)
    result.dossiers += len(planned)
    result.steps += len(steps)
    result.events += len(events)
    result.supplements += len(supplements)


def seed(
    total: int,
    *,
    seed: int = 20261123,
    batch: int = 5000,
    days: int = 730,
    append: bool = False,
    analyze: bool = True,
    now: datetime | None = None,
    progress: Callable[[SeedResult], None] | None = None,
) -> SeedResult:
    """Insert ``total`` seeded dossiers submitted over the last ``days`` days (today included)."""
    if total < 0 or batch < 1 or days < 1:
        raise ValueError("total must be 0 or more, batch and days 1 or more")
    if not append and seeded_dossiers().exists():
        raise SeedRefused(
            "This database already holds seeded dossiers: use --append to add more, or a fresh database."
        )
    # Another run with --append draws other applicants and days than the first (same seed, more rows).
    already = seeded_dossiers().count() if append else 0
    rng = random.Random(f"{seed}:{already}")  # noqa: S311 (test data, not secrets)
    now = now or timezone.now()
    tz = calendar.timezone()
    last = now.astimezone(tz).date()
    first = last - timedelta(days=days - 1)
    line = WorkLine(first - timedelta(days=7), last + timedelta(days=800))
    cat = load_catalogue(rng)
    generator = Generator(rng, cat, line, now)
    writers = {
        "dossier": Writer(Dossier),
        "step": Writer(DossierStep),
        "event": Writer(DossierEvent),
        "supplement": Writer(SupplementRequest),
    }
    result = SeedResult()
    started = clock_time.perf_counter()
    pending: list[Planned] = []
    for d, count in day_counts(total, first, last, line, now):
        if count:
            pending.extend(generator.day(d, count))
        if len(pending) >= batch:
            write_batch(pending, cat, writers, result)
            pending = []
            result.seconds = clock_time.perf_counter() - started
            if progress:
                progress(result)
    if pending:
        write_batch(pending, cat, writers, result)
    if analyze and result.dossiers and not connection.in_atomic_block:
        _analyze([Dossier, DossierStep, DossierEvent, SupplementRequest, CodeSequence])
    result.seconds = clock_time.perf_counter() - started
    return result


def _analyze(models_: list[type[models.Model]]) -> None:
    """Fresh planner statistics after a bulk load (what autovacuum would do on PostgreSQL a while later)."""
    with connection.cursor() as cursor:
        for model in models_:
            if connection.vendor == "postgresql":
                cursor.execute(f'VACUUM (ANALYZE) "{model._meta.db_table}"')
            else:
                cursor.execute(f'ANALYZE "{model._meta.db_table}"')


__all__ = ["SEED_DOMAIN", "SeedRefused", "SeedResult", "seed", "seeded_dossiers"]
