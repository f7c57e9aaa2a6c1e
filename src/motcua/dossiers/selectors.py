"""Reads of dossiers: finding one, the lists of applicants and officers, the actions open now, public
tracking, notification contexts and the dossier register (form 07).

Every read that names dossiers filters by ``rules.visible_dossiers`` (who may read which), so that a page or
an endpoint never shows more than its caller may see; a dossier out of reach is "not found".
"""

import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts import selectors as account_selectors
from motcua.catalog.models import Agency, Channel, Procedure
from motcua.core.identity import validate_personal_id, validate_phone, validate_tax_code
from motcua.core.text import whole_number
from motcua.workcalendar import selectors as calendar

from . import rules
from .models import (
    Attachment,
    AttachmentSource,
    Dossier,
    DossierAction,
    DossierEvent,
    DossierStatus,
    IdempotencyKey,
    StepKind,
)


def status_code(text) -> int | None:
    """The dossier status a request names by its code (``?trang-thai=4``); None for anything else."""
    number = whole_number(text, digits=2)
    return number if number in DossierStatus.values else None


def receiving_agencies(procedure: Procedure) -> list[Agency]:
    """The active agencies that implement ``procedure`` and receive its dossiers."""
    return list(procedure.agencies.filter(is_active=True).order_by("order", "name"))


def applicant_dossiers(user, status: int | None = None) -> QuerySet[Dossier]:
    """'My dossiers': what ``user`` filed or sent, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Dossier.objects.none()
    rows = Dossier.objects.filter(Q(applicant=user) | Q(submitted_by=user))
    if status is not None:
        rows = rows.filter(status=status)
    return rows.select_related("procedure", "agency").order_by("-updated_at", "-id")


# The officer's list counts up to this many (a busy commune finishes hundreds of thousands in a few years).
OFFICER_LIST_COUNT_CAP = 10_000


@dataclass
class ListPage:
    """One page of a long list: its rows, how many there are (up to a cap) and whether the cap was hit."""

    rows: list
    count: int
    capped: bool


def officer_list_page(user, *, status: int | None, offset: int, limit: int) -> ListPage:
    """The dossiers the officer's agencies received or hold now (``GET /api/v1/dossiers/``), newest first.

    Dossiers that only passed through an agency at some step are left out of this list (an officer of it
    still opens them by code, see ``visible_dossiers``): that condition has no index to walk. The list is
    the union of two index walks, by receiving agency and by holding agency, each read no further than the
    page (indexes ``dossiers_agency_list_idx`` and ``dossiers_held_list_idx``), so page 1 of an agency
    with half a million dossiers reads 20 rows of each, not all of them.
    """
    agencies = list(account_selectors.officer_agencies(user).values_list("pk", flat=True))
    rows = (
        Dossier.objects.filter(status=status)
        if status is not None
        else Dossier.objects.exclude(status=DossierStatus.DRAFT)
    )
    received = rows.filter(agency_id__in=agencies)
    held = rows.filter(current_agency_id__in=agencies)
    end = offset + limit
    if connection.features.supports_slicing_ordering_in_compound:
        ids_received = received.order_by("-id").values_list("id", flat=True)[:end]
        ids_held = held.order_by("-id").values_list("id", flat=True)[:end]
        ids = list(ids_received.union(ids_held).order_by("-id")[offset:end])
        cap = OFFICER_LIST_COUNT_CAP + 1
        # Unordered parts (no Meta ordering): each stops after ``cap`` entries of its index.
        count = received.order_by().values("id")[:cap].union(held.order_by().values("id")[:cap]).count()
    else:  # SQLite cannot limit the parts of a UNION; its databases are small enough for an OR.
        either = rows.filter(Q(agency_id__in=agencies) | Q(current_agency_id__in=agencies))
        ids = list(either.order_by("-id").values_list("id", flat=True)[offset:end])
        count = either.order_by()[: OFFICER_LIST_COUNT_CAP + 1].count()
    page = Dossier.objects.filter(pk__in=ids).select_related("procedure", "agency").order_by("-id")
    capped = count > OFFICER_LIST_COUNT_CAP
    return ListPage(list(page), min(count, OFFICER_LIST_COUNT_CAP), capped)


def find_visible(user, reference: str, *, light: bool = False) -> Dossier:
    """The dossier named by its code or uuid, when ``user`` may read it; else ``Dossier.DoesNotExist``.

    ``light``: only its identity, for a caller that hands it to a service which locks and reads the row
    again anyway (sending, attaching): the form data, the procedure record and the joins are not loaded
    twice. Any other field is still there when asked for, at the cost of a query.
    """
    reference = (reference or "").strip()
    rows = rules.visible_dossiers(user)
    if light:
        rows = rows.only("id", "uuid", "code", "status", "applicant_id", "submitted_by_id")
    else:
        rows = rows.select_related("procedure", "agency", "applicant", "form")
    try:
        key = uuid.UUID(reference)
    except ValueError:
        if not reference or len(reference) > 64:
            raise Dossier.DoesNotExist from None
        return rows.get(code=reference)
    return rows.get(uuid=key)


def find_for_officer(user, code: str) -> Dossier:
    """A sent dossier of the officer's agencies (every agency for a system administrator), by code."""
    rows = Dossier.objects.all() if getattr(user, "is_superuser", False) else rules.officer_dossiers(user)
    code = (code or "").strip()
    if not code or len(code) > 64:
        raise Dossier.DoesNotExist
    return (
        rows.exclude(status=DossierStatus.DRAFT).select_related("procedure", "agency", "form").get(code=code)
    )


