"""An online form as accessible HTML that works without JavaScript (Bootstrap 5; scripts only enhance).

Every input has a label; required fields are marked (a visible star and ``aria-required``); help texts and
errors are tied to their input by ``aria-describedby``; an error summary at the top links to each field.
Multi-step forms show one step with "Back"/"Continue" submit buttons; the other steps' values travel as
hidden inputs; the step indicator's steps already reached are submit buttons too. Repeating groups add and
remove items with submit buttons, and the address field reloads its commune list with a button, so a plain
form post does everything.

Address fields are a province select and, for a province whose communes are listed, a commune select (else
a text input). Without JavaScript the "show the communes" button reloads the page at the commune field (its
``formaction`` ends with the field's ``#id``). Where JavaScript runs, ``static/forms/address.js`` (a file,
no inline script or handler, for a strict Content-Security-Policy) swaps the commune control as soon as the
province changes, from the lists in the fieldset's ``data-communes``, and hides the button.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from motcua.core.filetypes import accept_list, html_accept

from . import units
from .models import OnlineForm
from .schema import Field, build_fields, steps, walk
from .services import COUNT, NON_FIELD, initial_data, page_order
from .services.posted import flatten

FILE_PREFIX = "file."
FILES_PRESENT = "_files"
# The radio list that takes a paper from the applicant's document store instead of an upload.
STORED_PREFIX = "stored."


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "-")


@dataclass
class _Context:
    form: OnlineForm
    errors: dict
    profile: dict
    present_orders: set
    components: dict
    action: str = ""
    lists: set = field(default_factory=set)  # suggestion lists used: one <datalist> each
    stored: dict = field(default_factory=dict)  # component order -> [(stored id, label)] offered for reuse
    anchors: dict = field(default_factory=dict)  # path -> (element id, label) for the error summary


def render_form(
    form: OnlineForm,
    *,
    request=None,
    data: dict | None = None,
    errors: dict | None = None,
    initial: dict | None = None,
    step: int = 0,
    reached: int | None = None,
    files_present=(),
    action: str = "",
    submit_label: str | None = None,
    save_label: str | None = None,
    stored_papers: dict | None = None,
) -> SafeString:
    """The whole ``<form>``. ``data`` is what the citizen entered so far; when it is None, the form is
    prefilled from ``initial`` (the applicant's profile: full_name, personal_id, birth_date, phone, email,
    address). ``files_present``: ids of the procedure's components that already have a file.
    ``save_label``: when given, a button that keeps what was entered without checking it (``save``).
    ``reached``: the furthest step the citizen has reached (default: this one); the step indicator lets
    them go to any step up to it, never beyond. ``stored_papers``: per component order, the papers of the
    applicant's document store that may be used instead of an upload, as (id, label) pairs."""
    ui = form.ui or {}
    fields = build_fields(form.schema, ui)
    all_steps = steps(ui, fields)
    step = min(max(step, 0), len(all_steps) - 1)
    current = all_steps[step]
    if data is None:
        data = initial_data(form, initial)
    components = {c.order: c for c in form.procedure.components.all()}
    by_id = {c.id: c.order for c in components.values()}
    ctx = _Context(
        form=form,
        errors=errors or {},
        profile=initial or {},
        present_orders={by_id[i] for i in files_present if i in by_id},
        components=components,
        action=action,
        stored=stored_papers or {},
    )
    body = mark_safe("".join(_field(f, data.get(f.name), f.name, ctx) for f in current["fields"]))

    hidden = []
    for other in all_steps:
        if other is not current:
            flatten(other["fields"], data, "", hidden)
    hidden.append(("_step", str(step)))
    hidden.extend((FILES_PRESENT, str(i)) for i in sorted(files_present))

    last = step == len(all_steps) - 1
    forward = "submit" if last else "next"
    has_files = any(f.kind == "file" for f in fields)
    parts = [
        format_html(
            '<form method="post" action="{}" class="online-form" novalidate{}>',
            action,
            mark_safe(' enctype="multipart/form-data"') if has_files else "",
        ),
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        if request is not None
        else "",
        # The first submit button is what Enter presses: make it "continue", not "add another".
        format_html(
            '<button type="submit" name="_action" value="{}" class="visually-hidden" tabindex="-1" '
            'aria-hidden="true">{}</button>',
            forward,
            _("Continue"),
        ),
        _step_indicator(all_steps, step, max(step, reached or 0)),
        _summary(ctx),
        format_html(
            '<p class="form-text">{}</p>',
            format_html(
                _("Fields marked {} are required."), mark_safe('<span class="required-mark">*</span>')
            ),
        ),
        body,
        _datalists(ctx.lists),
        format_html_join("", '<input type="hidden" name="{}" value="{}">', hidden),
        '<div class="form-nav d-flex flex-wrap gap-2 mt-4">',
        format_html(
            '<button type="submit" name="_action" value="back" class="btn btn-outline-secondary" '
            "formnovalidate>{}</button>",
            _("Back"),
        )
        if step > 0
        else "",
        format_html(
            '<button type="submit" name="_action" value="{}" class="btn btn-primary">{}</button>',
            forward,
            (submit_label or _("Submit")) if last else _("Continue"),
        ),
        format_html(
            '<button type="submit" name="_action" value="save" class="btn btn-outline-primary" '
            "formnovalidate>{}</button>",
            save_label,
        )
        if save_label
        else "",
        "</div></form>",
        format_html('<script src="{}" defer></script>', static("forms/address.js"))
        if any(f.kind == "address" for f in walk(current["fields"]))
        else "",
    ]
    return mark_safe("".join(str(p) for p in parts))


