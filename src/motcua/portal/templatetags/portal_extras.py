"""Small display helpers for the portal templates."""

from django import template
from django.utils import translation
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from motcua.catalog.models import ApplicantType

register = template.Library()
SELECTED = mark_safe(" selected")  # a constant attribute, no user input
CATALOGUE_LANGUAGE = "vi"  # the catalogue's texts (procedures, agencies, sectors) exist in Vietnamese only


@register.simple_tag
def catalogue_lang():
    """The attribute ``lang="vi"`` for an element holding catalogue text, on a page in another language.

    A screen reader then reads a procedure's name in Vietnamese inside an English page; on a Vietnamese page
    the attribute would repeat the page's own language, so nothing is written.
    """
    if (translation.get_language() or "").split("-")[0] == CATALOGUE_LANGUAGE:
        return ""
    return mark_safe(f' lang="{CATALOGUE_LANGUAGE}"')  # a constant attribute, no user input


@register.filter
def applicant_type_label(value: str) -> str:
    """The translated label of an applicant type value; an unknown value is shown as stored."""
    try:
        return str(ApplicantType(value).label)
    except ValueError:
        return value


@register.filter
def indent_marks(depth: int) -> str:
    """Dashes that show an agency's depth inside a <select>, where CSS indentation does not apply."""
    return "– " * int(depth or 0)


@register.simple_tag
def select_options(items, current):
    """``<option>`` elements for ``(value, also_matches, label)`` items, the current one selected.

    A select of every agency is rendered on each search page; one call instead of a template loop of
    ifs keeps the page cheap to build.
    """
    current = current or ""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, SELECTED if current and current in (value, *aliases) else "", label)
            for value, aliases, label in items
        ),
    )


@register.simple_tag
def sector_options(sectors, current):
    return select_options(((s.slug, (s.code,), s.name) for s in sectors), current)


@register.simple_tag
def agency_options(agency_tree, current):
    return select_options(
        ((a.slug, (a.code,), indent_marks(depth) + a.name) for a, depth in agency_tree), current
    )