def idempotent_dossier(user, scope: str, key: str) -> Dossier | None:
    row = (
        IdempotencyKey.objects.select_related("dossier").filter(user=user, scope=scope, key=key[:200]).first()
    )
    return row.dossier if row else None


def attachments_used(dossier: Dossier, component_order: int) -> tuple[int, int]:
    """The bytes all the dossier's files take, and how many files one paper has (one query)."""
    row = dossier.attachments.aggregate(
        total=Sum("size"), here=Count("id", filter=Q(component_order=component_order))
    )
    return row["total"] or 0, row["here"] or 0


def open_drafts(applicant) -> int:
    """How many drafts ``applicant`` has not sent (nor deleted)."""
    return Dossier.objects.filter(applicant=applicant, status=DossierStatus.DRAFT).count()


def account_bytes(applicant) -> int:
    """The bytes of the files in ``applicant``'s dossiers not finished yet (drafts included): what the
    per-account cap counts. A finished dossier's files are the agency's record and no longer count."""
    row = Attachment.objects.filter(
        dossier__applicant=applicant, dossier__finished_at__isnull=True
    ).aggregate(total=Sum("size"))
    return row["total"] or 0


def components_with_files(dossier: Dossier) -> set[int]:
    """Ids of the procedure's current component rows that have a file (what the forms app checks)."""
    orders = set(dossier.attachments.values_list("component_order", flat=True))
    return set(dossier.procedure.components.filter(order__in=orders).values_list("id", flat=True))


def reused_papers(start, end, agency=None) -> int:
    """Papers taken from the applicants' document stores (kho dữ liệu) instead of a new upload, in the
    dossiers sent from ``start`` (included) to ``end`` (excluded), of ``agency`` when given: the count of
    "papers reused" of the digitisation indicator (Decision 766/QĐ-TTg). A paper reused in a draft never
    sent does not count; one reused in a supplement counts with its dossier."""
    rows = Attachment.objects.filter(
        source=AttachmentSource.STORE, dossier__submitted_at__gte=start, dossier__submitted_at__lt=end
    )
    if agency is not None:
        rows = rows.filter(dossier__agency=agency)
    return rows.count()


def reusable_papers(dossier: Dossier, user) -> dict[int, list]:
    """For each component of ``dossier``'s procedure whose kind of paper is known, the papers of that kind in
    ``user``'s document store valid today (what the form offers instead of a new upload); components with
    none are left out. Only for the dossier's own applicant."""
    from motcua.documents import selectors as document_selectors

    if user is None or dossier.applicant_id != getattr(user, "pk", None):
        return {}
    today = timezone.localdate()
    offered: dict[int, list] = {}
    by_kind: dict[str, list] = {}
    for component in dossier.procedure.components.exclude(paper_kind=""):
        if component.paper_kind not in by_kind:
            by_kind[component.paper_kind] = list(
                document_selectors.reusable_papers(user, component.paper_kind, on=today)
            )
        if by_kind[component.paper_kind]:
            offered[component.order] = by_kind[component.paper_kind]
    return offered


