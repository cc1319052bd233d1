"""Pure money arithmetic for checkout (promo discounts, shipping, tax per line): no database.

Totals and tax live in shop/money.py with the rounding; this adds what only checkout needs."""

from decimal import Decimal

from shop.money import ZERO, allocate_money, quantize_money


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
