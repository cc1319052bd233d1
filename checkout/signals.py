"""What checkout tells the floors above it: the claims apps above checkout hold on an order.

Gift cards and loyalty points run out like stock and promo uses do: a claim held when the
checkout starts (under the app's own row lock), taken when the order is paid, released when it
is cancelled, expires, is replaced or its cart changes, and given back on a refund. Checkout
cannot import those apps, so it asks through these signals; their receivers live in each app's
receivers.py. /work/wt/notes/seam.md and checkout/claims.py describe the contract. Every signal
is sent with `sender=Order`, inside the transaction that holds the order's row lock.
"""

from django.dispatch import Signal

# Claims that LOWER the total (loyalty points). Arguments: `order` (the new order, or None for a
# preview: then no lock and no write), `request` (a ClaimsRequest: what the shopper asked for),
# `user` (or None), `email`, `room` (the merchandise total after promo discounts: the most all
# discounts together may take). A receiver returns a list of Claim (kind DISCOUNT) or None, or
# raises a DomainError to refuse the checkout (nothing is held then).
order_discounts_hold = Signal()

# Claims that PAY part of the total (gift cards). Same arguments, but `room` is what is left to
# pay, and `lines` a tuple of ClaimLine (variant id, amount with its tax) so a tender may refuse
# to pay for some lines (gift cards never pay for gift cards). Returns a list of Claim (kind
# TENDER) or None, or raises a DomainError (a 409 naming the card: nothing is held then).
order_tenders_hold = Signal()

# The order is being paid (`order`, locked). A receiver turns its holds into spending; a hold
# released meanwhile (paid after cancellation) is taken again only if it still can be. Returns
# a reason (str) when it cannot, and the payment is then refunded; None when all is taken.
# Taking twice does nothing.
order_claims_take = Signal()

# The order ended unpaid (`order`, `reason`: cancelled, expired, replaced, cart_changed, ...).
# A receiver releases its holds still in force. Releasing twice does nothing.
order_claims_release = Signal()

# The order is being refunded (`order`), before Stripe is asked for its part. A receiver gives
# back what the order spent (gift card balances, used points) and takes back what it earned.
# Giving back twice does nothing.
order_claims_refund = Signal()

# The order was just paid (`order`, locked, status paid; inside the same transaction). For what
# a payment starts above checkout: issuing the gift cards bought, earning loyalty points. Side
# effects (emails) go through the outbox so they leave only once it commits.
order_paid = Signal()