def _datalists(names) -> str:
    """The lists that text fields offer (``suggest``): any other value can still be typed in."""
    lists = units.suggestions()
    return format_html_join(
        "",
        '<datalist id="list-{}">{}</datalist>',
        (
            (name, format_html_join("", '<option value="{}"></option>', ((v,) for v in lists[name])))
            for name in sorted(names)
        ),
    )


def _step_indicator(all_steps, step, reached) -> str:
    """The steps as a list; each step reached, other than this one, is a button that shows it (a submit
    button, not a link: what was typed on this step is kept, unchecked, as with "Back")."""
    if len(all_steps) < 2:
        return ""
    items = []
    for i, s in enumerate(all_steps):
        if i == step:
            items.append(format_html('<li class="form-step active" aria-current="step">{}</li>', s["title"]))
        elif i <= reached:
            items.append(
                format_html(
                    '<li class="form-step reached"><button type="submit" name="_action" value="goto:{}" '
                    'class="btn btn-link p-0 align-baseline form-step-link" formnovalidate>{}</button></li>',
                    i,
                    s["title"],
                )
            )
        else:
            items.append(format_html('<li class="form-step">{}</li>', s["title"]))
    return format_html(
        '<nav aria-label="{}"><ol class="form-steps">{}</ol></nav><h2 class="h4 form-step-title">{}</h2>',
        _("Steps of the form"),
        mark_safe("".join(items)),
        _("Step %(number)s of %(count)s: %(title)s")
        % {"number": step + 1, "count": len(all_steps), "title": all_steps[step]["title"]},
    )


ERROR_SUMMARY_ID = "error-summary"


