"""Writes and the one server-side validation of online forms.

Error keys are field paths: property names joined by dots, array items by their 0-based index, e.g.
``child.full_name``, ``children.1.full_name``, ``address.commune``; a file field's key is its property name;
a problem with the whole submission (not an object) is under ``non_field_errors``. Messages are in the active
language (Vietnamese by default), never jsonschema's own English.
"""

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import Draft202012Validator, FormatChecker

from motcua.catalog.models import Procedure
from motcua.core.identity import validate_personal_id, validate_phone, validate_tax_code
from motcua.core.text import whole_number

from . import generic, units
from .models import FormKind, FormLocked, FormStatus, OnlineForm
from .schema import (
    Field,
    build_fields,
    check_definition,
    data_schema,
    file_fields,
    localized,
    representation,
    steps,
    value_at,
)

NON_FIELD = "non_field_errors"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DefinitionError(Exception):
    """The form's schema or UI hints are not sound; ``problems`` is ``{"schema": [...], "ui": [...]}``."""

    def __init__(self, problems: dict[str, list[str]]):
        self.problems = problems
        super().__init__("; ".join(m for messages in problems.values() for m in messages))


# --- typed string fields ---------------------------------------------------------------------------------


def parse_date(value) -> date | None:
    if isinstance(value, str) and _DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _date_message(value) -> str | None:
    return None if parse_date(value) else _("Enter a date as day, month and year, e.g. 2025-07-01.")


def _email_message(value) -> str | None:
    try:
        validate_email(value)
    except ValidationError:
        return _("Enter an e-mail address such as ten@example.com.")
    return None


def _identity_message(check):
    def message(value) -> str | None:
        try:
            check(value)
        except ValidationError as exc:
            return " ".join(exc.messages)
        return None

    return message


FORMAT_MESSAGES = {
    "date": _date_message,
    "email": _email_message,
    "personal-id": _identity_message(validate_personal_id),
    "tax-code": _identity_message(validate_tax_code),
    "phone": _identity_message(validate_phone),
}

FORMAT_CHECKER = FormatChecker(formats=())
for _name, _message in FORMAT_MESSAGES.items():
    FORMAT_CHECKER.checks(_name)(lambda value, _m=_message: not isinstance(value, str) or _m(value) is None)


# --- messages for jsonschema's error kinds -----------------------------------------------------------------


def _type_message(expected) -> str:
    expected = expected if isinstance(expected, list) else [expected]
    if "integer" in expected:
        return _("Enter a whole number.")
    if "number" in expected:
        return _("Enter a number, e.g. 12 or 12.5.")
    if "string" in expected:
        return _("Enter text.")
    if "boolean" in expected:
        return _("Tick the box or leave it empty.")
    return _("This value does not have the expected form.")


def _message(error, hints: dict) -> str:
    kind, limit = error.validator, error.validator_value
    if kind == "type":
        return _type_message(limit)
    if kind == "minLength":
        return ngettext(
            "Enter at least %(count)d character.", "Enter at least %(count)d characters.", limit
        ) % {"count": limit}
    if kind == "maxLength":
        return ngettext(
            "Enter at most %(count)d character.", "Enter at most %(count)d characters.", limit
        ) % {"count": limit}
    if kind == "pattern":
        return localized(hints.get("pattern_message")) or _("This value is not in the expected form.")
    if kind in ("enum", "const") and isinstance(error.instance, bool):
        return _("Tick this box to continue.")
    if kind in ("enum", "const"):
        return _("Choose one of the options offered.")
    if kind in ("minimum", "exclusiveMinimum"):
        if kind == "exclusiveMinimum":
            return _("Enter a number greater than %(limit)s.") % {"limit": limit}
        return _("Enter a number of at least %(limit)s.") % {"limit": limit}
    if kind in ("maximum", "exclusiveMaximum"):
        if kind == "exclusiveMaximum":
            return _("Enter a number less than %(limit)s.") % {"limit": limit}
        return _("Enter a number of at most %(limit)s.") % {"limit": limit}
    if kind == "minItems":
        return ngettext("Give at least %(count)d entry.", "Give at least %(count)d entries.", limit) % {
            "count": limit
        }
    if kind == "maxItems":
        return ngettext("Give at most %(count)d entry.", "Give at most %(count)d entries.", limit) % {
            "count": limit
        }
    if kind == "uniqueItems":
        return _("Each option can be chosen only once.")
    if kind == "format":
        return FORMAT_MESSAGES[limit](error.instance) or _("This value is not valid.")
    if kind == "additionalProperties":
        return _("This form has no such field.")
    return _("This value is not valid.")


