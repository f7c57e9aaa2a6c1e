"""A scope chosen by what people type (an agency's code or slug, a sector's, a procedure's code), checked:
the page and the API read their query through here."""

from django.utils.translation import gettext as _

from motcua.catalog import selectors as catalog
from motcua.catalog.models import Procedure

from .scope import Scope


class ScopeError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def scope_from(agency: str | None = None, sector: str | None = None, procedure: str | None = None) -> Scope:
    scope = Scope()
    if agency:
        found = catalog.find_agency(agency.strip())
        if found is None:
            raise ScopeError("agency", _("No agency has this code."))
        scope.agency_id = found.pk
    if sector:
        found = catalog.find_sector(sector.strip())
        if found is None:
            raise ScopeError("sector", _("No sector has this code."))
        scope.sector_id = found.pk
    if procedure:
        found = Procedure.objects.filter(code=procedure.strip()).first()
        if found is None:
            raise ScopeError("procedure", _("No procedure has this code."))
        scope.procedure_id = found.pk
    return scope
