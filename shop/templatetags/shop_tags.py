from decimal import Decimal, InvalidOperation

from django import template

from shop.money import format_money

register = template.Library()


@register.filter
def money(amount, currency: str | None = None) -> str:
    """Format an amount as the shop shows money: `{{ variant.price|money }}`."""
    if amount is None or amount == "":
        return ""
    try:
        return format_money(Decimal(amount), currency or None)
    except (InvalidOperation, TypeError, ValueError):
        return ""
