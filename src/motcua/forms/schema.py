"""Reading a form definition (JSON Schema + UI hints) as a tree of typed fields, and checking a definition.

Conventions on top of JSON Schema 2020-12 (annotations a generic validator ignores):

* field types come from the schema: ``string`` (text), ``string`` + ``enum`` (choice), ``array`` of an
  ``enum`` (multi-choice), ``integer``/``number``, ``boolean`` (one tick box), ``string`` + ``format``
  one of ``date``, ``email``, ``personal-id``, ``tax-code``, ``phone``; an ``object`` is a group of fields,
  an ``array`` of objects a repeating group (``minItems``/``maxItems``);
* ``"x-type": "address"`` on an object with the string properties ``province``, ``commune``, ``detail``;
* ``"x-component": <order>`` marks a top-level file field: the dossier component of the procedure with that
  order number (stable across catalogue re-imports, unlike the component's database id); its data is the
  upload, not a value, so the JSON data never holds it;
* ``"x-accept": ["pdf", "jpeg", "png", "docx", "xlsx"]`` on a file field: the kinds of file the component
  takes, checked by content (default PDF, JPEG, PNG; Word and Excel only where a component allows them);
* ``"x-birth-date": "<sibling>"`` on a personal-ID field names the date (or birth-year integer) field of the
  same object that the ID's century and year digits must match.

UI hints (``ui``): ``order`` (top-level names), ``steps``
(``[{"id", "title": {"vi", "en"}, "fields": [...]}]``, each top-level field in exactly one step), and
``fields``: per field path (``child.full_name``; items of a repeating group as ``children.*.full_name``) a
dict of ``label``, ``help``, ``placeholder`` (each ``{"vi", "en"}``), ``widget`` (text, textarea, select,
radio, checkboxes, checkbox), ``choices`` (value → ``{"vi", "en"}``), ``order`` (of a group's fields;
PostgreSQL's jsonb does not keep key order, so give it), ``item_label`` (of a repeating group's items),
``not_future`` (a date that cannot be after today), ``prefill`` (a key of the applicant profile: full_name,
personal_id, birth_date, phone, email, address), ``locked`` (a prefilled value the applicant cannot change),
``autocomplete`` (HTML autocomplete token), ``pattern_message``, and ``suggest`` (a list a text field
offers, any other value still allowed: ``ethnic_groups``, ``nationalities``). A field's schema ``default``
("Kinh", "Việt Nam") is its initial value, except inside a group that may stay empty, whose fields are also
not marked as required (they are required only once the group is filled in).

The declarant is the account holder: a field prefilled from an identity key (``IDENTITY_KEYS``: full name,
personal ID, birth date) is always locked, so the name and ID that stand on the request, and later on its
result, are the account's. Filing for someone else is an explicit choice the form offers with the UI hint
``representation``: ``{"field": "<path of a choice>", "value": "<its value for 'authorised person'>",
"paper": "<top-level file field>"}``; choosing it makes the paper (the procedure's authorisation paper,
"Giấy ủy quyền") required. A form without the hint offers no such choice; a procedure that lists no
authorisation paper gets a component "Giấy ủy quyền" in the catalogue before its form can offer it.
"""

from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from motcua.core.filetypes import DEFAULT_ACCEPT, KINDS

STRING_FORMATS = {"date", "email", "personal-id", "tax-code", "phone"}
WIDGETS = {"text", "textarea", "select", "radio", "checkboxes", "checkbox"}
PREFILL_KEYS = {"full_name", "personal_id", "birth_date", "phone", "email", "address"}
IDENTITY_KEYS = {"full_name", "personal_id", "birth_date"}
SUGGESTIONS = {"ethnic_groups", "nationalities"}  # lists of forms/data/suggestions.json
ADDRESS_PARTS = ("province", "commune", "detail")
ADDRESS_LABELS = {
    "province": gettext_lazy("Province or city"),
    "commune": gettext_lazy("Commune or ward"),
    "detail": gettext_lazy("House number, street, hamlet"),
}


