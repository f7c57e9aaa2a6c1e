"""Reads of the catalogue: search, lists and the full procedure record.

Search compares folded keys (see ``motcua.core.text.fold``) stored on each procedure, so that results and
their order are the same on SQLite and PostgreSQL. Ranking tiers, best first:

0. the query is the procedure's code, or its whole name;
1. the name starts with the query;
2. the name holds the query as a phrase;
3. the name holds every word of the query;
4. the other text (sector, result, components, agencies…) holds every word.

Words match whole ("tu" does not find "tục"): Vietnamese syllables are short and prefixes are noise.

Inside a tier, shorter names come first (the closest match), then the code.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Collate, Length

from motcua.core.lookups import Includes
from motcua.core.text import fold

from .models import (
    Agency,
    AuthorityLevel,
    CatalogueRevision,
    Procedure,
    ProcedureMethod,
    Sector,
    ServiceLevel,
    shortest_processing_days,
)


@dataclass(frozen=True)
class ProcedureFilters:
    q: str = ""
    sector: Sector | None = None
    agency: Agency | None = None
    authority_level: str = ""
    service_level: str = ""


def _bytewise(expression):
    """Order by bytes, not by the server's locale, so both databases sort folded keys the same way."""
    return Collate(expression, "C" if connection.vendor == "postgresql" else "BINARY")


