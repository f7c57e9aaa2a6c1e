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
SUGGESTIONS_FILE = Path(__file__).resolve().parent / "data" / "suggestions.json"


@cache
def provinces() -> list[dict]:
    """``[{"code", "name", "communes": [{"code", "name"}]}]``, the demo province first."""
    with DATA_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["provinces"]


@cache
def suggestions() -> dict[str, list[str]]:
    """Lists a text field may offer (UI hint ``suggest``): ``ethnic_groups`` (the 54), ``nationalities``."""
    with SUGGESTIONS_FILE.open(encoding="utf-8") as fh:
        return {k: v for k, v in json.load(fh).items() if not k.startswith("_")}


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


def address_text(value) -> str:
    """An address value as one line: detail, commune, province (names, not codes)."""
    if not isinstance(value, dict):
        return str(value or "")
    code = value.get("province") or ""
    found = province(code) if isinstance(code, str) else None
    commune = commune_name(code, value.get("commune") or "") if found else None
    parts = [value.get("detail"), commune or value.get("commune"), found["name"] if found else None]
    return ", ".join(str(p) for p in parts if p)


COMMUNE_KINDS = ("phường", "xã", "thị trấn", "đặc khu")


def parse_address(text: str) -> dict:
    """An address written on one line ("Số 12 đường Lê Lợi, phường Hải An, tỉnh Hải Đông") as
    ``{"province", "commune", "detail"}``: the province is the last part when it names one, the commune the
    part before it when it is listed (or, for a province whose communes are not listed, reads as a commune);
    the rest is the detail. A line whose ending names no province is all detail, unless its last part is a
    listed commune. Empty parts are left out."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    out: dict[str, str] = {}
    code = find_province(parts[-1]) if parts else None
    if code:
        out["province"] = code
        parts.pop()
        if parts:
            commune = find_commune(code, parts[-1])
            if commune or (not communes(code) and name_key(parts[-1]).startswith(COMMUNE_KINDS)):
                out["commune"] = commune or parts.pop()
                if commune:
                    parts.pop()
    elif parts:
        for item in provinces():
            commune = find_commune(item["code"], parts[-1]) if item["communes"] else None
            if commune and name_key(parts[-1]).startswith(COMMUNE_KINDS):
                out.update(province=item["code"], commune=commune)
                parts.pop()
                break
    if parts:
        out["detail"] = ", ".join(parts)
    return out
