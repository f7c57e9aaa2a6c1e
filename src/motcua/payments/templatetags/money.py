"""Payments on pages: amounts as Vietnamese write them (``{{ 150000|vnd }}`` → "150.000 đ") and gateways by
their names."""

from django import template

from motcua.core.money import format_vnd
from motcua.payments import selectors

register = template.Library()


@register.filter
def gateway(key: str) -> str:
    """A gateway's name as payers know it: ``{{ payment.gateway|gateway }}`` → "Cổng thanh toán VNPay"."""
    return selectors.gateway_label(key)


@register.filter
def vnd(amount) -> str:
    try:
        value = int(amount)
    except (TypeError, ValueError):
        return ""
    return format_vnd(value)
