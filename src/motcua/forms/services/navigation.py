"""Multi-step navigation of a form: one press of a button (``advance``), the step of a field, and where an
error's field stands on the page (step, label, order)."""

from collections.abc import Mapping
from dataclasses import dataclass, field

from motcua.core.text import whole_number

from .. import units
from ..models import OnlineForm
from ..schema import Field, build_fields, steps
from .posted import data_from_post, posted_values
from .prefill import fill_from_applicant
from .validation import NON_FIELD, validate_submission


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
        step = min(max(int(posted_values(post, "_step")[-1]), 0), step_count - 1)
    except (IndexError, ValueError):
        step = 0
    action = (posted_values(post, "_action") or ["next"])[-1]
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
