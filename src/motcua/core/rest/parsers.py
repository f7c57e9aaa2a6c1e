"""The parsers of the API (``REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]``) and what they refuse for every view:

- a JSON body nested too deeply for Python's parser is a 400 like any other bad JSON, not a server error
  (``json.loads`` raises ``RecursionError``, which DRF's parser lets through);
- a NUL character anywhere in a body (a JSON string or key, a form field's name or value) is a 400 that
  names the field, whatever the view does next: PostgreSQL keeps no NUL in a text column or in
  ``jsonb`` and would answer the query with an error (a 500), where SQLite would store it.
"""

from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError, ValidationError

NUL = "\x00"


def nul_message() -> str:
    # Django's and DRF's own message for a NUL in a text field, so that every refusal reads the same.
    return _("Null characters are not allowed.")


def holds_nul(value) -> bool:
    """Whether a NUL is in ``value`` or in any text (or key) inside it; a walk without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def refuse_nul(fields) -> None:
    """A 400 naming each field (a top-level key of the body) whose name or value holds a NUL."""
    errors = {}
    pairs = fields.lists() if isinstance(fields, QueryDict) else fields.items()
    for name, value in pairs:
        if holds_nul(name) or holds_nul(value):
            errors[name.replace(NUL, "") or "non_field_errors"] = [nul_message()]
    if errors:
        raise ValidationError(errors)


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
        refuse_nul(data if isinstance(data, dict) else {"non_field_errors": data})
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        refuse_nul(data)
        return data


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        result = super().parse(stream, media_type, parser_context)
        refuse_nul(result.data)  # (Django already takes unprintable characters out of the files' names)
        return result
