"""The API's JSON parser: DRF's, with a body nested too deep answered 400 like any bad JSON."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request body of the API nests deeper than a few levels; this leaves room to grow.
MAX_DEPTH = 32


def _deeper_than(data, limit: int) -> bool:
    """Whether lists and objects in `data` nest deeper than `limit` (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = list(value.values())
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        pending.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:  # the decoder's own limit, a 500 otherwise
            raise ParseError(_("JSON parse error - nested too deeply.")) from exc
        if _deeper_than(data, MAX_DEPTH):
            raise ParseError(_("JSON parse error - nested too deeply."))
        return data
