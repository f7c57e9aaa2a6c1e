from django.utils.functional import SimpleLazyObject

from . import selectors


def unread(request):
    """``unread_notifications`` for a header badge; counted only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}  # anonymous pages stay free of per-visitor content (they are cached)
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
