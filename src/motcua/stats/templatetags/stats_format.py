"""Figures on pages, as Vietnamese write them (``stats.wording``): ``{{ 5808|stat_number }}`` → "5.808",
``{{ 0.964|stat_percent }}`` → "96,4%", ``{{ 11.5|stat_number:2 }}`` → "11,5", and a table cell by its
column's kind (``{{ value|stat_cell:column.kind }}``), where nothing to count reads "No data", never 0."""

from django import template

from motcua.stats import wording

register = template.Library()


@register.filter
def stat_number(value, decimals=0) -> str:
    return wording.number(value, int(decimals))


@register.filter
def stat_percent(rate) -> str:
    """A rate from 0 to 1."""
    return wording.percent(rate)


@register.filter
def stat_cell(value, kind: str) -> str:
    return wording.cell(value, kind)


@register.simple_tag
def stat_indicator(report, key: str) -> dict:
    """``{% stat_indicator report "resolved_in_time" as on_time %}``: one indicator's row of a report."""
    return report.indicator(key)
