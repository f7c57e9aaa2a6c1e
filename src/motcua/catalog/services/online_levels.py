"""The service level a procedure really offers (mức độ dịch vụ công trực tuyến), stored for searches and kept
in step with its methods, fees, components and agencies, and whether an agency takes fees online."""

from django.db import transaction

from ..levels import derived_level
from ..models import Agency, Procedure
from ..signals import bump_revision


def refresh_online_level(procedure: Procedure) -> int | None:
    """Store the level ``procedure`` really offers (``levels``); called when its methods, fees, components
    or agencies change. An update, not a save: nothing else of the row is touched. Returns the level (None
    when the procedure is gone, e.g. while its rows are being deleted)."""
    current = (
        Procedure.objects.prefetch_related("methods", "fees", "components", "agencies")
        .filter(pk=procedure.pk)
        .first()
    )
    if current is None:
        return None
    refresh_online_levels(Procedure.objects.filter(pk=procedure.pk))
    procedure.online_level = int(derived_level(current))
    return procedure.online_level


def refresh_online_levels(procedures=None) -> int:
    """Recompute the stored level of many procedures (all by default); returns how many changed."""
    changed = 0
    queryset = procedures if procedures is not None else Procedure.objects.all()
    for procedure in queryset.prefetch_related("methods", "fees", "components", "agencies"):
        level = int(derived_level(procedure))
        if procedure.online_level != level:
            Procedure.objects.filter(pk=procedure.pk).update(online_level=level)
            changed += 1
    if changed:
        bump_revision()  # an update sends no signal; cached searches filter on the level
    return changed


@transaction.atomic
def set_accepts_online_payment(agency: Agency, value: bool) -> Agency:
    """Whether ``agency`` takes fees online (called by the payments app when the agency gets or loses an
    active gateway account); the stored service levels of its procedures follow."""
    Agency.objects.filter(pk=agency.pk).update(accepts_online_payment=bool(value))
    agency.accepts_online_payment = bool(value)
    refresh_online_levels(agency.procedures.all())
    return agency
