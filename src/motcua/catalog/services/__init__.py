"""Writes to the catalogue, one module per subject; import, the demo data loader and the admin all go through
here, and callers keep ``from motcua.catalog import services``.

- ``records``: a procedure as a record of the national database (``RECORD_FIELDS``), both ways:
  ``procedure_to_record`` and ``clean_record``;
- ``imports``: records written into the catalogue (``import_records``, all or nothing; ``save_procedure``);
- ``online_levels``: the service level a procedure really offers, stored, and an agency's online fees.

Records are validated in full before anything is written; one bad record means nothing is written.
"""

from .imports import ImportRejected, ImportResult, import_records, reindex_procedures, save_procedure
from .online_levels import refresh_online_level, refresh_online_levels, set_accepts_online_payment
from .records import (
    LIST_FIELDS,
    RECORD_FIELDS,
    REQUIRED_FIELDS,
    SCALAR_FIELDS,
    RecordError,
    clean_record,
    export_queryset,
    guess_legal_kind,
    procedure_to_record,
)

__all__ = [
    "LIST_FIELDS",
    "RECORD_FIELDS",
    "REQUIRED_FIELDS",
    "SCALAR_FIELDS",
    "ImportRejected",
    "ImportResult",
    "RecordError",
    "clean_record",
    "export_queryset",
    "guess_legal_kind",
    "import_records",
    "procedure_to_record",
    "refresh_online_level",
    "refresh_online_levels",
    "reindex_procedures",
    "save_procedure",
    "set_accepts_online_payment",
]
