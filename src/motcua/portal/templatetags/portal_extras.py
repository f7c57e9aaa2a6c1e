"""Small display helpers for the portal templates."""

from django import template

from motcua.catalog.models import ApplicantType

register = template.Library()


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