def _summary(ctx: _Context) -> str:
    """The problems of the step in the order the page shows their fields, each a link to its field. The
    summary is the target of the form's address (``#error-summary``), so a browser without JavaScript
    scrolls to it, and ``portal/error-summary.js`` moves the focus to it."""
    if not ctx.errors:
        return ""
    items = []
    for path, messages in page_order(ctx.form, ctx.errors):
        anchor = _anchor(ctx, path)
        for message in messages:
            if anchor:
                items.append(format_html('<li><a href="#{}">{}: {}</a></li>', anchor[0], anchor[1], message))
            else:
                items.append(format_html("<li>{}</li>", message))
    count = sum(len(m) for m in ctx.errors.values())
    return format_html(
        '<div class="alert alert-danger error-summary" role="alert" aria-labelledby="error-summary-title" '
        'tabindex="-1" id="{}"><h2 class="h5" id="error-summary-title">{}</h2>'
        '<ul class="mb-0">{}</ul>'
        "</div>",
        ERROR_SUMMARY_ID,
        ngettext("There is %(count)d problem to correct:", "There are %(count)d problems to correct:", count)
        % {"count": count},
        mark_safe("".join(items)),
    )


def _anchor(ctx: _Context, path: str):
    if path == NON_FIELD:
        return None
    parts = path.split(".")
    while parts:
        found = ctx.anchors.get(".".join(parts))
        if found:
            return found
        parts.pop()
    return None


# --- one field -------------------------------------------------------------------------------------------


def _required_mark(f: Field) -> str:
    return mark_safe(' <span class="required-mark" aria-hidden="true">*</span>') if f.starred else ""


def _described(ctx, path, f: Field, extra: str = "") -> tuple[str, str, str]:
    """(aria attributes, help html, error html) of a field at ``path``."""
    fid = field_id(path)
    ids = []
    help_html = error_html = ""
    if f.help or extra:
        ids.append(f"{fid}-help")
        help_html = format_html('<div class="form-text" id="{}-help">{}{}</div>', fid, f.help, extra)
    messages = ctx.errors.get(path)
    if messages:
        ids.append(f"{fid}-error")
        error_html = format_html(
            '<div class="invalid-feedback d-block" id="{}-error">'
            '<span class="visually-hidden">{}</span>{}</div>',
            fid,
            _("Error:"),
            format_html_join(mark_safe("<br>"), "{}", ((m,) for m in messages)),
        )
    attrs = ""
    if ids:
        attrs += format_html(' aria-describedby="{}"', " ".join(ids))
    if messages:
        attrs += ' aria-invalid="true"'
    return mark_safe(attrs), help_html, error_html


def _field(f: Field, value, path: str, ctx: _Context) -> str:
    renderer = {
        "group": _group,
        "address": _address,
        "repeat": _repeat,
        "file": _file,
        "multichoice": _choices,
        "boolean": _checkbox,
    }.get(f.kind)
    if renderer:
        return renderer(f, value, path, ctx)
    if f.kind == "choice" and f.widget == "radio":
        return _choices(f, value, path, ctx)
    if f.kind == "choice":
        return _select(f, value, path, ctx)
    return _input(f, value, path, ctx)


INPUT_TYPES = {"date": "date", "email": "email", "phone": "tel"}
INPUT_MODES = {"personal_id": "numeric", "tax_code": "numeric", "phone": "tel"}


