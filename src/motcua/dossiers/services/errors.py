"""The errors the dossier services raise, and the small helpers that raise them for bad input.

- ``django.core.exceptions.ValidationError`` with a dict ``{field path: [message, …]}`` for bad input (400);
- ``ActionRefused`` when the dossier is not in a state that allows the action (409);
- ``django.core.exceptions.PermissionDenied`` when the person may not act on it (403/404).
"""

from django.core.exceptions import ValidationError


class ActionRefused(Exception):
    """The dossier is not in a state that allows this action; ``str(exc)`` says why, for the user."""


def invalid(field: str, message: str) -> ValidationError:
    """A ValidationError about one field, with a message for the person who filled it in."""
    return ValidationError({field: [message]})


def require(value: str, field: str, message: str) -> str:
    """``value`` without surrounding spaces; ``message`` for ``field`` when nothing is left."""
    value = (value or "").strip()
    if not value:
        raise invalid(field, message)
    return value
