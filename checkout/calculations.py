"""Pure money arithmetic for carts and orders: no database, no side effects."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from shop.money import allocate_money, quantize_money

ZERO = Decimal("0.00")


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
    *, subtotal: Decimal, discount_total: Decimal = ZERO, shipping: Decimal = ZERO
) -> Totals:
    """Compute the totals a shopper sees; tax is rounded once, on the taxable amount."""
    discount_total = min(discount_total, subtotal)
    taxable = subtotal - discount_total + shipping
    tax = tax_on(taxable)
    total = taxable if settings.PRICES_INCLUDE_TAX else taxable + tax
    return Totals(
        subtotal=quantize_money(subtotal),
        discount_total=quantize_money(discount_total),
        shipping=quantize_money(shipping),
        estimated_tax=tax,
        total=quantize_money(total),
    )


def discount_for(*, kind: str, value: Decimal, subtotal: Decimal) -> Decimal:
    """What a promo takes off a subtotal: a percentage (rounded once) or a fixed amount."""
    if kind == "percent":
        return min(subtotal, quantize_money(subtotal * value / 100))
    return min(subtotal, value)


def shipping_for(
    *, price: Decimal, free_over: Decimal | None, discounted_subtotal: Decimal
) -> Decimal:
    """A flat rate, or nothing once the discounted subtotal reaches the free threshold."""
    if free_over is not None and discounted_subtotal >= free_over:
        return ZERO
    return price


def split_tax(*, line_totals: list[Decimal], tax: Decimal) -> list[Decimal]:
    """Share an order's tax across its lines in proportion to their amounts.

    The shares add up to the tax charged and none is negative (see `allocate_money`).
    """
    if not line_totals:
        return []
    if not sum(line_totals, ZERO):
        return [ZERO] * (len(line_totals) - 1) + [tax]
    return allocate_money(tax, weights=line_totals)
