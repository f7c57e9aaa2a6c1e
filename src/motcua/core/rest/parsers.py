"""The JSON parser of the API: a body nested too deeply for Python's parser is a 400 like any other bad
JSON, not a server error (``json.loads`` raises ``RecursionError``, which DRF's parser lets through)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The JSON body is nested too deeply.")) from None