def _input(f: Field, value, path, ctx, data: str = "") -> str:
    fid = field_id(path)
    ctx.anchors[path] = (fid, f.label)
    locked = f.locked and ctx.profile.get(f.ui.get("prefill") or "") not in (None, "")
    aria, help_html, error_html = _described(
        ctx, path, f, format_html(" {}", _("From your account; it cannot be changed here.")) if locked else ""
    )
    classes = "form-control is-invalid" if path in ctx.errors else "form-control"
    attrs = []
    if f.starred:
        attrs.append(("aria-required", "true"))
    if f.kind == "number":
        attrs.append(("inputmode", "numeric" if f.schema.get("type") == "integer" else "decimal"))
    elif f.kind in INPUT_MODES:
        attrs.append(("inputmode", INPUT_MODES[f.kind]))
    if f.schema.get("maxLength"):
        attrs.append(("maxlength", str(f.schema["maxLength"])))
    if f.ui.get("autocomplete"):
        attrs.append(("autocomplete", f.ui["autocomplete"]))
    if f.ui.get("suggest") in units.suggestions():
        attrs.append(("list", f"list-{f.ui['suggest']}"))
        ctx.lists.add(f.ui["suggest"])
    if f.text("placeholder"):
        attrs.append(("placeholder", f.text("placeholder")))
    if locked:
        attrs.append(("readonly", "readonly"))
    extra = format_html_join("", ' {}="{}"', attrs)
    if data:
        extra = format_html("{} {}", extra, data)
    label = format_html('<label class="form-label" for="{}">{}{}</label>', fid, f.label, _required_mark(f))
    text = "" if value is None else str(value)
    if f.widget == "textarea":
        control = format_html(
            '<textarea class="{}" id="{}" name="{}" rows="3"{}{}>{}</textarea>',
            classes,
            fid,
            path,
            aria,
            extra,
            text,
        )
    else:
        control = format_html(
            '<input type="{}" class="{}" id="{}" name="{}" value="{}"{}{}>',
            INPUT_TYPES.get(f.kind, "text"),
            classes,
            fid,
            path,
            text,
            aria,
            extra,
        )
    return format_html('<div class="mb-3 form-field">{}{}{}{}</div>', label, help_html, control, error_html)


def _options(choices, selected, placeholder) -> str:
    options = [format_html('<option value="">{}</option>', placeholder)]
    for value, text in choices:
        options.append(
            format_html(
                '<option value="{}"{}>{}</option>',
                value,
                mark_safe(" selected") if value == selected else "",
                text,
            )
        )
    return mark_safe("".join(options))


def _select(f: Field, value, path, ctx, choices=None, data: str = "") -> str:
    fid = field_id(path)
    ctx.anchors[path] = (fid, f.label)
    aria, help_html, error_html = _described(ctx, path, f)
    classes = "form-select is-invalid" if path in ctx.errors else "form-select"
    return format_html(
        '<div class="mb-3 form-field"><label class="form-label" for="{}">{}{}</label>{}'
        '<select class="{}" id="{}" name="{}"{}{}{}>{}</select>{}</div>',
        fid,
        f.label,
        _required_mark(f),
        help_html,
        classes,
        fid,
        path,
        aria,
        mark_safe(' aria-required="true"') if f.starred else "",
        format_html(" {}", data) if data else "",
        _options(
            choices if choices is not None else f.choices(),
            "" if value is None else str(value),
            _("— Choose —"),
        ),
        error_html,
    )


def _choices(f: Field, value, path, ctx) -> str:
    """Radio buttons (one choice) or tick boxes (several) in a fieldset."""
    fid = field_id(path)
    ctx.anchors[path] = (f"{fid}-0", f.label)
    aria, help_html, error_html = _described(ctx, path, f)
    multiple = f.kind == "multichoice"
    chosen = {str(v) for v in value} if multiple and isinstance(value, list) else {str(value)}
    invalid = " is-invalid" if path in ctx.errors else ""
    options = format_html_join(
        "",
        '<div class="form-check">'
        '<input class="form-check-input{}" type="{}" name="{}" id="{}-{}" value="{}"{}>'
        '<label class="form-check-label" for="{}-{}">{}</label></div>',
        (
            (
                invalid,
                "checkbox" if multiple else "radio",
                path,
                fid,
                i,
                v,
                mark_safe(" checked") if v in chosen else "",
                fid,
                i,
                text,
            )
            for i, (v, text) in enumerate(f.choices())
        ),
    )
    return format_html(
        '<fieldset class="mb-3 form-field" id="{}"{}{}><legend class="form-label fs-6">{}{}</legend>'
        "{}{}{}</fieldset>",
        fid,
        aria,
        # A group of radio buttons is a radiogroup, which may be aria-required (a bare <fieldset> may not).
        mark_safe("" if multiple else ' role="radiogroup"' + (' aria-required="true"' if f.starred else "")),
        f.label,
        _required_mark(f),
        help_html,
        options,
        error_html,
    )


