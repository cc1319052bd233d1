"""What the cart tells the floors above it."""

from django.dispatch import Signal

# Sent inside the transaction of every change to a cart's lines, merges included, with the
# locked `cart` (its version already moved on). Checkout ends the cart's open checkout, so
# what is paid is always what the shopper last saw.
cart_changed = Signal()