@dataclass
class Field:
    """One field of the form; ``ui_path`` keys the UI hints (``*`` for items of a repeating group)."""

    name: str
    ui_path: str
    kind: str
    schema: dict
    required: bool
    ui: dict
    children: list["Field"] = field(default_factory=list)
    default_label: str = ""
    # Inside a group that may stay empty ("leave blank if the father is unknown"): required only once the
    # group is filled in, so not marked as required.
    conditional: bool = False

    @property
    def starred(self) -> bool:
        """Marked as required (a star and ``aria-required``): required, and not inside an optional group."""
        return self.required and not self.conditional

    def text(self, key: str) -> str:
        return localized(self.ui.get(key))

    @property
    def label(self) -> str:
        return self.text("label") or self.schema.get("title") or str(self.default_label) or self.name

    @property
    def help(self) -> str:
        return self.text("help") or self.schema.get("description", "")

    @property
    def component(self) -> int | None:
        return self.schema.get("x-component")

    @property
    def accept(self) -> tuple[str, ...]:
        return tuple(self.schema.get("x-accept") or DEFAULT_ACCEPT)

    def choices(self) -> list[tuple[str, str]]:
        values = self.schema.get("enum") or (self.schema.get("items") or {}).get("enum") or []
        labels = self.ui.get("choices") or {}
        return [(str(v), localized(labels.get(str(v))) or str(v)) for v in values]

    @property
    def widget(self) -> str:
        if self.ui.get("widget"):
            return self.ui["widget"]
        if self.kind == "choice":
            return "radio" if len(self.schema.get("enum", [])) <= 4 else "select"
        return {"multichoice": "checkboxes", "boolean": "checkbox"}.get(self.kind, "text")

    @property
    def locked(self) -> bool:
        """The profile's value stands, whatever is posted: always so for the account holder's identity."""
        return bool(self.ui.get("locked")) or self.ui.get("prefill") in IDENTITY_KEYS

    def child(self, name: str) -> "Field | None":
        return next((c for c in self.children if c.name == name), None)


def localized(texts) -> str:
    """The text in the active language, else Vietnamese, else any; plain strings are taken as they are."""
    if not texts:
        return ""
    if isinstance(texts, str):
        return texts
    language = (get_language() or "vi")[:2]
    return texts.get(language) or texts.get("vi") or next(iter(texts.values()), "")


def field_kind(schema: dict) -> str | None:
    if not isinstance(schema, dict):
        return None
    if "x-component" in schema:
        return "file"
    kind = schema.get("type")
    if kind == "object":
        return "address" if schema.get("x-type") == "address" else "group"
    if kind == "array":
        items = schema.get("items") or {}
        if items.get("type") == "object":
            return "repeat"
        if "enum" in items:
            return "multichoice"
        return None
    if kind == "string":
        if "enum" in schema:
            return "choice"
        fmt = schema.get("format")
        if fmt is None:
            return "text"
        return fmt.replace("-", "_") if fmt in STRING_FORMATS else None
    if kind in ("integer", "number"):
        return "number"
    if kind == "boolean":
        return "boolean"
    return None


def _ordered_names(properties: dict, ui: dict, path: str) -> list[str]:
    hints = ui.get("fields", {}).get(path, {}) if path else ui
    order = list(hints.get("order") or [])
    if not path and not order and ui.get("steps"):
        order = [name for step in ui["steps"] for name in step.get("fields", [])]
    return [n for n in order if n in properties] + [n for n in properties if n not in order]


def build_fields(schema: dict, ui: dict, path: str = "", ui_path: str = "") -> list[Field]:
    """The fields of an object schema in display order (unsupported shapes are skipped; see check)."""
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    fields = []
    for name in _ordered_names(properties, ui, ui_path):
        sub = properties[name]
        kind = field_kind(sub)
        if kind is None:
            continue
        sub_ui_path = f"{ui_path}.{name}" if ui_path else name
        f = Field(name, sub_ui_path, kind, sub, name in required, ui.get("fields", {}).get(sub_ui_path, {}))
        if kind in ("group", "address"):
            f.children = build_fields(sub, ui, ui_path=sub_ui_path)
            if not f.required:
                for child in walk(f.children):
                    child.conditional = True
            if kind == "address":
                # Always province, commune, detail: PostgreSQL's jsonb does not keep the schema's key order.
                f.children.sort(key=lambda child: ADDRESS_PARTS.index(child.name))
                for child in f.children:
                    child.default_label = ADDRESS_LABELS.get(child.name, "")
        elif kind == "repeat":
            f.children = build_fields(sub["items"], ui, ui_path=f"{sub_ui_path}.*")
        fields.append(f)
    return fields