def _checkbox(f: Field, value, path, ctx) -> str:
    fid = field_id(path)
    ctx.anchors[path] = (fid, f.label)
    aria, help_html, error_html = _described(ctx, path, f)
    return format_html(
        '<div class="mb-3 form-check form-field"><input class="form-check-input{}" type="checkbox" id="{}" '
        'name="{}" value="on"{}{}{}><label class="form-check-label" for="{}">{}{}</label>{}{}</div>',
        " is-invalid" if path in ctx.errors else "",
        fid,
        path,
        mark_safe(" checked") if value is True else "",
        mark_safe(' aria-required="true"') if f.starred else "",
        aria,
        fid,
        f.label,
        _required_mark(f),
        help_html,
        error_html,
    )


def _fieldset(f: Field, path, ctx, inner: str, css: str = "", data: str = "") -> str:
    fid = field_id(path)
    ctx.anchors.setdefault(path, (fid, f.label))
    aria, help_html, error_html = _described(ctx, path, f)
    return format_html(
        '<fieldset class="mb-4 form-group-fields {}" id="{}" tabindex="-1"{}{}>'
        '<legend class="h5">{}{}</legend>{}{}{}'
        "</fieldset>",
        css,
        fid,
        aria,
        data,
        f.label,
        _required_mark(f),
        help_html,
        error_html,
        inner,
    )


def _group(f: Field, value, path, ctx) -> str:
    value = value if isinstance(value, dict) else {}
    inner = mark_safe("".join(_field(c, value.get(c.name), f"{path}.{c.name}", ctx) for c in f.children))
    return _fieldset(f, path, ctx, inner)


def _address(f: Field, value, path, ctx) -> str:
    value = value if isinstance(value, dict) else {}
    province_code = units.find_province(value.get("province")) or value.get("province") or ""
    province_field, commune_field, detail_field = (f.child(n) for n in ("province", "commune", "detail"))
    commune_path = f"{path}.commune"
    # Missing parts of a required address are errors of the whole field: show them at the province.
    ctx.anchors[path] = (field_id(f"{path}.province"), f.label)
    parts = [
        _select(
            province_field,
            province_code,
            f"{path}.province",
            ctx,
            [(p["code"], p["name"]) for p in units.provinces()],
            data="data-address-province",
        ),
        format_html(
            '<p class="mb-3" data-address-refresh><button type="submit" name="_action" value="refresh:{}" '
            'formaction="{}#{}" class="btn btn-outline-secondary btn-sm" formnovalidate>{}</button></p>',
            path,
            ctx.action.split("#", 1)[0],  # the field's fragment replaces the form's (#error-summary)
            field_id(commune_path),
            _("Show the communes of the chosen province"),
        ),
    ]
    communes = units.communes(province_code)
    commune = value.get("commune")
    if communes:
        chosen = units.find_commune(province_code, commune) or commune
        parts.append(
            _select(
                commune_field,
                chosen,
                commune_path,
                ctx,
                [(c["code"], c["name"]) for c in communes],
                data="data-address-commune",
            )
        )
    else:
        parts.append(_input(commune_field, commune, commune_path, ctx, data="data-address-commune"))
    parts.append(_input(detail_field, value.get("detail"), f"{path}.detail", ctx))
    lists = {
        p["code"]: [[c["code"], c["name"]] for c in p["communes"]] for p in units.provinces() if p["communes"]
    }
    return _fieldset(
        f,
        path,
        ctx,
        mark_safe("".join(str(p) for p in parts)),
        "form-address",
        format_html(
            ' data-address data-communes="{}" data-choose="{}"',
            json.dumps(lists, ensure_ascii=False, separators=(",", ":")),
            _("— Choose —"),
        ),
    )