def _join(*parts) -> str:
    return ".".join(str(p) for p in parts if p != "")


def _ui_path(path) -> str:
    return ".".join("*" if isinstance(p, int) else str(p) for p in path)


# --- validation ------------------------------------------------------------------------------------------


class Errors(dict):
    def add(self, path: str, message: str) -> None:
        messages = self.setdefault(path or NON_FIELD, [])
        if message not in messages:
            messages.append(message)


def validate_submission(
    form: OnlineForm,
    data,
    *,
    files_present: set[int] | None = None,
    applicant: Mapping | None = None,
) -> dict[str, list[str]]:
    """Every problem of ``data`` against ``form``, as ``{path: [message, …]}`` (empty when valid).

    ``files_present``: ids of the procedure's dossier components that have a file; when None, files are not
    checked (a client checking the form before uploading). ``applicant``: the applicant's profile (keys as
    in ``initial_data``); a locked field (the account holder's identity, or ``locked`` in its UI hints) must
    keep the profile's value. Choosing the form's "authorised person" (``representation``) requires its paper.
    """
    errors = Errors()
    ui = form.ui or {}
    hints_by_path = ui.get("fields", {})
    validator = Draft202012Validator(data_schema(form.schema), format_checker=FORMAT_CHECKER)
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        path = list(error.absolute_path)
        if error.validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    errors.add(_join(*path, name), _("Fill in this field."))
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    errors.add(_join(*path, name), _("This form has no such field."))
            continue
        errors.add(_join(*path), _message(error, hints_by_path.get(_ui_path(path), {})))
    if isinstance(data, dict):
        fields = build_fields(form.schema, ui)
        _check_typed(fields, data, "", errors)
        if applicant:
            _check_locked(fields, data, "", applicant, errors)
        if files_present is not None:
            _check_files(form, data, set(files_present), errors)
    return dict(errors)


def _check_typed(fields: list[Field], obj: dict, prefix: str, errors: Errors) -> None:
    """What JSON Schema cannot say: dates not in the future, ID against birth date, address lists."""
    for f in fields:
        path = _join(prefix, f.name)
        value = obj.get(f.name)
        if value is None:
            continue
        if f.kind == "date" and f.ui.get("not_future") and path not in errors:
            day = parse_date(value)
            if day and day > timezone.localdate():
                errors.add(path, _("This date cannot be in the future."))
        elif f.kind == "personal_id" and f.schema.get("x-birth-date") and path not in errors:
            linked = f.schema["x-birth-date"]
            birth = obj.get(linked)
            if _join(prefix, linked) in errors:
                continue
            birth_day = parse_date(birth) if isinstance(birth, str) else None
            if isinstance(birth, int) and not isinstance(birth, bool) and 1800 <= birth <= 2299:
                birth_day = date(birth, 1, 1)
            if birth_day is not None:
                try:
                    validate_personal_id(value, birth_day)
                except ValidationError as exc:
                    errors.add(path, " ".join(exc.messages))
        elif f.kind == "address" and isinstance(value, dict):
            province = value.get("province")
            code = units.find_province(province)
            if isinstance(province, str) and province and code is None:
                errors.add(_join(path, "province"), _("Choose a province or city from the list."))
            elif code and units.communes(code):
                commune = value.get("commune")
                if isinstance(commune, str) and commune and not units.find_commune(code, commune):
                    errors.add(_join(path, "commune"), _("Choose a commune or ward of the chosen province."))
        elif f.kind == "group" and isinstance(value, dict):
            _check_typed(f.children, value, path, errors)
        elif f.kind == "repeat" and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _check_typed(f.children, item, _join(path, i), errors)


