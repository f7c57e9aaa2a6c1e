from django import template

from motcua.notifications.rendering import absolute_url as _absolute_url

register = template.Library()


@register.filter
def absolute_url(value) -> str:
    """``{{ tracking_url|absolute_url }}``: a path on the portal as a full URL, for e-mails."""
    return _absolute_url(value)
