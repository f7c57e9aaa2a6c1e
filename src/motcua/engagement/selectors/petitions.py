"""Reads of petitions and feedback: the reception that receives them, a petition by its code (the public
tracking page, which shows no personal data), a sender's own, the officers' queues with what is overdue, the
choices of the back office's forms (agencies to route to, handlers), the published answers the public
searches, and the figures the statistics count."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from motcua.accounts.models import OfficerRole
from motcua.catalog import selectors as catalog_selectors
from motcua.catalog.models import Agency
from motcua.core.text import fold

from .. import rules
from ..models import OPEN_STATUSES, Petition, PetitionEvent, PetitionStatus

QUEUES = ("open", "received", "overdue", "due_soon", "awaiting_approval", "mine", "ended")
DUE_SOON = timedelta(days=2)


class NoReception(Exception):
    """No agency can receive petitions: the catalogue has no agency yet, or the configured one is gone."""


def reception_agency() -> Agency:
    """The agency whose moderators receive petitions (``MOTCUA_PETITION_RECEPTION_AGENCY``, else the first
    top-level agency of the tree)."""
    code = settings.MOTCUA_PETITION_RECEPTION_AGENCY
    found = (
        Agency.objects.filter(code=code, is_active=True).first()
        if code
        else Agency.objects.filter(parent__isnull=True, is_active=True).order_by("order", "code").first()
    )
    if found is None:
        raise NoReception(code or "(top-level agency)")
    return found


def by_code(code: str) -> Petition | None:
    """A petition by its code, as the sender wrote it (spaces and case forgiven)."""
    code = "".join((code or "").split()).upper()
    if not code or len(code) > 40:
        return None
    return Petition.objects.select_related("agency", "procedure", "merged_into").filter(code=code).first()


def own_petitions(user) -> QuerySet[Petition]:
    """What ``user`` sent from their account, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Petition.objects.none()
    return Petition.objects.filter(sender=user).select_related("agency").order_by("-received_at", "-id")


def events(petition: Petition) -> QuerySet[PetitionEvent]:
    return petition.events.select_related("agency", "actor").order_by("at", "id")


def queue(user, name: str = "open", *, now: datetime | None = None) -> QuerySet[Petition]:
    """The petitions of the back office's queue ``name`` (``QUEUES``) among those ``user`` may open, the most
    urgent first: open, still at the reception, overdue, due within two days, awaiting a leader's approval,
    given to ``user``, ended."""
    now = now or timezone.now()
    found = rules.visible_petitions(user).select_related("agency", "handler")
    if name == "received":
        found = found.filter(status=PetitionStatus.RECEIVED)
    elif name == "overdue":
        found = found.filter(status__in=OPEN_STATUSES, due_at__lt=now)
    elif name == "due_soon":
        found = found.filter(status__in=OPEN_STATUSES, due_at__gte=now, due_at__lt=now + DUE_SOON)
    elif name == "awaiting_approval":
        found = found.filter(status=PetitionStatus.AWAITING_APPROVAL)
    elif name == "mine":
        found = found.filter(status__in=OPEN_STATUSES, handler=user)
    elif name == "ended":
        return found.exclude(status__in=OPEN_STATUSES).order_by("-ended_at", "-id")
    else:
        found = found.filter(status__in=OPEN_STATUSES)
    return found.order_by("due_at", "id")


def queue_counts(user, *, now: datetime | None = None) -> dict[str, int]:
    """How many petitions each open queue holds for ``user`` (the back office's tabs and home page)."""
    now = now or timezone.now()
    open_ = rules.visible_petitions(user).filter(status__in=OPEN_STATUSES)
    return open_.aggregate(
        open=Count("id"),
        received=Count("id", filter=Q(status=PetitionStatus.RECEIVED)),
        overdue=Count("id", filter=Q(due_at__lt=now)),
        due_soon=Count("id", filter=Q(due_at__gte=now, due_at__lt=now + DUE_SOON)),
        awaiting_approval=Count("id", filter=Q(status=PetitionStatus.AWAITING_APPROVAL)),
        mine=Count("id", filter=Q(handler=user))
        if getattr(user, "pk", None)
        else Count("id", filter=Q(pk=None)),
    )


def published(q: str = "", *, agency: Agency | None = None, procedure=None, category: str = "") -> QuerySet:
    """The published answers, newest first, matching every word of ``q`` (accents and case ignored), and
    optionally an agency (with the agencies under it), a procedure or a category."""
    found = Petition.objects.filter(published_at__isnull=False).select_related("agency", "procedure")
    for word in fold(q or "").split()[:10]:
        found = found.filter(published_search__contains=word)
    if agency is not None:
        from motcua.catalog.selectors import agencies_under

        found = found.filter(agency_id__in=agencies_under([agency.pk]))
    if procedure is not None:
        found = found.filter(procedure=procedure)
    if category:
        found = found.filter(category=category)
    return found.order_by("-published_at", "-id")


