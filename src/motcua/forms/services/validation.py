"""The one server-side validation of online form data against the form's schema, with messages a citizen
understands.

Error keys are field paths: property names joined by dots, array items by their 0-based index, e.g.
``child.full_name``, ``children.1.full_name``, ``address.commune``; a file field's key is its property name;
a problem with the whole submission (not an object) is under ``non_field_errors``. Messages are in the active
language (Vietnamese by default), never jsonschema's own English.
"""

import re
import unicodedata
from collections.abc import Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from jsonschema import Draft202012Validator, FormatChecker

from motcua.core.identity import validate_personal_id, validate_phone, validate_tax_code

from .. import units
from ..models import OnlineForm
from ..schema import Field, build_fields, data_schema, file_fields, localized, representation, value_at

NON_FIELD = "non_field_errors"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def join_path(*parts) -> str:
    """The error path of ``parts`` (``children``, 1, ``full_name`` → ``children.1.full_name``)."""
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
                    errors.add(join_path(*path, name), _("Fill in this field."))
            continue
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set(error.schema.get("properties", {}))
            for name in error.instance:
                if name not in allowed:
                    errors.add(join_path(*path, name), _("This form has no such field."))
            continue
        errors.add(join_path(*path), _message(error, hints_by_path.get(_ui_path(path), {})))
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
        path = join_path(prefix, f.name)
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
            if join_path(prefix, linked) in errors:
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
                errors.add(join_path(path, "province"), _("Choose a province or city from the list."))
            elif code and units.communes(code):
                commune = value.get("commune")
                if isinstance(commune, str) and commune and not units.find_commune(code, commune):
                    errors.add(
                        join_path(path, "commune"), _("Choose a commune or ward of the chosen province.")
                    )
        elif f.kind == "group" and isinstance(value, dict):
            _check_typed(f.children, value, path, errors)
        elif f.kind == "repeat" and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    _check_typed(f.children, item, join_path(path, i), errors)


def _same(a, b) -> bool:
    def key(value) -> str:
        text = value.isoformat() if isinstance(value, date) else str(value)
        return " ".join(unicodedata.normalize("NFC", text).split())

    return key(a) == key(b)


def _check_locked(fields, obj, prefix, applicant: Mapping, errors: Errors) -> None:
    """The account holder's identity (and any other locked field) is the profile's: another value is
    refused, through the portal and the API alike (the portal shows these inputs read-only)."""
    for f in fields:
        path = join_path(prefix, f.name)
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