def steps(ui: dict, fields: list[Field]) -> list[dict]:
    """``[{"id", "title", "fields": [Field]}]``; a form without steps has one step holding everything."""
    by_name = {f.name: f for f in fields}
    defined = ui.get("steps") or []
    if not defined:
        return [{"id": "all", "title": "", "fields": fields}]
    return [
        {
            "id": step.get("id") or str(i + 1),
            "title": localized(step.get("title")) or str(i + 1),
            "fields": [by_name[n] for n in step.get("fields", []) if n in by_name],
        }
        for i, step in enumerate(defined)
    ]


def walk(fields: list[Field]):
    for f in fields:
        yield f
        yield from walk(f.children)


def file_fields(schema: dict) -> dict[str, dict]:
    return {
        name: sub
        for name, sub in (schema.get("properties") or {}).items()
        if isinstance(sub, dict) and "x-component" in sub
    }


def data_schema(schema: dict) -> dict:
    """The schema without its file fields: what the JSON data itself must satisfy."""
    files = file_fields(schema)
    if not files:
        return schema
    out = dict(schema)
    out["properties"] = {k: v for k, v in schema["properties"].items() if k not in files}
    if "required" in schema:
        out["required"] = [k for k in schema["required"] if k not in files]
    return out


# --- checking a definition (the admin and publishing use this) ---------------------------------------------


def check_definition(schema, ui, component_orders: set[int] | None = None) -> dict[str, list[str]]:
    """Problems of a definition, as ``{"schema": [...], "ui": [...]}`` (empty lists when it is sound)."""
    problems: dict[str, list[str]] = {"schema": [], "ui": []}
    if not isinstance(schema, dict):
        problems["schema"].append(_("The schema must be a JSON object."))
        return problems
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = "/".join(str(p) for p in exc.path) or "/"
        problems["schema"].append(
            _("This is not a valid JSON Schema (at %(where)s): %(error)s")
            % {"where": where, "error": exc.message}
        )
        return problems
    if schema.get("type") != "object" or not isinstance(schema.get("properties"), dict):
        problems["schema"].append(
            _('The schema must describe an object: "type": "object" with "properties".')
        )
        return problems
    paths = set()
    _check_object(schema, "", "", True, component_orders, problems["schema"], paths)
    if not isinstance(ui, dict):
        problems["ui"].append(_("The UI hints must be a JSON object."))
        return problems
    _check_ui(schema, ui, paths, problems["ui"])
    return problems


def _check_object(schema, path, ui_path, top, component_orders, out, paths):
    properties = schema.get("properties") or {}
    for name in schema.get("required") or []:
        if name not in properties:
            out.append(
                _("%(path)s: the required field %(name)s is not defined.")
                % {"path": path or "/", "name": name}
            )
    for name, sub in properties.items():
        sub_path = f"{path}.{name}" if path else name
        sub_ui_path = f"{ui_path}.{name}" if ui_path else name
        if not str(name).isidentifier():
            out.append(
                _("%(path)s: field names use letters, digits and underscores only.") % {"path": sub_path}
            )
        kind = field_kind(sub)
        if kind is None:
            out.append(_("%(path)s: this kind of field is not supported.") % {"path": sub_path})
            continue
        paths.add(sub_ui_path)
        if kind == "file":
            if not top:
                out.append(
                    _("%(path)s: a file field must be at the top level of the form.") % {"path": sub_path}
                )
            accept = sub.get("x-accept", list(DEFAULT_ACCEPT))
            if not isinstance(accept, list) or not accept or any(k not in KINDS for k in accept):
                out.append(
                    _("%(path)s: x-accept must list file kinds among %(kinds)s.")
                    % {"path": sub_path, "kinds": ", ".join(KINDS)}
                )
            order = sub.get("x-component")
            if not isinstance(order, int) or (component_orders is not None and order not in component_orders):
                out.append(
                    _(
                        "%(path)s: x-component must be the order number of one of the procedure's "
                        "dossier components."
                    )
                    % {"path": sub_path}
                )
        elif kind == "address":
            props = sub.get("properties") or {}
            if set(props) != set(ADDRESS_PARTS) or any(p.get("type") != "string" for p in props.values()):
                out.append(
                    _("%(path)s: an address has exactly the string fields province, commune and detail.")
                    % {"path": sub_path}
                )
        elif kind == "group":
            _check_object(sub, sub_path, sub_ui_path, False, component_orders, out, paths)
        elif kind == "repeat":
            _check_object(
                sub["items"], f"{sub_path}.*", f"{sub_ui_path}.*", False, component_orders, out, paths
            )
        elif kind == "personal_id" and "x-birth-date" in sub:
            linked = properties.get(sub["x-birth-date"])
            if field_kind(linked) not in ("date", "number"):
                out.append(
                    _("%(path)s: x-birth-date must name a date or year field next to it.")
                    % {"path": sub_path}
                )