def _same(a, b) -> bool:
    def key(value) -> str:
        text = value.isoformat() if isinstance(value, date) else str(value)
        return " ".join(unicodedata.normalize("NFC", text).split())

    return key(a) == key(b)


def _check_locked(fields, obj, prefix, applicant: Mapping, errors: Errors) -> None:
    """The account holder's identity (and any other locked field) is the profile's: another value is
    refused, through the portal and the API alike (the portal shows these inputs read-only)."""
    for f in fields:
        path = _join(prefix, f.name)
        if f.kind == "group" and isinstance(obj.get(f.name), dict):
            _check_locked(f.children, obj[f.name], path, applicant, errors)
        key = f.ui.get("prefill")
        locked = f.locked and key and applicant.get(key) not in (None, "")
        if locked and f.name in obj and not _same(obj[f.name], applicant[key]):
            errors.add(path, _("This comes from your verified identity and cannot be changed here."))


def _check_representation(form: OnlineForm, data: dict, present_orders: set[int], errors: Errors) -> None:
    hint = representation(form.ui or {})
    if not hint or value_at(data, hint["field"]) != hint["value"]:
        return
    paper = (form.schema.get("properties") or {}).get(hint["paper"]) or {}
    if paper.get("x-component") not in present_orders:
        errors.add(
            hint["paper"],
            _("Attach the authorisation paper: you are filing as an authorised person."),
        )


def _check_files(form: OnlineForm, data: dict, present_ids: set[int], errors: Errors) -> None:
    orders = dict(form.procedure.components.values_list("id", "order"))
    present = {orders[i] for i in present_ids if i in orders}
    required = set(form.schema.get("required") or [])
    for name, sub in file_fields(form.schema).items():
        if name in required and sub["x-component"] not in present:
            errors.add(name, _("Attach this paper."))
    _check_representation(form, data, present, errors)


def check_submission(form: OnlineForm, data, **kwargs) -> None:
    """``validate_submission`` that raises ``ValidationError`` with the ``{path: [messages]}`` dict."""
    errors = validate_submission(form, data, **kwargs)
    if errors:
        raise ValidationError(errors)


# --- posted HTML form data <-> JSON data -------------------------------------------------------------------

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


def _values(post, name) -> list[str]:
    if hasattr(post, "getlist"):
        return post.getlist(name)
    value = post.get(name)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _read_object(fields: list[Field], post, prefix: str) -> dict:
    out = {}
    for f in fields:
        name = _join(prefix, f.name)
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
        return [_read_object(f.children, post, _join(name, i)) for i in range(count)]
    if f.kind == "multichoice":
        chosen = [v for v in _values(post, name) if v != ""]
        return chosen or None
    if f.kind == "boolean":
        values = _values(post, name)
        return bool(values and values[-1] in ("on", "true", "1")) if values or f.required else None
    values = _values(post, name)
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
    values = _values(post, _join(name, COUNT))
    count = whole_number(values[-1], digits=3) if values else None
    count = f.schema.get("minItems", 0) if count is None else count
    return min(count, f.schema.get("maxItems", 100), 100)


def post_from_data(form: OnlineForm, data: dict) -> list[tuple[str, str]]:
    """The inverse of ``data_from_post``: ``(name, value)`` pairs (hidden inputs of other steps, tests)."""
    pairs: list[tuple[str, str]] = []
    _flatten(build_fields(form.schema, form.ui or {}), data or {}, "", pairs)
    return pairs


