"""Administrative units for address fields: provinces since 1 July 2025 and the demo province's communes.

The list is a small fixture (``data/administrative_units.json``), not database rows: a submitted address keeps
meaning the same thing whatever happens to the catalogue later. Communes are listed only for the demo
province; elsewhere the commune is typed in.
"""

import json
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "administrative_units.json"


@cache
def provinces() -> list[dict]:
    """``[{"code", "name", "communes": [{"code", "name"}]}]``, the demo province first."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["provinces"]


@cache
def _by_code() -> dict[str, dict]:
    return {p["code"]: p for p in provinces()}


def province(code: str) -> dict | None:
    return _by_code().get(str(code))


def communes(province_code: str) -> list[dict]:
    found = province(province_code)
    return found["communes"] if found else []


def commune_name(province_code: str, commune_code: str) -> str | None:
    for item in communes(province_code):
        if item["code"] == commune_code:
            return item["name"]
    return None
