from django import forms
from django.utils.translation import gettext_lazy as _


class StockAlertForm(forms.Form):
    variant_id = forms.IntegerField(min_value=1)
    email = forms.EmailField(label=_("Your email"), required=False, max_length=254)

    def __init__(self, *args, needs_email: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = needs_email


class NotificationPreferencesForm(forms.Form):
    back_in_stock = forms.BooleanField(
        widget=forms.CheckboxInput(attrs={"data-testid": "pref-back-in-stock"}),
        label=_("Back-in-stock alerts"),
        required=False,
        help_text=_("An email when an item you asked about can be bought again."),
    )
    price_drop = forms.BooleanField(
        widget=forms.CheckboxInput(attrs={"data-testid": "pref-price-drop"}),
        label=_("Price-drop alerts"),
        required=False,
        help_text=_("At most one email a day when items on your wishlist get cheaper."),
    )
    cart_reminders = forms.BooleanField(
        widget=forms.CheckboxInput(attrs={"data-testid": "pref-cart-reminders"}),
        label=_("Cart reminders"),
        required=False,
        help_text=_("A reminder when you leave items in your cart."),
    )
