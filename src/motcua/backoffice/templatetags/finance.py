"""Whether the back office's navigation shows the finance page (finance officers and leaders)."""

from django import template

from motcua.payments import rules

register = template.Library()


@register.simple_tag
def sees_finance(user) -> bool:
    return rules.totals_agencies(user).exists()
