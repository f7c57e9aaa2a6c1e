"""An online form's data as a read-only summary, step by step, with links back to edit each step."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .. import units
from ..models import OnlineForm
from ..schema import Field, build_fields, steps

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
