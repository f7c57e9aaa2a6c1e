"""Structured data from users (a form's answers as JSON): the limits any such value must keep before it is
stored, checked without recursion so that a hostile value cannot exhaust the stack.

A value is refused (``DataRefused``, whose text says why, for the person who sent it) when it nests deeper
than ``max_depth``, holds more than ``max_items`` values in all, weighs more than ``max_bytes`` as UTF-8
JSON, or holds text that no database or document can keep: a NUL character (PostgreSQL's ``jsonb`` refuses
it) or a lone UTF-16 surrogate (it cannot be encoded at all).
"""

import json
import math

from django.utils.translation import gettext as _

MAX_DEPTH = 16
MAX_ITEMS = 10_000


class DataRefused(ValueError):
    """The value breaks one of the limits; ``str(exc)`` says which, for people."""


def _bad_text(text: str) -> bool:
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate such as "\ud800"
        return True
    return False


def check(value, *, max_bytes: int, max_depth: int = MAX_DEPTH, max_items: int = MAX_ITEMS) -> None:
    """Refuse ``value`` (JSON-like: dicts, lists, strings, numbers, booleans, None) beyond the limits."""
    pending = [(value, 1)]
    seen = 0
    while pending:
        item, depth = pending.pop()
        seen += 1
        if seen > max_items:
            raise DataRefused(_("The data holds far too many values."))
        if isinstance(item, dict):
            if depth > max_depth:
                raise DataRefused(_("The data is nested too deeply."))
            for key, child in item.items():
                if not isinstance(key, str) or _bad_text(key):
                    raise DataRefused(_("A field name holds characters that cannot be stored."))
                pending.append((child, depth + 1))
        elif isinstance(item, list):
            if depth > max_depth:
                raise DataRefused(_("The data is nested too deeply."))
            pending.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            if _bad_text(item):
                raise DataRefused(_("A text holds a character that cannot be stored (NUL, or a broken one)."))
        elif isinstance(item, float) and not math.isfinite(item):
            raise DataRefused(_("A number is not a finite number."))
        elif not (item is None or isinstance(item, bool | int | float)):
            raise DataRefused(_("A value is not text, a number, yes/no, a list or a group of fields."))
    if len(json.dumps(value, ensure_ascii=False).encode("utf-8")) > max_bytes:
        raise DataRefused(_("The data is far too long."))