def applicant_link(dossier: Dossier) -> str:
    return f"/ho-so/{dossier.reference}/"


def applicant_result_link(dossier: Dossier) -> str:
    """The applicant's download of the signed result (the portal's ``dossier_result``)."""
    return f"{applicant_link(dossier)}ket-qua/"


def tracking_url(dossier: Dossier) -> str:
    """The absolute address of the public tracking page of ``dossier`` (its receipt's QR code)."""
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/tra-cuu/?{urlencode({'code': dossier.code})}"


def notification_context(dossier: Dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "agency_name": dossier.agency.name if dossier.agency_id else "",
        "applicant_name": dossier.applicant_name,
        # Lazy: the e-mail renders it once in Vietnamese and once in English.
        "status_label": DossierStatus(dossier.status).label,
        "submitted_at": dossier.submitted_at,
        "due_at": dossier.due_at,
        "due_is_provisional": dossier.due_is_provisional,
        "tracking_url": tracking_url(dossier),
        "dossier_url": settings.MOTCUA_PUBLIC_URL.rstrip("/") + applicant_link(dossier),
    }


def history(dossier: Dossier) -> QuerySet[DossierEvent]:
    return dossier.events.select_related("actor", "from_agency", "to_agency").order_by("at", "id")


# --- public tracking ----------------------------------------------------------------------------------------


def tracked(code: str) -> Dossier:
    """A sent dossier by its exact code, for the public tracking page; ``Dossier.DoesNotExist`` otherwise."""
    code = (code or "").strip()
    if not code or len(code) > 64:
        raise Dossier.DoesNotExist
    return (
        Dossier.objects.select_related("procedure", "agency")
        .only(*TRACKED_FIELDS)
        .exclude(status=DossierStatus.DRAFT)
        .get(code=code)
    )


# What public tracking shows of a dossier (the page and the API): read alone, not the dossier's 44 columns
# and its procedure's and agency's (a look-up is the most frequent page nobody can cache, bench/burst.py).
TRACKED_FIELDS = (
    "code", "status", "received_at", "due_at",
    "procedure__code", "procedure__name", "agency__code", "agency__slug", "agency__name",
)  # fmt: skip


def public_steps(dossier: Dossier) -> list[dict]:
    """The public steps so far: what happened, when, at which agency; never notes or names."""
    labels = dict(DossierAction.choices)
    return [
        {
            "at": at,
            "action": action,
            "label": str(labels.get(action, action)),
            "status": {"code": to_status, "label": str(DossierStatus(to_status).label)},
            "agency": agency or "",
        }
        for at, action, to_status, agency in dossier.events.order_by("at", "id").values_list(
            "at", "action", "to_status", "to_agency__name"
        )
    ]


# --- counter registration -----------------------------------------------------------------------------------