def _repeat(f: Field, value, path, ctx) -> str:
    items = value if isinstance(value, list) else []
    item_label = f.text("item_label") or _("Entry")
    minimum, maximum = f.schema.get("minItems", 0), f.schema.get("maxItems", 100)
    parts = [format_html('<input type="hidden" name="{}.{}" value="{}">', path, COUNT, len(items))]
    for i, item in enumerate(items):
        item = item if isinstance(item, dict) else {}
        item_path = f"{path}.{i}"
        title = f"{item_label} {i + 1}"
        ctx.anchors[item_path] = (field_id(item_path), title)
        inner = "".join(_field(c, item.get(c.name), f"{item_path}.{c.name}", ctx) for c in f.children)
        remove = ""
        if len(items) > minimum:
            remove = format_html(
                '<button type="submit" name="_action" value="remove:{}" '
                'class="btn btn-outline-danger btn-sm" '
                "formnovalidate>{}</button>",
                item_path,
                _("Remove %(item)s") % {"item": title},
            )
        parts.append(
            format_html(
                '<fieldset class="repeat-item border rounded p-3 mb-3" id="{}" tabindex="-1">'
                '<legend class="h6">{}'
                "</legend>{}{}</fieldset>",
                field_id(item_path),
                title,
                mark_safe(inner),
                remove,
            )
        )
    if len(items) < maximum:
        parts.append(
            format_html(
                '<p><button type="submit" name="_action" value="add:{}" '
                'class="btn btn-outline-primary btn-sm" '
                "formnovalidate>{}</button></p>",
                path,
                _("Add another %(item)s") % {"item": item_label.lower()},
            )
        )
    return _fieldset(f, path, ctx, mark_safe("".join(str(p) for p in parts)), "form-repeat")


def _copies(component) -> str:
    kinds = [
        (component.originals, _("original(s)")),
        (component.certified_copies, _("certified copy(ies)")),
        (component.photocopies, _("photocopy(ies)")),
    ]
    return ", ".join(f"{n} {label}" for n, label in kinds if n)


def upload_limits() -> str:
    """The size limits of the papers (the settings the dossiers' uploads enforce), as one sentence."""
    return _(
        "Up to %(file_mb)s MB a file and %(dossier_mb)s MB for all the files of this dossier; "
        "%(account_mb)s MB for the files of all your dossiers in progress."
    ) % {
        "file_mb": settings.MOTCUA_MAX_FILE_MB,
        "dossier_mb": settings.MOTCUA_MAX_DOSSIER_MB,
        "account_mb": settings.MOTCUA_MAX_ACCOUNT_MB,
    }


def _template_link(component) -> str:
    """The component's form template (mẫu tờ khai, DOCX) to download, fill in and upload here."""
    if component is None or not component.form_template:
        return ""
    return format_html(
        '<p class="mb-1"><a class="download-link" href="{}" download>⤓ {}</a></p>',
        component.form_template.url,
        _("Download the form template, fill it in and upload it")
        + (f" ({component.form_name})" if component.form_name else ""),
    )


def _file(f: Field, value, path, ctx) -> str:
    fid = field_id(path)
    ctx.anchors[path] = (fid, f.label)
    component = ctx.components.get(f.component)
    extra = ""
    if component is not None:
        copies = _copies(component)
        # A sentence of its own between the form's help and "Accepted: …".
        extra = format_html(" {}{}.", component.name.rstrip(" ."), f" ({copies})" if copies else "")
    extra = format_html(
        "{} {} {}",
        extra,
        _("Accepted: %(kinds)s, checked by their content.") % {"kinds": accept_list(f.accept)},
        upload_limits(),
    )
    aria, help_html, error_html = _described(ctx, path, f, extra)
    attached = ""
    if f.component in ctx.present_orders:
        attached = format_html(
            '<p class="text-success mb-1">{}</p>', _("A file is attached; choose another to replace it.")
        )
    offered = ctx.stored.get(f.component)
    if offered:
        attached = format_html("{}{}", attached, _stored_choice(fid, path, offered))
    return format_html(
        '<div class="mb-3 form-field"><label class="form-label" for="{}">{}{}</label>{}{}{}'
        '<input type="file" class="form-control{}" id="{}" name="{}{}" '
        'accept="{}"{}{}>{}</div>',
        fid,
        f.label,
        _required_mark(f),
        help_html,
        _template_link(component),
        attached,
        " is-invalid" if path in ctx.errors else "",
        fid,
        FILE_PREFIX,
        path,
        html_accept(f.accept),
        aria,
        mark_safe(' aria-required="true"') if f.starred else "",
        error_html,
    )


