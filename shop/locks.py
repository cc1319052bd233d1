"""The shop's one lock order. Writers that lock rows of several kinds take them in this order,
and rows of one kind lowest primary key first, so two writers never wait on each other in a
circle. Each app locks only its own rows, through its own locks.py:

1. carts           cart/locks.py
2. orders          checkout/locks.py
3. promo codes     checkout/locks.py
4. gift cards      giftcards/locks.py (their balances)
5. points accounts loyalty/locks.py (a shopper's points)
6. variants        inventory/locks.py (the stock on hand)

Gift cards and points accounts are claims held on an order by apps above checkout, through
checkout/signals.py: checkout holds them before it reserves stock and takes them before it
takes stock, so their rows come before variants. A writer that needs none of the earlier kinds
(staff adjusting a card, the points job) takes only its own rows.

Outbox rows (shop/outbox.py) and sent-email claims (shop/services.py) are locked alone, each
in a short transaction of its own.
"""

LOCK_ORDER = (
    "cart.Cart",
    "checkout.Order",
    "checkout.PromoCode",
    "giftcards.GiftCard",
    "loyalty.PointsAccount",
    "catalog.Variant",
)
