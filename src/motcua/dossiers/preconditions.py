"""Điều kiện của một thao tác: checks that other apps add to a dossier's transitions, without dossiers
knowing them (the payments app refuses reception while a fee due before processing is unpaid).

A check is ``check(dossier, action) -> message | None``: the message (translated, for the officer) says
why ``action`` cannot be taken now; None lets it go. Each check has a short ``label`` too, what the desk's
queue and dossier page show while it holds ("Chờ nộp phí"). ``receive`` consults them (``refusal``) after
its own rules, in its transaction, on the locked row.
"""

from collections.abc import Callable
from dataclasses import dataclass

Check = Callable[[object, str], str | None]


@dataclass(frozen=True)
class Precondition:
    check: Check
    label: object  # a lazy translation


_CHECKS: dict[str, Precondition] = {}


def register(name: str, check: Check, *, label) -> None:
    """Add ``check`` under ``name`` (the same name again replaces it: ``ready`` may run twice in tests)."""
    _CHECKS[name] = Precondition(check, label)


def unregister(name: str) -> None:
    _CHECKS.pop(name, None)


def refusal(dossier, action: str) -> str | None:
    """The first registered check's reason to refuse ``action`` on ``dossier`` now, or None."""
    for item in _CHECKS.values():
        message = item.check(dossier, action)
        if message:
            return str(message)
    return None


def waiting_for(dossier, action: str) -> list[str]:
    """The short labels of what ``action`` waits for now ("Chờ nộp phí"), for the desk's pages."""
    return [str(item.label) for item in _CHECKS.values() if item.check(dossier, action)]
