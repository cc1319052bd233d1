"""Line properties: what a shopper says about one item (an engraving, a gift wrap), checked
against the product's line fields. One rule for the product page, the API and the merge.

Values are text without NUL or other control characters, trimmed, in Unicode NFC, at most
their field's max length (a choice: one of its options). Normalised properties have their
keys sorted and leave out optional fields left empty, so that two adds saying the same thing
land on one cart line (`properties_key`).
"""

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from catalog.exceptions import (
    LinePropertyChoiceError,
    LinePropertyRequiredError,
    LinePropertyTextError,
    LinePropertyTooLongError,
    LinePropertyUnknownError,
)

# The most characters a value may ever have (a field's max length is at most this): also
# what one Stripe metadata value holds.
LINE_VALUE_CEILING = 500
# A field's key is at most this long, so that Stripe metadata keys (`line12_<key>`) stay
# within their 40 characters.
LINE_FIELD_KEY_MAX = 32
LINE_FIELD_KEY_PATTERN = r"^[a-z][a-z0-9_]*\Z"
# The most properties one add may name (more is refused before anything is checked).
MAX_PROPERTIES = 50
# The most line fields one product may have; the most characters of one choice.
LINE_FIELDS_PER_PRODUCT = 20
LINE_CHOICE_MAX = 100
# Control characters a text value may hold: none (a note may hold line breaks and tabs).
NOTE_CONTROLS_ALLOWED = frozenset("\n\t")


class LineField(Protocol):
    key: str
    label: str
    kind: str
    required: bool
    max_length: int
    choices: list


@dataclass(frozen=True)
class LineProperties:
    """Normalised properties of one line: `values` to store and compare, `display` (label
    and value, in the product's field order) to show."""

    values: dict[str, str]
    display: tuple[dict[str, str], ...] = ()

    @property
    def key(self) -> str:
        return properties_key(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)


NO_PROPERTIES = LineProperties(values={})


def properties_key(values: Mapping[str, str]) -> str:
    """The key a cart line's normalised properties are compared by: empty for none, else a
    hash of their canonical JSON (short and fixed, so it can sit in a unique index)."""
    if not values:
        return ""
    canonical = json.dumps(dict(values), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def has_control_characters(value: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Answer whether text holds NUL or another control character (other than `allowed`)."""
    return any(unicodedata.category(c) == "Cc" and c not in allowed for c in value)


def line_field_problem(*, kind: str, choices) -> str | None:
    """What is wrong with a line field's choices for its kind, or None."""
    if kind != "choice":
        return None if not choices else _("Only choice fields have choices.")
    if not isinstance(choices, list) or not choices:
        return _("A choice field needs at least one choice.")
    for choice in choices:
        if not isinstance(choice, str) or not choice.strip() or choice != choice.strip():
            return _("Each choice is text, without spaces around it.")
        if len(choice) > LINE_CHOICE_MAX or has_control_characters(choice):
            return _("Each choice is at most %(max)d printable characters.") % {
                "max": LINE_CHOICE_MAX
            }
    if len(set(choices)) != len(choices):
        return _("Each choice must differ from the others.")
    return None


def _value(field: LineField, raw, variant_id: int | None) -> str:
    if raw is None:
        raw = ""
    if not isinstance(raw, str) or has_control_characters(raw):
        raise LinePropertyTextError(
            _("%(label)s may only hold text.") % {"label": field.label},
            key=field.key,
            variant_id=variant_id,
        )
    value = unicodedata.normalize("NFC", raw.strip())
    if not value:
        if field.required:
            raise LinePropertyRequiredError(
                _("Please fill in %(label)s.") % {"label": field.label},
                key=field.key,
                variant_id=variant_id,
            )
        return ""
    if field.kind == "choice":
        if value not in field.choices:
            raise LinePropertyChoiceError(
                _("Please choose one of the options for %(label)s.") % {"label": field.label},
                key=field.key,
                variant_id=variant_id,
                choices=list(field.choices),
            )
    elif len(value) > field.max_length:
        raise LinePropertyTooLongError(
            _("%(label)s can be at most %(max)d characters.")
            % {"label": field.label, "max": field.max_length},
            key=field.key,
            variant_id=variant_id,
            max_length=field.max_length,
        )
    return value


def line_properties_clean(
    *,
    fields: Iterable[LineField],
    properties: Mapping | None,
    variant_id: int | None = None,
) -> LineProperties:
    """Check what a shopper said about an item against its product's line fields, and
    normalise it. Raises LinePropertyUnknownError, LinePropertyRequiredError,
    LinePropertyTooLongError, LinePropertyChoiceError, LinePropertyTextError (each naming
    the field as `properties.<key>`) for the first problem."""
    fields = list(fields)
    properties = properties or {}
    known = {field.key for field in fields}
    for key in properties:
        if key not in known:
            shown = str(key)[:50]
            raise LinePropertyUnknownError(
                _("This item has no option called “%(key)s”.") % {"key": shown},
                key=shown,
                variant_id=variant_id,
            )
    values: dict[str, str] = {}
    display: list[dict[str, str]] = []
    for field in fields:
        value = _value(field, properties.get(field.key), variant_id)
        if value:
            values[field.key] = value
            display.append({"key": field.key, "label": field.label, "value": value})
    return LineProperties(values=dict(sorted(values.items())), display=tuple(display))
