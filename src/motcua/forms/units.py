"""Administrative units for address fields: provinces since 1 July 2025 and the demo province's communes.

The list is a small fixture (``data/administrative_units.json``), not database rows: a submitted address keeps
meaning the same thing whatever happens to the catalogue later. Communes are listed only for the demo
province; elsewhere the commune is typed in.

A province or commune may be given by its code or by its name as people write it: composed or decomposed
Unicode (NFC/NFD, as phones and macOS send it), any case and spacing, with or without its kind ("Xã",
"Phường", "Tỉnh"), and without marks when that names one unit only. ``find_province`` and ``find_commune``
answer the code, so stored data always holds codes.
"""

import json
import unicodedata
from functools import cache
from pathlib import Path

from motcua.core.text import fold

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


KINDS = ("thành phố", "tỉnh", "đặc khu", "phường", "thị trấn", "xã")


def name_key(text: str) -> str:
    """A unit's name as compared: NFC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _without_kind(key: str) -> str:
    for kind in KINDS:
        if key.startswith(kind + " "):
            return key[len(kind) + 1 :]
    return key


def _find(items: list[dict], text) -> str | None:
    """The code of the item whose code or name ``text`` is; None when none or several match."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip()
    for item in items:
        if item["code"] == text:
            return text
    key = name_key(text)
    for keyed in (lambda name: name_key(name), lambda name: _without_kind(name_key(name))):
        found = [item["code"] for item in items if keyed(item["name"]) in (key, _without_kind(key))]
        if len(found) == 1:
            return found[0]
    folded = fold(text)
    found = [
        i["code"] for i in items if folded in (fold(i["name"]), fold(_without_kind(name_key(i["name"]))))
    ]
    return found[0] if len(found) == 1 else None


def find_province(text) -> str | None:
    """The code of the province named or coded ``text``."""
    return _find(provinces(), text)


def find_commune(province_code, text) -> str | None:
    """The code of the listed commune of ``province_code`` named or coded ``text``."""
    return _find(communes(province_code), text) if isinstance(province_code, str) else None
