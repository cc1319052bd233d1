"""Money: rounded here and only here, formatted for the active locale by Babel."""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency, get_currency_precision, get_currency_symbol
from django.conf import settings
from django.utils.translation import get_language, get_language_bidi, to_locale

ZERO = Decimal("0.00")


def currency_exponent(currency: str | None = None) -> Decimal:
    """Return the smallest unit of the currency as a Decimal exponent (0.01 for USD)."""
    digits = get_currency_precision(currency or settings.SHOP_CURRENCY)
    return Decimal(1).scaleb(-digits)


def quantize_money(amount: Decimal, currency: str | None = None) -> Decimal:
    """Round an amount to the currency's minor unit, half up: the shop's one rounding rule."""
    return Decimal(amount).quantize(currency_exponent(currency), rounding=ROUND_HALF_UP)


def allocate_money(amount: Decimal, *, weights: list[Decimal]) -> list[Decimal]:
    """Share a rounded amount in proportion to positive weights, in whole minor units.

    Each share is cut down to the minor unit and the units left over go, one each, to the
    shares that lost the most to the cut: the shares add up to `amount` and none is negative.
    """
    unit = currency_exponent()
    base = sum(weights, Decimal(0))
    exact = [amount * weight / base for weight in weights]
    shares = [share.quantize(unit, rounding=ROUND_DOWN) for share in exact]
    leftover = int((amount - sum(shares, Decimal(0))) / unit)
    by_loss = sorted(range(len(shares)), key=lambda i: exact[i] - shares[i], reverse=True)
    for i in by_loss[:leftover]:
        shares[i] += unit
    return shares


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    discount_total: Decimal
    shipping: Decimal
    estimated_tax: Decimal
    total: Decimal


def tax_on(amount: Decimal) -> Decimal:
    """Return the tax on an amount: added on top, or the part already inside tax-inclusive prices."""
    rate = settings.TAX_RATE
    if settings.PRICES_INCLUDE_TAX:
        return quantize_money(amount - amount / (1 + rate))
    return quantize_money(amount * rate)


def totals_for(
    *,
    subtotal: Decimal,
    discount_total: Decimal = ZERO,
    shipping: Decimal = ZERO,
    points_discount: Decimal = ZERO,
) -> Totals:
    """Compute the totals a shopper sees; tax is rounded once, on the taxable amount.

    Loyalty points redeemed (`points_discount`) are a discount the shop gives: they lower the
    taxable amount like a promo does, and together with it never take more than the subtotal.
    """
    discount_total = min(discount_total, subtotal)
    points_discount = min(points_discount, subtotal - discount_total)
    taxable = subtotal - discount_total - points_discount + shipping
    tax = tax_on(taxable)
    total = taxable if settings.PRICES_INCLUDE_TAX else taxable + tax
    return Totals(
        subtotal=quantize_money(subtotal),
        discount_total=quantize_money(discount_total),
        shipping=quantize_money(shipping),
        estimated_tax=tax,
        total=quantize_money(total),
    )


@lru_cache(maxsize=8192)
def _formatted(amount: Decimal, currency: str, locale: str, isolate: bool) -> str:
    # Babel parses its locale data on every call; shops show the same prices over and over.
    text = format_currency(amount, currency, locale=locale)
    if not isolate:
        return text
    # Arabic's pattern is "‏349.00 US$" (the symbol after the number, read right to left).
    # Left alone, the "$" at the end takes the right-to-left direction and jumps ahead of
    # "US" ("$US 349.00"); isolated, the symbol stays whole and the amount reads
    # "US$ 349.00" from the left, as CLDR means it to.
    symbol = get_currency_symbol(currency, locale=locale)
    if symbol and symbol in text:
        text = text.replace(symbol, f"\u2068{symbol}\u2069", 1)
    return f"\u2068{text}\u2069"


def format_money(amount: Decimal, currency: str | None = None, locale: str | None = None) -> str:
    """Format an amount for people in the active language (`$1,499.97` in en-US).

    In right-to-left languages the amount and its currency symbol are each isolated
    (U+2068 … U+2069), so that the sign, symbol and digits keep their order inside Arabic
    text: `US$ 349.00` as it shows on screen in Arabic.
    """
    language = get_language() or settings.LANGUAGE_CODE
    return _formatted(
        Decimal(amount),
        currency or settings.SHOP_CURRENCY,
        locale or to_locale(language),
        locale is None and get_language_bidi(),
    )
