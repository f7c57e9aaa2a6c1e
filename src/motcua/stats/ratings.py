"""How statistics read satisfaction ratings (``engagement``): one rating per dossier, by criterion.

The Decision's satisfaction indicator counts the applicants satisfied (``engagement``'s ``SATISFIED_FROM``)
among those who rated; the criteria are averaged on the pages.
"""

from django.db.models import Q

from motcua.engagement.models import CRITERION_FIELDS, SATISFIED_FROM

# The daily fact's measure that adds up each criterion (the rating's columns: ``CRITERION_FIELDS``).
CRITERIA_SUMS = {str(criterion): f"{criterion}_sum" for criterion in CRITERION_FIELDS}
COLUMNS = CRITERION_FIELDS
FIELDS = ("rating__rated_at", "rating__overall", *(f"rating__{column}" for column in COLUMNS.values()))


def annotations() -> dict:
    return {}  # the reverse one-to-one is read through ``FIELDS`` (a LEFT JOIN), nothing to annotate


def is_satisfied(overall: int) -> bool:
    return overall >= SATISFIED_FROM


def satisfied_filter(field: str) -> Q:
    """The condition "satisfied" on a rating's overall score ``field``, for a database count."""
    return Q(**{f"{field}__gte": SATISFIED_FROM})


def from_row(row: dict):
    """(rated_at, overall, {criterion: score}) of a ``ledger_rows`` values row; (None, None, {}) unrated."""
    overall = row["rating__overall"]
    if overall is None:
        return None, None, {}
    criteria = {str(criterion): row[f"rating__{column}"] for criterion, column in COLUMNS.items()}
    return row["rating__rated_at"], overall, criteria
