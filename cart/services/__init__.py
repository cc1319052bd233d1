"""The only code that changes a cart, by sub-domain: lines, merge, events."""

from cart.services.events import cart_event_record, cart_record_view
from cart.services.lines import (
    CartChange,
    LineRequest,
    cart_add_line,
    cart_add_lines,
    cart_adjust_line_quantity,
    cart_checkout_ended,
    cart_checkout_started,
    cart_clear,
    cart_convert,
    cart_note_set,
    cart_remove_line,
    cart_replace_lines,
    cart_set_line_quantity,
    cart_site_record,
    cart_token_rotate,
    cart_validate,
)
from cart.services.merge import CappedLine, MergeResult, cart_merge

__all__ = [
    "CappedLine",
    "CartChange",
    "LineRequest",
    "MergeResult",
    "cart_add_line",
    "cart_add_lines",
    "cart_adjust_line_quantity",
    "cart_checkout_ended",
    "cart_checkout_started",
    "cart_clear",
    "cart_convert",
    "cart_event_record",
    "cart_merge",
    "cart_note_set",
    "cart_record_view",
    "cart_remove_line",
    "cart_replace_lines",
    "cart_set_line_quantity",
    "cart_site_record",
    "cart_token_rotate",
    "cart_validate",
]
