"""Small builders of catalogue objects for tests: each returns a saved object with sensible defaults."""

from itertools import count

from motcua.catalog import services
from motcua.catalog.models import Agency, AuthorityLevel, Sector

_seq = count(1)


def make_agency(**fields) -> Agency:
    n = next(_seq)
    values = {
        "code": f"000.00.{n:02d}.H99",
        "slug": f"agency-{n}",
        "name": f"Cơ quan {n}",
        "level": AuthorityLevel.PROVINCE,
    }
    values.update(fields)
    return Agency.objects.create(**values)


def make_sector(**fields) -> Sector:
    n = next(_seq)
    values = {"code": f"SECTOR{n}", "slug": f"sector-{n}", "name": f"Lĩnh vực {n}"}
    values.update(fields)
    return Sector.objects.create(**values)


def make_procedure(**record):
    """A procedure built through the same record import as real data; ``record`` overrides the defaults.

    ``online_level`` is the declared level; the stored one is derived (``catalog.levels``), and the
    defaults follow the declared one: below 3 (without ``methods``) an in-person method only; exactly 3
    (without ``fees``) a fee of 10.000 đ that no agency takes online, so that it cannot be paid online."""
    n = next(_seq)
    sector = record.pop("sector", None) or make_sector()
    agencies = record.pop("agencies", [])
    values = {
        "code": f"9.{n:06d}",
        "name": f"Thủ tục thử nghiệm {n}",
        "authority_level": AuthorityLevel.COMMUNE,
        "sector": sector.code,
        "agencies": [a.code for a in agencies],
        "online_level": 3,
        "methods": [{"channel": "online", "processing_time": "3", "time_unit": "working_day"}],
    }
    if record.get("online_level", 3) < 3 and "methods" not in record:
        values["methods"] = [{"channel": "in_person", "processing_time": "3", "time_unit": "working_day"}]
    if record.get("online_level", 3) == 3 and "fees" not in record:
        values["fees"] = [{"name": "Lệ phí thử nghiệm", "amount": 10000}]
    values.update(record)
    services.import_records([values])
    from motcua.catalog.models import Procedure

    return Procedure.objects.get(code=values["code"])


def found_by(query: str) -> list[str]:
    """Codes of the procedures a search for ``query`` finds, best first."""
    from motcua.catalog.selectors import ProcedureFilters, search_procedures

    return [p.code for p in search_procedures(ProcedureFilters(q=query))]
