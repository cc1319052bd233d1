"""Shipping address rules shared by the checkout form and the API."""

import re
from dataclasses import dataclass

from babel import Locale
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

# Babel's territories include regions ("001"), unions and test codes: keep real countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"}
_POSTAL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$")
_PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166 alpha-2 countries, named in the active language, sorted by name."""
    try:
        locale = Locale.parse(to_locale(get_language() or "en"))
    except (ValueError, TypeError):
        locale = Locale.parse("en")
    names = {
        code: name
        for code, name in locale.territories.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES
    }
    return sorted(names.items(), key=lambda item: item[1])


def validate_country(value: str) -> None:
    if value.strip().upper() not in dict(country_choices()):
        raise ValidationError(_("Please choose a country (an ISO 3166 alpha-2 code such as US)."))


def validate_postal_code(value: str) -> None:
    if not _POSTAL.match(value.strip()):
        raise ValidationError(_("Please enter a valid postal code."))


def validate_phone(value: str) -> None:
    if value and not _PHONE.match(value.strip()):
        raise ValidationError(
            _("Please enter a phone number with digits only (and +, spaces or dashes).")
        )


def _tidy(value: str) -> str:
    return " ".join(value.split())


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    phone: str = ""

    def normalized(self) -> "ShippingAddress":
        """The address as the shop stores it, whichever door it came in by (the checkout page
        or the API): spaces tidied, postal code and country in capitals."""
        return ShippingAddress(
            name=_tidy(self.name),
            line1=_tidy(self.line1),
            line2=_tidy(self.line2),
            city=_tidy(self.city),
            postal_code=_tidy(self.postal_code).upper(),
            country=self.country.strip().upper(),
            phone=_tidy(self.phone),
        )
