"""Data prefilled from the applicant's profile: a form's first data, and a group that describes the applicant
filled in from the profile."""

from collections.abc import Mapping
from datetime import date

from .. import units
from ..models import OnlineForm
from ..schema import Field, build_fields, value_at
from .validation import parse_date


def initial_data(form: OnlineForm, profile: Mapping | None) -> dict:
    """Data prefilled from the applicant's profile, following each field's ``prefill`` UI hint.

    Profile keys: full_name, personal_id, birth_date (a date or ISO text), phone, email, address (a dict
    ``{"province", "commune", "detail"}`` or a line of text, which goes to ``detail``).
    """
    if not profile:
        return {}
    return _prefill(build_fields(form.schema, form.ui or {}), profile)


def _prefill(fields, profile) -> dict:
    out = {}
    for f in fields:
        key = f.ui.get("prefill")
        value = profile.get(key) if key else None
        if f.kind == "group":
            sub = _prefill(f.children, profile)
            if sub:
                out[f.name] = sub
        elif f.kind == "address" and value:
            out[f.name] = dict(value) if isinstance(value, Mapping) else units.parse_address(str(value))
        elif f.kind == "text" and isinstance(value, Mapping):  # an address into a one-line field
            out[f.name] = units.address_text(value)
        elif value not in (None, ""):
            out[f.name] = value.isoformat() if isinstance(value, date) else value
        elif "default" in f.schema and not f.conditional:
            # The usual answer ("Kinh", "Việt Nam"), never inside a part that may stay empty.
            out[f.name] = f.schema["default"]
    return out


def _profile_value(key: str, f: Field, profile: Mapping):
    if key == "birth_year":
        birth = profile.get("birth_date")
        birth = parse_date(birth) if isinstance(birth, str) else birth
        return birth.year if isinstance(birth, date) else None
    value = profile.get(key)
    if f.kind == "address" and isinstance(value, str):
        return units.parse_address(value) or None
    if f.kind != "address" and isinstance(value, Mapping):
        return units.address_text(value) or None
    return value.isoformat() if isinstance(value, date) else value


def fill_from_applicant(fields: list[Field], data: dict, profile: Mapping) -> None:
    """A group whose UI hints say ``applicant_when: {"field", "value"}`` describes the applicant when that
    choice holds (the father filing his child's birth): its empty fields with a ``fill`` hint (a profile key,
    or ``birth_year``) take the applicant's values, the others their schema default ("Kinh"). What was typed
    is never overwritten."""
    for f in fields:
        when = f.ui.get("applicant_when")
        if (
            f.kind != "group"
            or not isinstance(when, dict)
            or value_at(data, str(when.get("field"))) != when.get("value")
        ):
            continue
        group = data.get(f.name) if isinstance(data.get(f.name), dict) else {}
        for child in f.children:
            key = child.ui.get("fill")
            if group.get(child.name) not in (None, "", {}):
                continue
            value = _profile_value(key, child, profile) if key else None
            if value in (None, ""):
                value = child.schema.get("default")  # the group is filled in now: its usual answers too
            if value not in (None, ""):
                group[child.name] = value
        if group:
            data[f.name] = group