def check_counter_applicant(applicant: dict) -> dict[str, list[str]]:
    """Problems of the applicant details a desk officer typed, by field (empty when sound)."""
    errors: dict[str, list[str]] = {}
    name = (applicant.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Enter the applicant's full name or the business name.")]
    id_number = (applicant.get("id_number") or "").strip()
    check = validate_tax_code if applicant.get("kind") == "business" else validate_personal_id
    try:
        check(id_number)
    except ValidationError as exc:
        errors["id_number"] = list(exc.messages)
    phone = (applicant.get("phone") or "").strip()
    if phone:
        try:
            validate_phone(phone)
        except ValidationError as exc:
            errors["phone"] = list(exc.messages)
    return errors


def counter_channels() -> list[tuple[str, str]]:
    return [(Channel.IN_PERSON, Channel.IN_PERSON.label), (Channel.POSTAL, Channel.POSTAL.label)]


# --- actions ------------------------------------------------------------------------------------------------


def available_actions(dossier: Dossier, user) -> list[str]:
    """The actions ``user`` may take on ``dossier`` now, in the order the workflow offers them."""
    from .workflow import definition_for

    roles = rules.Roles(user)
    step = dossier.current_step
    found = [
        action
        for action in rules.RULES
        if rules.possible(action, dossier, step) and rules.allowed(action, dossier, step, roles)
    ]
    if step is not None and {DossierAction.FORWARD, DossierAction.PROPOSE, DossierAction.SEND_BACK} & set(
        found
    ):
        definition = definition_for(dossier.procedure, dossier.workflow)
        nxt, previous = definition.after(step.order), definition.before(step.order)
        to_approval = nxt is not None and nxt.kind == StepKind.APPROVAL
        if nxt is None or to_approval:
            found = [a for a in found if a != DossierAction.FORWARD]
        if not to_approval:
            found = [a for a in found if a != DossierAction.PROPOSE]
        if previous is None or previous.kind == StepKind.RECEPTION:
            found = [a for a in found if a != DossierAction.SEND_BACK]
    if DossierAction.REQUEST_SUPPLEMENT in found and not rules.may_request_supplement_again(dossier, roles):
        found.remove(DossierAction.REQUEST_SUPPLEMENT)
    return found


def pending_supplement(dossier: Dossier):
    """The supplement request the applicant still has to answer, or None."""
    if dossier.status != DossierStatus.SUPPLEMENT_REQUESTED:
        return None
    return dossier.supplement_requests.filter(supplied_at__isnull=True).order_by("-requested_at").first()


# --- the dossier register (sổ theo dõi hồ sơ, form 07) ------------------------------------------------------

REGISTER_COLUMNS = [
    ("code", "Mã hồ sơ"),
    ("procedure", "Tên thủ tục hành chính"),
    ("applicant", "Tên cá nhân, tổ chức"),
    ("address", "Địa chỉ, số điện thoại"),
    ("channel", "Hình thức nộp"),
    ("received_at", "Ngày, giờ tiếp nhận"),
    ("due_at", "Ngày, giờ hẹn trả kết quả"),
    ("handled_by", "Cơ quan, đơn vị giải quyết"),
    ("finished_at", "Ngày có kết quả"),
    ("returned_at", "Ngày trả kết quả"),
    ("status", "Trạng thái"),
    ("timeliness", "Đúng hạn / trễ hạn"),
]
TIMELINESS_VI = {"early": "Sớm hạn", "on_time": "Đúng hạn", "late": "Trễ hạn"}


def register_rows(agency_ids, since, until) -> QuerySet:
    """Dossiers received by ``agency_ids`` from ``since`` to ``until`` (datetimes), in reception order, as
    plain rows (one query, no model instances: a register may hold tens of thousands of lines)."""
    return (
        Dossier.objects.filter(agency__in=agency_ids, received_at__gte=since, received_at__lt=until)
        .exclude(status=DossierStatus.DRAFT)
        .order_by("received_at", "id")
        .values(
            "code", "procedure__name", "applicant_name", "applicant_address", "applicant_phone", "channel",
            "received_at", "due_at", "current_agency__name", "agency__name", "finished_at", "status",
            "timeliness", "returned_at",
        )
    )  # fmt: skip


def register_line(row: dict) -> dict:
    """One register line for people: local dates, Vietnamese labels."""

    def when(value):
        return calendar.local(value).strftime("%H:%M %d/%m/%Y") if value else ""

    contact = ", ".join(p for p in (row["applicant_address"], row["applicant_phone"]) if p)
    return {
        "code": row["code"],
        "procedure": row["procedure__name"],
        "applicant": row["applicant_name"],
        "address": contact,
        "channel": str(Channel(row["channel"]).label),
        "received_at": when(row["received_at"]),
        "due_at": when(row["due_at"]),
        "handled_by": row["current_agency__name"] or row["agency__name"],
        "finished_at": when(row["finished_at"]),
        "returned_at": when(row["returned_at"]),
        "status": str(DossierStatus(row["status"]).label),
        "timeliness": TIMELINESS_VI.get(row["timeliness"] or "", ""),
    }
