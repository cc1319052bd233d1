from django import forms
from django.utils.translation import gettext_lazy as _

from checkout.address import country_choices, validate_phone, validate_postal_code
from checkout.claims import MAX_GIFT_CARDS, ClaimsRequest


class CodeListField(forms.Field):
    """Codes carried from one step of the form to the next as hidden inputs (gift cards)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        if not value:
            return []
        values = value if isinstance(value, list | tuple) else [value]
        codes = [str(code).strip()[:40] for code in values if str(code).strip()]
        if any("\x00" in code for code in codes):
            raise forms.ValidationError(_("Gift card codes are letters and digits."))
        if len(codes) > MAX_GIFT_CARDS:
            raise forms.ValidationError(
                _("At most %(count)d gift cards can pay for one order.")
                % {"count": MAX_GIFT_CARDS}
            )
        return list(dict.fromkeys(codes))


class CheckoutForm(forms.Form):
    """Contact, shipping address, shipping method and promo code: input checks only."""

    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "data-testid": "email-input"}),
    )
    name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    line1 = forms.CharField(
        label=_("Address"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    line2 = forms.CharField(
        label=_("Apartment, suite, etc."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "address-line2"}),
    )
    city = forms.CharField(
        label=_("City"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code"}),
    )
    country = forms.ChoiceField(
        label=_("Country"), widget=forms.Select(attrs={"autocomplete": "country"})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
        help_text=_("For the courier, if they need to reach you."),
    )
    shipping_method = forms.ChoiceField(label=_("Shipping"), widget=forms.RadioSelect)
    promo_code = forms.CharField(label=_("Promo code"), max_length=40, required=False)
    # Gift cards applied so far, and the one being typed in (checked when applied).
    gift_cards = CodeListField(required=False)
    gift_card_code = forms.CharField(
        label=_("Gift card"),
        max_length=40,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "data-testid": "gift-card-input", "spellcheck": "false"}
        ),
    )
    redeem_points = forms.IntegerField(
        label=_("Points to redeem"),
        min_value=0,
        max_value=10**9,
        required=False,
        widget=forms.NumberInput(attrs={"data-testid": "points-redeem-input", "min": "0"}),
    )
    expected_total = forms.DecimalField(
        max_digits=12, decimal_places=2, required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, shipping_codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Choose a country")), *country_choices()]
        self.fields["shipping_method"].choices = shipping_codes

    def clean_postal_code(self) -> str:
        value = self.cleaned_data["postal_code"]
        validate_postal_code(value)
        return value

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        validate_phone(value)
        return value

    def claims_request(self) -> ClaimsRequest:
        """What the shopper asked the apps above checkout for (a valid form)."""
        codes = list(self.cleaned_data.get("gift_cards") or ())
        typed = (self.cleaned_data.get("gift_card_code") or "").strip()
        if typed and typed not in codes:  # typed but not applied: it still pays
            codes.append(typed)
        return ClaimsRequest(
            gift_cards=tuple(codes),
            redeem_points=self.cleaned_data.get("redeem_points") or 0,
        )

    def clean_gift_card_code(self) -> str:
        value = self.cleaned_data["gift_card_code"]
        if "\x00" in value:
            raise forms.ValidationError(_("Gift card codes are letters and digits."))
        return value.strip()

    def clean_promo_code(self) -> str:
        return self.cleaned_data["promo_code"].strip().upper()