def _flatten(fields, obj, prefix, pairs) -> None:
    if not isinstance(obj, dict):
        return
    for f in fields:
        name = _join(prefix, f.name)
        value = obj.get(f.name)
        if f.kind == "repeat":
            items = value if isinstance(value, list) else []
            pairs.append((_join(name, COUNT), str(len(items))))
            for i, item in enumerate(items):
                _flatten(f.children, item, _join(name, i), pairs)
        elif f.kind in ("group", "address"):
            _flatten(f.children, value, name, pairs)
        elif value is None or f.kind == "file":
            continue
        elif f.kind == "multichoice":
            pairs.extend((name, str(v)) for v in (value if isinstance(value, list) else [value]))
        elif f.kind == "boolean":
            if value is True:
                pairs.append((name, "on"))
        else:
            pairs.append((name, str(value)))


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


# --- multi-step navigation -------------------------------------------------------------------------------


@dataclass
class FormState:
    """Where a citizen is in a form: the data so far, the step shown, its errors, and whether it is done."""

    data: dict
    step: int = 0
    errors: dict[str, list[str]] = field(default_factory=dict)
    complete: bool = False
    saved: bool = False
    files_present: set[int] = field(default_factory=set)


def step_of(form: OnlineForm, path: str) -> int:
    top = path.split(".", 1)[0]
    for i, step in enumerate(steps(form.ui or {}, build_fields(form.schema, form.ui or {}))):
        if any(f.name == top for f in step["fields"]):
            return i
    return 0


def step_count(form: OnlineForm) -> int:
    return len(steps(form.ui or {}, build_fields(form.schema, form.ui or {})))


@dataclass(frozen=True)
class Place:
    """Where the field of an error path stands in the form: its step, its label, and a key that sorts
    paths in the order the page shows them (problems with the whole form first)."""

    step: int
    label: str
    order: tuple


def locate(form: OnlineForm, path: str) -> Place:
    all_steps = steps(form.ui or {}, build_fields(form.schema, form.ui or {}))
    return _locate(all_steps, path)


def page_order(form: OnlineForm, errors: Mapping) -> list[tuple[str, list[str]]]:
    """``errors``' items in the order of the page: step by step, field by field, items by index."""
    all_steps = steps(form.ui or {}, build_fields(form.schema, form.ui or {}))
    return sorted(errors.items(), key=lambda item: _locate(all_steps, item[0]).order)


def _locate(all_steps: list[dict], path: str) -> Place:
    if path == NON_FIELD:
        return Place(step=0, label="", order=(-1,))
    parts = path.split(".")
    for number, step in enumerate(all_steps):
        fields, order, label = step["fields"], [number], ""
        for depth, part in enumerate(parts):
            if part.isascii() and part.isdigit() and depth:  # an item of a repeating group
                order.append(int(part))
                continue
            index = next((i for i, f in enumerate(fields) if f.name == part), None)
            if index is None:
                if depth == 0:
                    break
                order.append(len(fields))
                return Place(step=number, label=label, order=tuple(order))
            order.append(index)
            label, fields = fields[index].label, fields[index].children
        else:
            return Place(step=number, label=label, order=tuple(order))
    return Place(step=0, label="", order=(len(all_steps),))


