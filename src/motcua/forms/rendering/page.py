"""The whole ``<form>`` of an online form: accessible HTML that works without JavaScript (Bootstrap 5;
scripts only enhance), with its step indicator, error summary and buttons.

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

from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import units
from ..models import OnlineForm
from ..schema import build_fields, steps, walk
from ..services import NON_FIELD, initial_data, page_order
from ..services.posted import flatten
from .context import FILES_PRESENT, Context
from .fields import render_field


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
    ctx = Context(
        form=form,
        errors=errors or {},
        profile=initial or {},
        present_orders={by_id[i] for i in files_present if i in by_id},
        components=components,
        action=action,
        stored=stored_papers or {},
    )
    body = mark_safe("".join(render_field(f, data.get(f.name), f.name, ctx) for f in current["fields"]))

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


def _summary(ctx: Context) -> str:
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


def _anchor(ctx: Context, path: str):
    if path == NON_FIELD:
        return None
    parts = path.split(".")
    while parts:
        found = ctx.anchors.get(".".join(parts))
        if found:
            return found
        parts.pop()
    return None