def search_procedures(filters: ProcedureFilters) -> QuerySet[Procedure]:
    """Active procedures matching ``filters``, best first (without ``q``: by name)."""
    qs = Procedure.objects.active().select_related("sector")
    if filters.sector is not None:
        qs = qs.filter(sector=filters.sector)
    if filters.agency is not None:
        qs = qs.filter(agencies=filters.agency)
    if filters.authority_level:
        qs = qs.filter(authority_level=AuthorityLevel(filters.authority_level))
    if filters.service_level:
        qs = qs.with_service_level(ServiceLevel(filters.service_level))

    phrase = fold(filters.q)
    if not phrase:
        return qs.order_by(_bytewise(F("search_name")), "code")

    tokens = phrase.split()
    for token in tokens:
        # Whole words: Vietnamese syllables are short, so a prefix ("tu") would also find "tuc", "tuyen"…
        qs = qs.filter(Includes(F("search_text"), Value(f" {token} ")))
    name_has_every_word = Q()
    for token in tokens:
        name_has_every_word &= Includes(F("search_name"), Value(f" {token} "))
    rank = Case(
        When(Q(code=filters.q.strip()) | Q(search_name=f" {phrase} "), then=Value(0)),
        When(search_name__startswith=f" {phrase} ", then=Value(1)),
        When(Includes(F("search_name"), Value(f" {phrase} ")), then=Value(2)),
        When(name_has_every_word, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return qs.annotate(rank=rank, name_length=Length("search_name")).order_by("rank", "name_length", "code")


# Long texts that a result row never shows.
LIST_DEFERRED = ("search_text", "requirements", "notes", "implementing_body", "result_type")


class RankedResults(Sequence):
    """Search results as the ordered list of their ids; rows are loaded only for the slice shown.

    Paginators (Django's and DRF's) need ``count()`` and slicing, nothing more: the page of 20 is one
    query by primary key instead of a second full search.
    """

    def __init__(self, ids: list[int]):
        self.ids = ids

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        wanted = self.ids[index]
        rows = Procedure.objects.select_related("sector").defer(*LIST_DEFERRED).in_bulk(wanted)
        times: dict[int, list] = {pk: [] for pk in rows}
        for procedure_id, amount, unit in ProcedureMethod.objects.filter(procedure_id__in=rows).values_list(
            "procedure_id", "processing_time", "time_unit"
        ):
            times[procedure_id].append((amount, unit))
        for pk, procedure in rows.items():
            procedure.processing_days = shortest_processing_days(times[pk])
        return [rows[pk] for pk in wanted if pk in rows]


def catalogue_revision() -> str:
    return CatalogueRevision.objects.filter(pk=1).values_list("token", flat=True).first() or "none"


def search_results(filters: ProcedureFilters) -> RankedResults:
    """``search_procedures`` for the portal and the API: the ranked ids are cached per catalogue revision.

    Citizens ask the same few questions all day; the catalogue changes a few times a month. The key holds
    the revision, so any write to the catalogue makes every cached answer unreachable at once.
    """
    seconds = settings.MOTCUA_SEARCH_CACHE_SECONDS

    def compute() -> list[int]:
        return list(search_procedures(filters).values_list("pk", flat=True))

    if seconds <= 0:
        return RankedResults(compute())
    signature = "|".join(
        [
            fold(filters.q),
            filters.q.strip() if is_code_like(filters.q) else "",
            str(filters.sector.pk if filters.sector else ""),
            str(filters.agency.pk if filters.agency else ""),
            filters.authority_level,
            filters.service_level,
        ]
    )
    key = "catalog:search:" + hashlib.sha256(f"{catalogue_revision()}|{signature}".encode()).hexdigest()
    return RankedResults(cache.get_or_set(key, compute, seconds))


def is_code_like(text: str) -> bool:
    return any(ch.isdigit() for ch in text)


def procedure_detail(code: str) -> Procedure:
    """The full record of one active procedure, with everything the detail page and API show."""
    return (
        Procedure.objects.active()
        .select_related("sector")
        .prefetch_related(
            "steps",
            "methods",
            "fees",
            "components",
            "legal_basis",
            Prefetch("agencies", queryset=Agency.objects.select_related("parent")),
        )
        .get(code=code)
    )


def most_used_procedures(limit: int = 8) -> QuerySet[Procedure]:
    return (
        Procedure.objects.active()
        .select_related("sector")
        .prefetch_related("methods")
        .order_by("-popularity", "code")[:limit]
    )


def sectors_with_counts() -> QuerySet[Sector]:
    from django.db.models import Count

    return Sector.objects.annotate(
        procedure_count=Count("procedures", filter=Q(procedures__is_active=True))
    ).order_by("order", "name")


def agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True).select_related("parent").order_by("order", "code")


def agency_tree() -> list[tuple[Agency, int]]:
    """Active agencies in tree order with their depth, from one query."""
    nodes = list(agencies())
    children: dict[int | None, list[Agency]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    known = {n.pk for n in nodes}
    roots = [n for n in nodes if n.parent_id is None or n.parent_id not in known]
    out: list[tuple[Agency, int]] = []

    def walk(node: Agency, depth: int):
        out.append((node, depth))
        for child in children.get(node.pk, []):
            walk(child, depth + 1)

    for root in roots:
        walk(root, 0)
    return out


def find_sector(value: str) -> Sector | None:
    """A sector by slug or code, or None."""
    return Sector.objects.filter(Q(slug=value) | Q(code=value)).first()


def find_agency(value: str) -> Agency | None:
    """An active agency by slug or identifier code, or None."""
    return Agency.objects.filter(is_active=True).filter(Q(slug=value) | Q(code=value)).first()


# --- portal pages -----------------------------------------------------------------------------------------


def procedure_list(filters: ProcedureFilters) -> RankedResults:
    """Ranked results with what a result row shows (sector, and methods for the processing time)."""
    return search_results(filters)


def sectors() -> QuerySet[Sector]:
    return Sector.objects.order_by("order", "name")


def sector_by_slug(slug: str) -> Sector:
    """Raises ``Sector.DoesNotExist`` when there is no such sector."""
    return Sector.objects.get(slug=slug)


def agency_by_slug(slug: str) -> Agency:
    """An active agency with its parent and active sub-agencies; raises ``Agency.DoesNotExist``."""
    return (
        Agency.objects.filter(is_active=True)
        .select_related("parent__parent__parent")  # the breadcrumb walks up to the root
        .prefetch_related(Prefetch("children", queryset=Agency.objects.filter(is_active=True)))
        .get(slug=slug)
    )


def top_agencies(max_depth: int = 1) -> list[Agency]:
    """The upper levels of the agency tree (the province and its departments), in tree order."""
    return [agency for agency, depth in agency_tree() if depth <= max_depth]