def advance(form: OnlineForm, post, *, files_present=None, applicant=None) -> FormState:
    """Apply one press of a submit button of a rendered form (``_action`` in the POST).

    ``next`` validates the current step and moves on only when it is clean; ``back`` moves back without
    validating; ``save`` stays on the step without validating (the caller keeps a draft); ``submit``
    validates everything and shows the first step with errors; ``add:<path>`` and
    ``remove:<path>.<index>`` change a repeating group; ``refresh:<path>`` reloads an address's commune list;
    ``goto:<step>`` shows another step without checking this one (the step indicator's links).
    The data of every step travels in the POST (other steps as hidden inputs), so nothing is stored.
    """
    fields = build_fields(form.schema, form.ui or {})
    step_count = len(steps(form.ui or {}, fields))
    data = data_from_post(form, post)
    present = set(files_present or ())
    try:
        step = min(max(int(_values(post, "_step")[-1]), 0), step_count - 1)
    except (IndexError, ValueError):
        step = 0
    action = (_values(post, "_action") or ["next"])[-1]
    state = FormState(data=data, step=step, files_present=present)
    check_files = present if files_present is not None else None
    if applicant:
        fill_from_applicant(fields, data, applicant)

    if action.startswith("add:"):
        _change_group(fields, data, action[4:], add=True)
    elif action.startswith("remove:"):
        _change_group(fields, data, action[7:], add=False)
    elif action.startswith("refresh:"):
        _refresh_address(data, action[8:])
    elif action == "back":
        state.step = max(step - 1, 0)
    elif action.startswith("goto:"):
        target = whole_number(action[5:], digits=3)
        state.step = step if target is None else min(target, step_count - 1)
    elif action == "save":
        state.saved = True
    elif action == "submit" or (action == "next" and step == step_count - 1):
        errors = validate_submission(form, data, files_present=check_files, applicant=applicant)
        if errors:
            state.step = min(step_of(form, p) for p in errors)
            state.errors = {p: m for p, m in errors.items() if step_of(form, p) == state.step}
        else:
            state.complete = True
    else:  # next
        errors = validate_submission(form, data, files_present=check_files, applicant=applicant)
        state.errors = {p: m for p, m in errors.items() if step_of(form, p) == step or p == NON_FIELD}
        if not state.errors:
            state.step = step + 1
    return state


def _container(data, parts: list[str]):
    """The dict or list that holds the last part of a posted path such as ``household.members.1``."""
    node = data
    for part in parts[:-1]:
        node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
    return node, parts[-1]


def _field_at(fields: list[Field], parts: list[str]) -> Field | None:
    current = None
    for part in parts:
        if whole_number(part) is not None:  # an item of a list
            continue
        current = next((f for f in fields if f.name == part), None)
        if current is None:
            return None
        fields = current.children
    return current


def _change_group(fields, data, path: str, add: bool) -> None:
    parts = path.split(".")
    try:
        if add:
            f = _field_at(fields, parts)
            if f is None or f.kind != "repeat":
                return
            parent, name = _container(data, parts)
            items = parent.setdefault(name, [])
            if len(items) < f.schema.get("maxItems", 100):
                items.append({})
        else:
            f = _field_at(fields, parts[:-1])
            if f is None or f.kind != "repeat":
                return
            parent, index = _container(data, parts)
            if isinstance(parent, list) and len(parent) > f.schema.get("minItems", 0):
                del parent[int(index)]
    except (IndexError, KeyError, ValueError, TypeError, AttributeError):
        return  # a stale or forged button press changes nothing


def _refresh_address(data, path: str) -> None:
    node = data
    try:
        for part in path.split("."):
            node = node[int(part)] if isinstance(node, list) else node[part]
    except (IndexError, KeyError, ValueError, TypeError):
        return
    if isinstance(node, dict) and node.get("commune"):
        province = node.get("province", "")
        if units.communes(province) and not units.find_commune(province, node["commune"]):
            del node["commune"]


# --- writes ----------------------------------------------------------------------------------------------


def component_orders(procedure) -> set[int]:
    return set(procedure.components.values_list("order", flat=True))


def definition_problems(form: OnlineForm) -> dict[str, list[str]]:
    return check_definition(form.schema, form.ui or {}, component_orders(form.procedure))


@transaction.atomic
def save_draft(form: OnlineForm) -> OnlineForm:
    """Create or change a draft version; the definition must be sound."""
    if not form.is_editable:
        raise FormLocked(_("A published form cannot change: create a new version."))
    problems = definition_problems(form)
    if any(problems.values()):
        raise DefinitionError(problems)
    form.save()
    return form


