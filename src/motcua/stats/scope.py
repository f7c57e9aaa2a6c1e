"""What a figure is about: the whole province, or one agency with every agency under it (rolled up along the
agency tree as it stands today), a sector, a procedure; and how figures are grouped."""

from dataclasses import dataclass, field

from motcua.catalog import selectors as catalog
from motcua.catalog.selectors import under

__all__ = ["GROUPS", "Scope", "under"]

GROUPS = ("agency", "sector", "procedure", "month", "channel")


@dataclass
class Scope:
    agency_id: int | None = None
    sector_id: int | None = None
    procedure_id: int | None = None
    _tree: dict = field(default_factory=dict, repr=False)

    def tree(self) -> dict[int, int | None]:
        if not self._tree:
            self._tree.update(catalog.agency_parents())
        return self._tree

    def agency_ids(self) -> list[int] | None:
        """The agency and all agencies under it; None for the whole province."""
        if self.agency_id is None:
            return None
        return sorted(under(self.tree(), self.agency_id))

    def filters(self, agency="agency_id", procedure="procedure_id", sector="procedure__sector_id") -> dict:
        """Keyword filters for a queryset with those fields (a fact, a ledger row, a procedure)."""
        narrowed = {}
        ids = self.agency_ids()
        if ids is not None:
            narrowed[f"{agency}__in"] = ids
        if self.sector_id is not None:
            narrowed[sector] = self.sector_id
        if self.procedure_id is not None:
            narrowed[procedure] = self.procedure_id
        return narrowed

    def group_of(self) -> dict[int, int]:
        """For ``group_by=agency``: each agency's id -> the agency its figures roll up into: the children of
        the scope's agency (of each top agency for the province), each with everything under it; the agency
        itself keeps what it received directly."""
        tree = self.tree()
        tops = (
            [self.agency_id] if self.agency_id else [a for a, p in tree.items() if p is None or p not in tree]
        )
        mapping = {}
        for top in tops:
            mapping[top] = top
            for head in (a for a, parent in tree.items() if parent == top and a != top):
                for agency in under(tree, head):
                    mapping[agency] = head
        return mapping
