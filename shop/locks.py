"""The shop's one lock order. Writers that lock rows of several kinds take them in this order,
and rows of one kind lowest primary key first, so two writers never wait on each other in a
circle. Each app locks only its own rows, through its own locks.py:

1. carts           cart/locks.py
2. orders          checkout/locks.py
3. promo codes     checkout/locks.py
4. variants        inventory/locks.py (the stock on hand)

Outbox rows (shop/outbox.py) and sent-email claims (shop/services.py) are locked alone, each
in a short transaction of its own.
"""

LOCK_ORDER = ("cart.Cart", "checkout.Order", "checkout.PromoCode", "catalog.Variant")
