"""Amounts of money as Vietnamese pages write them: ``{{ 150000|vnd }}`` → "150.000 đ"."""

from django import template

register = template.Library()


@register.filter
def vnd(amount) -> str:
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return f"{value:,} đ".replace(",", ".")
