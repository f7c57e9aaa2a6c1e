"""How the catalogue stands for the publicity and online-service indicators (Decision 766, groups 1 and 4):
procedures in force, published on time, published in full, offered fully online.

Rules of the catalogue, stated once: a procedure is *in force* on a day when it is active and its effective
date (if any) has come; *published on time* when its record entered the catalogue no later than its
effective date; *published in full* when its record says what the citizen needs to act: at least one way
to carry it out with a processing time, the papers of the dossier, its legal basis and its result.
"""

from datetime import date, datetime, time

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import DossierComponent, OnlineLevel, Procedure, ProcedureMethod


def in_force(on: date) -> QuerySet[Procedure]:
    return Procedure.objects.filter(is_active=True).filter(
        Q(effective_from__isnull=True) | Q(effective_from__lte=on)
    )


def _published_in_full() -> Q:
    timed = ProcedureMethod.objects.filter(procedure=OuterRef("pk"), processing_time__gt=0)
    papers = DossierComponent.objects.filter(procedure=OuterRef("pk"))
    based = Procedure.legal_basis.through.objects.filter(procedure_id=OuterRef("pk"))
    return Q(Exists(timed), Exists(papers), Exists(based)) & ~Q(result_type="")


def procedure_flags(on: date) -> list[dict]:
    """Each procedure in force on ``on`` (and in the catalogue by then) with what the indicators ask of it:
    ``pk``, ``sector_id``, ``agency_ids``, and the flags ``dated``, ``on_time``, ``in_full``, ``full_online``.
    One row per procedure: a province has a few thousand, so callers add them up by any grouping."""
    end_of_day = timezone.make_aware(datetime.combine(on, time.max))
    rows = (
        in_force(on)
        .filter(created_at__lte=end_of_day)
        .annotate(in_full=ExpressionWrapper(_published_in_full(), output_field=BooleanField()))
        .values("pk", "sector_id", "created_at", "effective_from", "online_level", "in_full")
    )
    agencies: dict[int, list[int]] = {}
    links = Procedure.agencies.through.objects.filter(procedure_id__in=rows.values("pk"))
    for procedure_id, agency_id in links.values_list("procedure_id", "agency_id"):
        agencies.setdefault(procedure_id, []).append(agency_id)
    flags = []
    for row in rows:
        effective = row["effective_from"]
        flags.append(
            {
                "pk": row["pk"],
                "sector_id": row["sector_id"],
                "agency_ids": agencies.get(row["pk"], []),
                "dated": effective is not None,
                # in the catalogue by the end of its effective date (created_at: when it was published here)
                "on_time": effective is not None and timezone.localdate(row["created_at"]) <= effective,
                "in_full": bool(row["in_full"]),
                "full_online": row["online_level"] == OnlineLevel.LEVEL_4,
            }
        )
    return flags