def _stored_choice(fid: str, path: str, offered) -> str:
    """ "Use a paper kept in your document store": a radio list posted with the step (no JavaScript needed);
    the first choice keeps to the upload below."""
    return render_to_string(
        "forms/stored_papers.html",
        {
            "fid": fid,
            "name": f"{STORED_PREFIX}{path}",
            "offered": [{"id": i, "label": t} for i, t in offered],
        },
    )


# --- read-only summary -------------------------------------------------------------------------------------


address_text = units.address_text


def _value_text(f: Field, value) -> str:
    if f.kind in ("choice", "multichoice"):
        labels = dict(f.choices())
        values = value if isinstance(value, list) else [value]
        return ", ".join(labels.get(str(v), str(v)) for v in values)
    if f.kind == "boolean":
        return _("Yes") if value else _("No")
    if f.kind == "address":
        return address_text(value)
    if f.kind == "date" and isinstance(value, str) and len(value) == 10:
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(value)


def _summary_rows(fields: list[Field], data: dict) -> str:
    rows = []
    for f in fields:
        value = data.get(f.name) if isinstance(data, dict) else None
        if f.kind == "file" or value in (None, "", [], {}):
            continue
        if f.kind == "group":
            inner = _summary_rows(f.children, value)
            if inner:
                rows.append(
                    format_html(
                        '<div class="summary-group"><dt>{}</dt><dd><dl>{}</dl></dd></div>', f.label, inner
                    )
                )
        elif f.kind == "repeat":
            items = format_html_join(
                "",
                "<li><dl>{}</dl></li>",
                ((_summary_rows(f.children, item),) for item in value if isinstance(item, dict)),
            )
            rows.append(
                format_html(
                    '<div class="summary-group"><dt>{}</dt><dd><ol>{}</ol></dd></div>', f.label, items
                )
            )
        else:
            rows.append(format_html("<div><dt>{}</dt><dd>{}</dd></div>", f.label, _value_text(f, value)))
    return mark_safe("".join(str(r) for r in rows))


def render_summary(form: OnlineForm, data: dict, *, edit_url: str = "") -> SafeString:
    """What the applicant entered, as a definition list with the form's labels and readable values.

    With ``edit_url`` (the page of the form), one section per step of the form, each with its title and a
    link that opens that step (``?buoc=<n>``) to change it."""
    fields = build_fields(form.schema, form.ui or {})
    if not edit_url:
        return format_html('<dl class="form-summary">{}</dl>', _summary_rows(fields, data or {}))
    all_steps = steps(form.ui or {}, fields)
    sections = []
    for i, s in enumerate(all_steps):
        # Not "Your declaration": the page's own section has that name, and two landmarks may not share one.
        title = s["title"] or _("Your answers")
        sections.append(
            format_html(
                '<section class="summary-step" aria-labelledby="summary-step-{}">'
                '<div class="d-flex flex-wrap justify-content-between align-items-baseline gap-2">'
                '<h3 class="h5" id="summary-step-{}">{}</h3>'
                '<a href="{}?buoc={}">{}<span class="visually-hidden"> {}</span></a></div>'
                '<dl class="form-summary">{}</dl></section>',
                i,
                i,
                title,
                edit_url,
                i,
                pgettext("a section of the review page", "Change"),
                title,
                _summary_rows(s["fields"], data or {}),
            )
        )
    return mark_safe("".join(sections))
