from django import forms
from django.utils.translation import gettext_lazy as _


class GiftCardBalanceForm(forms.Form):
    code = forms.CharField(
        label=_("Gift card code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "placeholder": "XXXX-XXXX-XXXX-XXXX",
                "data-testid": "gift-card-code-input",
            }
        ),
    )

    def clean_code(self) -> str:
        value = self.cleaned_data["code"]
        if "\x00" in value:
            raise forms.ValidationError(_("Gift card codes are letters and digits."))
        return value
