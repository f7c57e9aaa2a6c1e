"""Deadline watch (theo dõi thời hạn): warnings before a dossier is due, and apology letters when it is late.

Run by the scheduler (Celery beat every 30 minutes in production; ``manage.py warn_deadlines`` from cron on
the embedded default). Safe to run as often as one likes: each dossier is warned once per due date and kind,
and has at most one unsent apology draft.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.models import OfficerMembership, OfficerRole, User
from motcua.notifications import services as notifications

from . import clock, selectors, services
from .models import DeadlineWarning, Dossier, DossierStatus, WarningKind
from .queues import ACTIVE


@dataclass
class WatchResult:
    due_soon: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)
    apologies: list[str] = field(default_factory=list)


def _people_to_warn(dossier: Dossier) -> list[User]:
    """The assignee and the leaders of the agency holding the dossier."""
    leaders = User.objects.filter(
        pk__in=OfficerMembership.objects.filter(
            agency_id=dossier.current_agency_id, role=OfficerRole.LEADER
        ).values("user_id"),
        is_active=True,
    )
    people = {u.pk: u for u in leaders}
    if dossier.assignee_id and dossier.assignee.is_active:
        people[dossier.assignee_id] = dossier.assignee
    return list(people.values())


def _warn(dossier: Dossier, kind: str) -> bool:
    """Warn about ``dossier`` once for its current due date; False when it was already warned."""
    try:
        with transaction.atomic():
            DeadlineWarning.objects.create(dossier=dossier, kind=kind, due_at=dossier.due_at)
            context = {**selectors.notification_context(dossier), "kind": kind}
            for person in _people_to_warn(dossier):
                notifications.notify(
                    topic=f"dossier.{kind}",
                    template=f"dossier_{kind}",
                    context=context,
                    recipient=person,
                    subject=dossier,
                    link=f"/mot-cua/ho-so/{dossier.code}/",
                )
    except IntegrityError:
        return False
    return True


def watch(now: datetime | None = None, limit: int = 5000) -> WatchResult:
    """Warn of dossiers due within one working day and of overdue ones; draft apologies for the overdue."""
    now = now or timezone.now()
    soon = clock.due_soon_limit(now)
    result = WatchResult()
    running = (
        Dossier.objects.filter(status__in=ACTIVE, paused_at__isnull=True, due_at__isnull=False)
        .exclude(status=DossierStatus.SUBMITTED)
        .select_related("procedure", "agency", "current_step", "assignee")
        .order_by("due_at")
    )
    for dossier in running.filter(due_at__gte=now, due_at__lte=soon)[:limit]:
        if _warn(dossier, WarningKind.DUE_SOON):
            result.due_soon.append(dossier.code)
    for dossier in running.filter(due_at__lt=now)[:limit]:
        if _warn(dossier, WarningKind.OVERDUE):
            result.overdue.append(dossier.code)
        if services.draft_apology(dossier, now) is not None:
            result.apologies.append(dossier.code)
    return result
