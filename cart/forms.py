import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from cart.models import NOTE_MAX_LENGTH
from catalog.properties import MAX_PROPERTIES

MAX_ID = 2**63 - 1
# A line property's form field: `properties[<key>]` (catalog/properties.py checks the rest).
PROPERTY_FIELD = re.compile(r"properties\[(.{1,100})\]", re.DOTALL)
QUANTITY_ERRORS = {
    "invalid": _("Please enter a whole number."),
    "min_value": _("Please enter a quantity of at least 1."),
    "max_value": _("That quantity is too large."),
}


class AddToCartForm(forms.Form):
    """A product page's add: the variant (none chosen yet on a multi-variant product) and quantity."""

    variant_id = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    product_id = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    quantity = forms.IntegerField(
        min_value=1, max_value=1_000_000, required=False, error_messages=QUANTITY_ERRORS
    )

    def clean_quantity(self) -> int:
        return self.cleaned_data["quantity"] or 1

    def clean(self):
        cleaned = super().clean()
        cleaned["properties"] = posted_properties(self.data)
        return cleaned


def posted_properties(data) -> dict[str, str]:
    """The line properties a form posted as `properties[<key>]` fields."""
    properties = {}
    for name in data:
        if match := PROPERTY_FIELD.fullmatch(name):
            properties[match[1]] = data.get(name)
    if len(properties) > MAX_PROPERTIES:
        raise forms.ValidationError(_("Please check the options you chose."))
    return properties


def _restored_properties(value: str) -> dict:
    """One item's properties as the undo form posts them: JSON text, or empty for none."""
    if not value:
        return {}
    if len(value) > 50_000:
        raise ValueError("too long")
    try:
        properties = json.loads(value)
    except RecursionError as exc:  # deeply nested: not what the undo form posts
        raise ValueError("too deep") from exc
    if not isinstance(properties, dict) or len(properties) > MAX_PROPERTIES:
        raise ValueError("not properties")
    return properties


class LineChangeForm(forms.Form):
    """A line's buttons (increase, decrease) or its typed quantity (set; 0 removes)."""

    action = forms.ChoiceField(
        choices=[("set", "set"), ("increase", "increase"), ("decrease", "decrease")],
        required=False,
    )
    quantity = forms.IntegerField(
        min_value=0, max_value=1_000_000, required=False, error_messages=QUANTITY_ERRORS
    )

    def clean(self):
        cleaned = super().clean()
        cleaned["action"] = cleaned.get("action") or "set"
        if cleaned["action"] == "set" and cleaned.get("quantity") is None and not self.errors:
            self.add_error("quantity", QUANTITY_ERRORS["invalid"])
        return cleaned


class RestoreForm(forms.Form):
    """Undo of a removal: the variants, quantities and properties to put back."""

    def clean(self):
        cleaned = super().clean()
        ids = self.data.getlist("variant_id")
        quantities = self.data.getlist("quantity")
        # Each item's properties as JSON ("" for none); a form from before they existed has none.
        properties = self.data.getlist("properties") or [""] * len(ids)
        try:
            items = [
                (int(v), int(q), _restored_properties(p))
                for v, q, p in zip(ids, quantities, properties, strict=True)
            ]
        except ValueError as exc:  # json.JSONDecodeError is a ValueError
            raise forms.ValidationError(_("Nothing to restore.")) from exc
        if not items or any(not (0 < v <= MAX_ID and 0 < q <= 1_000_000) for v, q, _p in items):
            raise forms.ValidationError(_("Nothing to restore."))
        cleaned["items"] = items
        return cleaned


class NoteForm(forms.Form):
    """The cart note (the service checks its length and characters, as for the API)."""

    note = forms.CharField(
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"maxlength": NOTE_MAX_LENGTH}),
    )


class WishlistToggleForm(forms.Form):
    """A heart: the variant (none chosen yet on a multi-variant product page) and where the
    heart is, so an htmx answer draws it back the same way."""

    variant_id = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    place = forms.ChoiceField(choices=[("page", "page"), ("card", "card")], required=False)
