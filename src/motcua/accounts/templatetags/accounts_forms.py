"""``{{ field|control }}``: a form field's widget with Bootstrap classes and its help and error described."""

from django import template

register = template.Library()


@register.filter
def control(field):
    css = "form-control"
    if field.errors:
        css += " is-invalid"
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)