def published_one(code: str) -> Petition | None:
    found = by_code(code)
    return found if found is not None and found.is_published else None


@dataclass(frozen=True)
class PetitionFigures:
    """What the statistics count of petitions ended in a period: handled (answered or declined), handled
    on time, answers rated by their senders, and those rated satisfied."""

    handled: int = 0
    handled_on_time: int = 0
    rated: int = 0
    satisfied: int = 0


ENDED_GROUPS = {"agency": "agency_id", "sector": "procedure__sector_id", "procedure": "procedure_id"}


def ended_counts(
    start: datetime,
    end: datetime,
    *,
    agency_ids=None,
    sector_id=None,
    procedure_id=None,
    by: str | None = None,
) -> dict:
    """``{key: PetitionFigures}`` of the petitions ended in [start, end): by the agency in charge (``by``
    "agency"), the sector or the procedure they are about, the local month they ended in ("month"), or all
    together (None, the key None). Narrowed to ``agency_ids`` (None: all), a sector or a procedure (a
    petition about none is then left out). Merged duplicates count once, through the petition they were
    merged into. One query over an indexed, small table: always exact, nothing kept."""
    found = Petition.objects.filter(
        ended_at__gte=start, ended_at__lt=end, status__in=[PetitionStatus.ANSWERED, PetitionStatus.DECLINED]
    )
    if agency_ids is not None:
        found = found.filter(agency_id__in=list(agency_ids))
    if sector_id is not None:
        found = found.filter(procedure__sector_id=sector_id)
    if procedure_id is not None:
        found = found.filter(procedure_id=procedure_id)
    counts = {
        "handled": Count("id"),
        "handled_on_time": Count("id", filter=Q(on_time=True)),
        "rated": Count("id", filter=Q(satisfied__isnull=False)),
        "satisfied": Count("id", filter=Q(satisfied=True)),
    }
    if by is None:
        return {None: PetitionFigures(**found.aggregate(**counts))}
    field = "key"
    keyed = (
        found.annotate(key=TruncMonth("ended_at"))
        if by == "month"
        else found.annotate(key=F(ENDED_GROUPS[by]))
    )
    result = {}
    for row in keyed.values(field).annotate(**counts).order_by(field):
        key = row.pop(field)
        if key is None:
            continue
        if by == "month":
            key = timezone.localtime(key).date() if isinstance(key, datetime) else key
        result[key] = PetitionFigures(**row)
    return result


def figures(start: datetime, end: datetime, agency_ids=None) -> PetitionFigures:
    """All petitions ended in [start, end) by the agencies ``agency_ids`` (None: all), counted together."""
    return ended_counts(start, end, agency_ids=agency_ids)[None]


def public_record(petition: Petition) -> dict:
    """What anyone holding the code may read (tra cứu): where it stands and when, the agency in charge and
    its steps, and the answer once published; no subject, content, name, contact, note or reason, which may
    hold personal data. The portal's tracking page and ``GET /api/v1/petitions/{code}/`` both show this."""
    steps = [
        {"action": e.action, "action_label": e.get_action_display(), "at": e.at, "agency": e.agency.name}
        for e in petition.events.select_related("agency").order_by("at", "id")
        if e.action != "rate"
    ]
    published = petition.is_published
    return {
        "code": petition.code,
        "kind": petition.kind,
        "kind_label": petition.get_kind_display(),
        "category": petition.category,
        "category_label": petition.get_category_display(),
        "status": petition.status,
        "status_label": petition.get_status_display(),
        "agency": petition.agency.name,
        "received_at": petition.received_at,
        "due_at": petition.due_at,
        "ended_at": petition.ended_at,
        "on_time": petition.on_time,
        "merged_into": petition.merged_into.code if petition.merged_into_id else None,
        "steps": steps,
        "published": published,
        "published_subject": petition.published_subject if published else "",
        "published_question": petition.published_question if published else "",
        "published_answer": petition.published_answer if published else "",
        "published_at": petition.published_at,
    }


def route_choices(petition: Petition, user) -> list[tuple[Agency, int]]:
    """The active agencies ``user`` may route ``petition`` to (``rules.route_targets``), in tree order with
    their depth, the agency in charge left out (the back office's select)."""
    targets = rules.route_targets(user) - {petition.agency_id}
    return [(agency, depth) for agency, depth in catalog_selectors.agency_tree() if agency.pk in targets]


def handlers(petition: Petition) -> QuerySet:
    """Who ``petition`` may be given to (phân công): the active handlers and leaders of the agency in
    charge, by name."""
    return (
        get_user_model()
        .objects.filter(
            memberships__agency_id=petition.agency_id,
            memberships__role__in=(OfficerRole.HANDLER, OfficerRole.LEADER),
            is_active=True,
        )
        .order_by("full_name", "username")
        .distinct()
    )
