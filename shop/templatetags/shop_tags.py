from decimal import Decimal, InvalidOperation

from django import template
from django.utils.html import format_html

from shop.formkeys import FIELD, form_key_new
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


@register.simple_tag
def form_key() -> str:
    """A cart form's one-time key, fresh on every rendering (shop/formkeys.py)."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, form_key_new())
