from django import forms
from django.utils.translation import gettext_lazy as _

MAX_ID = 2**63 - 1
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
    """Undo of a removal: the variants and quantities to put back."""

    def clean(self):
        cleaned = super().clean()
        ids = self.data.getlist("variant_id")
        quantities = self.data.getlist("quantity")
        try:
            pairs = [(int(v), int(q)) for v, q in zip(ids, quantities, strict=True)]
        except ValueError as exc:
            raise forms.ValidationError(_("Nothing to restore.")) from exc
        if not pairs or any(not (0 < v <= MAX_ID and 0 < q <= 1_000_000) for v, q in pairs):
            raise forms.ValidationError(_("Nothing to restore."))
        cleaned["items"] = pairs
        return cleaned
