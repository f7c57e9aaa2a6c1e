"""Reads of the catalogue: search, lists and the full procedure record.

Search runs on the in-process index of ``search_index`` (ranking rules there); pages load only the rows
they show.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import Prefetch, Q, QuerySet

from .models import (
    Agency,
    CatalogueRevision,
    Procedure,
    ProcedureMethod,
    Sector,
    shortest_processing_days,
)
from .search_index import index_for


@dataclass(frozen=True)
class ProcedureFilters:
    q: str = ""
    sector: Sector | None = None
    agency: Agency | None = None
    authority_level: str = ""
    service_level: str = ""


def search_procedures(filters: ProcedureFilters) -> "RankedResults":
    """Active procedures matching ``filters``, best first (without ``q``: by name)."""
    ids = index_for(catalogue_revision()).search(
        q=filters.q,
        sector_id=filters.sector.pk if filters.sector else None,
        agency_id=filters.agency.pk if filters.agency else None,
        authority_level=filters.authority_level,
        service_level=filters.service_level,
    )
    return RankedResults(ids)


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

    def __iter__(self):
        for start in range(0, len(self.ids), 100):
            yield from self[start : start + 100]

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
    """The catalogue's current revision token (``CatalogueRevision``); "none" before the first write."""
    # Read for every cached page served: one plain statement, without building an ORM query each time
    # (that took a third of a cache hit's CPU, bench/burst.py).
    table = CatalogueRevision._meta.db_table
    with connections[router.db_for_read(CatalogueRevision)].cursor() as cursor:
        cursor.execute(f"SELECT token FROM {cursor.db.ops.quote_name(table)} WHERE id = %s", [1])  # noqa: S608
        row = cursor.fetchone()
    return row[0] if row else "none"


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


def find_procedure(code: str) -> Procedure | None:
    """An active procedure by its code, or None (for a filter naming it: nothing else is read)."""
    return Procedure.objects.active().filter(code=code).first()


# --- portal pages -----------------------------------------------------------------------------------------


def procedure_list(filters: ProcedureFilters) -> RankedResults:
    """Ranked results with what a result row shows (sector, and methods for the processing time)."""
    return search_procedures(filters)


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


def agency_parents() -> dict[int, int | None]:
    """Every agency (active or not) with its parent's id: the tree statistics roll figures up along."""
    return dict(Agency.objects.values_list("pk", "parent_id"))


def under(tree: dict[int, int | None], root: int) -> set[int]:
    """``root`` and every agency below it in ``tree`` (``agency_parents()``)."""
    children: dict[int | None, list[int]] = {}
    for agency, parent in tree.items():
        children.setdefault(parent, []).append(agency)
    found, todo = set(), [root]
    while todo:
        node = todo.pop()
        if node in found:
            continue  # a cycle in bad data must not loop forever
        found.add(node)
        todo.extend(children.get(node, []))
    return found


def agencies_under(roots) -> set[int]:
    """The agencies ``roots`` (ids) and every agency below them, from one query."""
    tree = agency_parents()
    found: set[int] = set()
    for root in roots:
        found |= under(tree, root)
    return found
