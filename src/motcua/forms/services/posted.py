"""Posted HTML form data <-> the JSON data of a form, and the normalisation of data as it is kept (NFC text,
addresses as codes)."""

import re
import unicodedata

from motcua.core.text import whole_number

from .. import units
from ..models import OnlineForm
from ..schema import Field, build_fields
from .validation import join_path

COUNT = "__count"


def data_from_post(form: OnlineForm, post) -> dict:
    """The JSON data of a form posted by ``rendering.render_form`` (a ``QueryDict`` or a plain dict of lists).

    Names are the error paths (``children.0.full_name``); a repeating group posts its item count as
    ``children.__count``. Empty inputs are left out, so a missing required value says "required"; a number
    that does not parse is kept as typed, so validation says it is not a number.
    """
    return normalise_data(form, _read_object(build_fields(form.schema, form.ui or {}), post, ""))


def normalise_data(form: OnlineForm | None, data):
    """``data`` as it is kept: every text in composed Unicode (NFC), whatever the keyboard sent, and each
    address's province and listed commune as its code when given by name ("Xã Tân Phong"). Anything else is
    left as it is, for validation to report."""
    if not isinstance(data, dict):
        return data
    if form is None:
        return _nfc(data)
    return _normalise(build_fields(form.schema, form.ui or {}), _nfc(data))


def _nfc(value):
    if isinstance(value, str):
        try:
            return unicodedata.normalize("NFC", value)
        except UnicodeError:
            return value
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def _normalise(fields: list[Field], obj: dict) -> dict:
    for f in fields:
        value = obj.get(f.name)
        if f.kind == "address" and isinstance(value, dict):
            province = units.find_province(value.get("province"))
            if province:
                value["province"] = province
                commune = units.find_commune(province, value.get("commune"))
                if commune:
                    value["commune"] = commune
        elif f.kind == "group" and isinstance(value, dict):
            _normalise(f.children, value)
        elif f.kind == "repeat" and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _normalise(f.children, item)
    return obj


def posted_values(post, name) -> list[str]:
    """Every value posted under ``name``, from a ``QueryDict`` or a plain dict (of lists or of values)."""
    if hasattr(post, "getlist"):
        return post.getlist(name)
    value = post.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _read_object(fields: list[Field], post, prefix: str) -> dict:
    out = {}
    for f in fields:
        name = join_path(prefix, f.name)
        value = _read_field(f, post, name)
        if value is not None:
            out[f.name] = value
    return out


def _read_field(f: Field, post, name: str):
    if f.kind == "file":
        return None
    if f.kind in ("group", "address"):
        value = _read_object(f.children, post, name)
        return value if value or f.required else None
    if f.kind == "repeat":
        count = _count(post, name, f)
        return [_read_object(f.children, post, join_path(name, i)) for i in range(count)]
    if f.kind == "multichoice":
        chosen = [v for v in posted_values(post, name) if v != ""]
        return chosen or None
    if f.kind == "boolean":
        values = posted_values(post, name)
        return bool(values and values[-1] in ("on", "true", "1")) if values or f.required else None
    values = posted_values(post, name)
    raw = values[-1].strip() if values else ""
    if raw == "":
        return None
    if f.kind == "number":
        number = raw.replace(" ", "").replace(",", ".")
        try:
            return (
                int(number)
                if f.schema.get("type") == "integer" or re.fullmatch(r"-?\d+", number)
                else float(number)
            )
        except ValueError:
            return raw
    return raw


def _count(post, name: str, f: Field) -> int:
    values = posted_values(post, join_path(name, COUNT))
    count = whole_number(values[-1], digits=3) if values else None
    count = f.schema.get("minItems", 0) if count is None else count
    return min(count, f.schema.get("maxItems", 100), 100)


def post_from_data(form: OnlineForm, data: dict) -> list[tuple[str, str]]:
    """The inverse of ``data_from_post``: ``(name, value)`` pairs (hidden inputs of other steps, tests)."""
    pairs: list[tuple[str, str]] = []
    flatten(build_fields(form.schema, form.ui or {}), data or {}, "", pairs)
    return pairs


def flatten(fields, obj, prefix, pairs) -> None:
    """Append to ``pairs`` the posted ``(name, value)`` of ``obj``'s ``fields``, named under ``prefix``."""
    if not isinstance(obj, dict):
        return
    for f in fields:
        name = join_path(prefix, f.name)
        value = obj.get(f.name)
        if f.kind == "repeat":
            items = value if isinstance(value, list) else []
            pairs.append((join_path(name, COUNT), str(len(items))))
            for i, item in enumerate(items):
                flatten(f.children, item, join_path(name, i), pairs)
        elif f.kind in ("group", "address"):
            flatten(f.children, value, name, pairs)
        elif value is None or f.kind == "file":
            continue
        elif f.kind == "multichoice":
            pairs.extend((name, str(v)) for v in (value if isinstance(value, list) else [value]))
        elif f.kind == "boolean":
            if value is True:
                pairs.append((name, "on"))
        else:
            pairs.append((name, str(value)))