@transaction.atomic
def new_version(form: OnlineForm) -> OnlineForm:
    """A new draft copied from ``form``, numbered after the procedure's highest version."""
    last = OnlineForm.objects.filter(procedure=form.procedure).order_by("-version").first()
    return OnlineForm.objects.create(
        procedure=form.procedure,
        version=(last.version if last else 0) + 1,
        schema=form.schema,
        ui=form.ui,
    )


@transaction.atomic
def publish(form: OnlineForm) -> OnlineForm:
    """Publish a draft and retire the procedure's previous published version, atomically."""
    # The procedure row serialises concurrent publishing; the partial unique index is the last guard.
    type(form.procedure).objects.select_for_update().get(pk=form.procedure_id)
    form.refresh_from_db()
    if form.status != FormStatus.DRAFT:
        raise FormLocked(_("Only a draft can be published."))
    problems = definition_problems(form)
    if any(problems.values()):
        raise DefinitionError(problems)
    now = timezone.now()
    OnlineForm.objects.filter(procedure_id=form.procedure_id, status=FormStatus.PUBLISHED).update(
        status=FormStatus.RETIRED, updated_at=now
    )
    form.status = FormStatus.PUBLISHED
    form.published_at = now
    form.save(update_fields=["status", "published_at", "updated_at"])
    return form


# --- the form a procedure is filled in with --------------------------------------------------------------


def form_for(procedure) -> OnlineForm:
    """The form ``procedure`` is filled in with now: its published form written for it, else its generic
    form (``generic``), published on first use and again, as a new version, whenever what it is built from
    (the dossier components) changed. Raises ``OnlineForm.DoesNotExist`` when the procedure does not offer
    online submission (``Procedure.accepts_online_submission``)."""
    if not procedure.accepts_online_submission:
        raise OnlineForm.DoesNotExist(f"Procedure {procedure.code} does not offer online submission.")
    current = OnlineForm.objects.filter(procedure=procedure, status=FormStatus.PUBLISHED).first()
    if current is not None and current.kind == FormKind.BESPOKE:
        return current
    schema, ui = generic.build(procedure)
    digest = generic.fingerprint(schema, ui)
    if current is not None and current.fingerprint == digest:
        return current
    try:
        return _publish_generic(procedure, schema, ui, digest)
    except IntegrityError:
        # Another process published this very version between our read and our write (SQLite, or a
        # database without row locks): it is the one to use.
        return OnlineForm.objects.get(procedure=procedure, status=FormStatus.PUBLISHED)


@transaction.atomic
def _publish_generic(procedure, schema: dict, ui: dict, digest: str) -> OnlineForm:
    # The procedure's row serialises first uses: two first drafts at once publish one version.
    type(procedure).objects.select_for_update().get(pk=procedure.pk)
    current = OnlineForm.objects.filter(procedure=procedure, status=FormStatus.PUBLISHED).first()
    if current is not None and (current.kind == FormKind.BESPOKE or current.fingerprint == digest):
        return current
    last = OnlineForm.objects.filter(procedure=procedure).order_by("-version").first()
    form = OnlineForm.objects.create(
        procedure=procedure,
        version=(last.version if last else 0) + 1,
        schema=schema,
        ui=ui,
        kind=FormKind.GENERIC,
        fingerprint=digest,
    )
    return publish(form)


def publish_generic_forms(procedures=None) -> list[OnlineForm]:
    """``form_for`` each procedure offering online submission (all of them by default) that has no form
    written for it: the generic forms after a catalogue import, published now rather than on first use.
    Idempotent; returns the generic forms published now or before."""
    if procedures is None:
        procedures = Procedure.objects.offering_online_submission()
    forms = []
    for procedure in procedures:
        if procedure.accepts_online_submission:
            form = form_for(procedure)
            if form.kind == FormKind.GENERIC:
                forms.append(form)
    return forms