def _check_ui(schema, ui, paths, out):
    known = {"order", "steps", "fields", "representation"}
    for key in ui:
        if key not in known:
            out.append(
                _("Unknown UI hint %(key)s (use order, steps, fields, representation).") % {"key": key}
            )
    if "representation" in ui:
        _check_representation(schema, ui["representation"], paths, out)
    top = list(schema["properties"])
    if "order" in ui and sorted(ui["order"]) != sorted(top):
        out.append(_("order must list each top-level field once: %(fields)s.") % {"fields": ", ".join(top)})
    if ui.get("steps"):
        listed = [n for step in ui["steps"] for n in (step.get("fields") or [])]
        if sorted(listed) != sorted(top):
            out.append(
                _("The steps together must list each top-level field exactly once: %(fields)s.")
                % {"fields": ", ".join(top)}
            )
        for step in ui["steps"]:
            if not step.get("title"):
                out.append(_("Each step needs a title."))
    for path, hints in (ui.get("fields") or {}).items():
        if path not in paths:
            out.append(_("fields: %(path)s is not a field of the schema.") % {"path": path})
            continue
        if not isinstance(hints, dict):
            out.append(_("fields: %(path)s must be an object.") % {"path": path})
            continue
        if hints.get("widget") and hints["widget"] not in WIDGETS:
            out.append(
                _("fields: %(path)s has an unknown widget (use %(widgets)s).")
                % {"path": path, "widgets": ", ".join(sorted(WIDGETS))}
            )
        if hints.get("suggest") and hints["suggest"] not in SUGGESTIONS:
            out.append(
                _("fields: %(path)s suggests an unknown list (use %(lists)s).")
                % {"path": path, "lists": ", ".join(sorted(SUGGESTIONS))}
            )
        if hints.get("prefill") and hints["prefill"] not in PREFILL_KEYS:
            out.append(
                _("fields: %(path)s prefills from an unknown profile key (use %(keys)s).")
                % {"path": path, "keys": ", ".join(sorted(PREFILL_KEYS))}
            )
        if "order" in hints:
            children = {
                p.rsplit(".", 1)[1] for p in paths if "." in p and p.rsplit(".", 1)[0] in (path, f"{path}.*")
            }
            if sorted(hints["order"]) != sorted(children):
                out.append(
                    _("fields: the order of %(path)s must list each of its fields once: %(fields)s.")
                    % {"path": path, "fields": ", ".join(sorted(children))}
                )
        if "choices" in hints:
            sub = _schema_at(schema, path)
            values = {str(v) for v in (sub.get("enum") or (sub.get("items") or {}).get("enum") or [])}
            unknown = [k for k in hints["choices"] if k not in values]
            if unknown:
                out.append(
                    _("fields: %(path)s labels choices that are not in its enum: %(values)s.")
                    % {"path": path, "values": ", ".join(unknown)}
                )


def _schema_at(schema: dict, ui_path: str) -> dict:
    node = schema
    for part in ui_path.split("."):
        node = node["items"] if part == "*" else node["properties"][part]
    return node


def representation(ui: dict) -> dict | None:
    """The form's "authorised representative" choice: ``{"field", "value", "paper"}``, or None."""
    hint = (ui or {}).get("representation")
    return hint if isinstance(hint, dict) else None


def value_at(data, path: str):
    node = data
    for part in path.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def _check_representation(schema, hint, paths, out) -> None:
    sound = isinstance(hint, dict) and all(isinstance(hint.get(k), str) for k in ("field", "value", "paper"))
    if sound and hint["field"] in paths and "*" not in hint["field"]:
        choice = _schema_at(schema, hint["field"])
        sound = field_kind(choice) == "choice" and hint["value"] in choice.get("enum", [])
    else:
        sound = False
    paper = (schema.get("properties") or {}).get(hint.get("paper")) if isinstance(hint, dict) else None
    if not sound or field_kind(paper) != "file":
        out.append(
            _(
                "representation must name a choice field and its value for an authorised person, and the "
                "file field of the authorisation paper (add a “Giấy ủy quyền” component to the procedure "
                "if it lists none)."
            )
        )
