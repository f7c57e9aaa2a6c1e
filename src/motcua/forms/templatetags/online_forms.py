"""``{% online_form form data=… errors=… initial=… step=… %}``: the form as accessible HTML."""

from django import template

from ..rendering import render_form

register = template.Library()


@register.simple_tag(takes_context=True)
def online_form(context, form, **kwargs):
    return render_form(form, request=context.get("request"), **kwargs)
