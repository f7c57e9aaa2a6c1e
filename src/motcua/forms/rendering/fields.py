"""One field of an online form as accessible HTML: inputs, selects, choices, checkboxes, groups, addresses,
repeating groups and file fields, each with its label, help and errors."""

import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from motcua.core.filetypes import accept_list, html_accept

from .. import units
from ..schema import Field
from ..services import COUNT
from .context import FILE_PREFIX, STORED_PREFIX, Context, field_id


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


def render_field(f: Field, value, path: str, ctx: Context) -> str:
    """The HTML of field ``f`` holding ``value`` at error path ``path``, by its kind and widget."""
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
    inner = mark_safe(
        "".join(render_field(c, value.get(c.name), f"{path}.{c.name}", ctx) for c in f.children)
    )
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
        inner = "".join(render_field(c, item.get(c.name), f"{item_path}.{c.name}", ctx) for c in f.children)
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
