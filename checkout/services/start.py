"""Starting a checkout: the cart becomes an order waiting for payment, its stock and promo
use are held, and a payment is opened (a Stripe Checkout Session or the local test page).

The same function for the checkout page and the API. Locks follow shop/locks.py.
"""

import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from cart.locks import lock_cart
from cart.models import Cart, CartEvent
from cart.selectors import CartOwner, cart_load_lines, cart_summary_build, open_cart_queryset
from cart.services import cart_checkout_started, cart_event_record
from checkout import payments
from checkout.address import ShippingAddress
from checkout.claims import NO_CLAIMS, ClaimedTotals, ClaimsRequest, claims_apply
from checkout.exceptions import (
    CartEmptyError,
    CartInvalidError,
    GuestCheckoutsLimitError,
    GuestHoldLimitError,
    PromoCodeError,
    ShippingMethodError,
    TotalChangedError,
)
from checkout.fetch import checkout_quote, shipping_methods
from checkout.locks import lock_orders, lock_promo
from checkout.models import Order, OrderLine, PromoCode, PromoRedemption
from checkout.promotions import promo_refusal, promo_uses
from checkout.services.local_payment import local_payment_token
from checkout.services.payment import (
    cancel_locked,
    expire_session_after_commit,
    order_cancel,
    order_mark_paid,
    record_status,
)
from inventory.selectors import units_held
from inventory.services import stock_reserve
from shop.metrics import CHECKOUT_OPERATIONS, counted

_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class CheckoutStarted:
    order: Order
    payment_url: str


def _new_order_number() -> str:
    while True:
        body = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
        number = f"NW-{body[:4]}-{body[4:]}"
        if not Order.objects.filter(number=number).exists():
            return number


def _claim_promo(*, code: str, subtotal: Decimal, email: str, user) -> PromoCode:
    promo = lock_promo(code)
    uses = promo_uses(promo=promo, email=email, user=user) if promo else (0, 0)
    refusal = promo_refusal(promo=promo, subtotal=subtotal, uses=uses[0], customer_uses=uses[1])
    if refusal:
        raise PromoCodeError(refusal)
    return promo


def guest_limits_check(
    *, owner: CartOwner, cart: Cart, units: int, earlier_orders: Collection[str] = ()
) -> None:
    """Refuse a guest a checkout that would pass CHECKOUT_MAX_OPEN open checkouts or hold more
    than CHECKOUT_HOLD_MAX_UNITS units; a shopper with an account is not capped.

    A guest is its cart token, and in a browser also the session, which names the orders it
    started from other carts (`earlier_orders`). The cart's own open checkout is about to be
    replaced, so it does not count. Raises GuestCheckoutsLimitError, GuestHoldLimitError.
    """
    if owner.user is not None:
        return
    others = []
    if earlier_orders:
        others = list(
            Order.objects.filter(
                number__in=list(earlier_orders),
                user__isnull=True,
                status=Order.Status.PENDING_PAYMENT,
                expires_at__gt=timezone.now(),
            )
            .exclude(cart=cart)
            .values_list("pk", flat=True)
        )
    if len(others) + 1 > settings.CHECKOUT_MAX_OPEN:
        raise GuestCheckoutsLimitError(settings.CHECKOUT_MAX_OPEN)
    held = units_held(order_ids=others)
    if held + units > settings.CHECKOUT_HOLD_MAX_UNITS:
        raise GuestHoldLimitError(settings.CHECKOUT_HOLD_MAX_UNITS, held)


def _checkout_times(owner: CartOwner) -> tuple[datetime, datetime]:
    """When a new checkout's stock hold ends, and until when it may be paid: a guest's hold is
    shorter, while a Stripe session keeps its minimum lifetime."""
    now = timezone.now()
    if owner.user is not None:
        ends = payments.session_lifetime_end(
            now + timedelta(minutes=settings.RESERVATION_TTL_MINUTES)
        )
        return ends, ends
    hold_ends = now + timedelta(minutes=settings.GUEST_RESERVATION_TTL_MINUTES)
    return hold_ends, payments.session_lifetime_end(hold_ends)


@transaction.atomic
def _order_create(
    *,
    owner: CartOwner,
    email: str,
    address: ShippingAddress,
    shipping_method_code: str,
    promo_code: str,
    expected_total: Decimal | None,
    base_url: str,
    source: str,
    earlier_orders: Collection[str],
    claims: ClaimsRequest,
) -> Order:
    address = address.normalized()
    cart = lock_cart(open_cart_queryset(owner))
    lines = cart_load_lines(cart) if cart is not None else []
    if not lines:
        raise CartEmptyError()
    summary = cart_summary_build(cart=cart, lines=lines)
    if not summary.is_valid:
        raise CartInvalidError(issues=summary.issue_reports(blocking_only=True))
    guest_limits_check(
        owner=owner,
        cart=cart,
        units=sum(line.quantity for line in summary.lines),
        earlier_orders=earlier_orders,
    )
    # Starting again replaces the earlier attempt: it never holds stock twice.
    replaced = lock_orders(Order.objects.filter(cart=cart, status=Order.Status.PENDING_PAYMENT))
    if promo_code:
        # Promo codes come before gift cards in the lock order, and ending the earlier
        # attempt releases its cards: take the code's lock first.
        lock_promo(promo_code)
    for earlier in replaced:
        cancel_locked(earlier, reason="replaced", note="replaced by a new checkout")

    user = owner.user
    promo = None
    if promo_code:
        promo = _claim_promo(code=promo_code, subtotal=summary.subtotal, email=email, user=user)
    quote = checkout_quote(
        cart=summary,
        methods=shipping_methods(),
        shipping_method_code=shipping_method_code,
        promo=promo,
        promo_code=promo_code,
    )
    if quote.shipping is None or quote.shipping.code != shipping_method_code:
        raise ShippingMethodError()
    # A payment arriving after the hold ended is a sale only if the stock is still there.
    hold_ends, expires_at = _checkout_times(owner)
    order = Order.objects.create(
        number=_new_order_number(),
        user=user,
        cart=cart,
        email=email,
        currency=summary.currency,
        subtotal=quote.subtotal,
        discount_total=quote.discount_total,
        shipping_total=quote.shipping_total,
        tax_total=quote.estimated_tax,
        total=quote.total,
        amount_due=quote.total,
        promo_code=promo.code if promo else "",
        note=summary.note,
        shipping_method_code=quote.shipping.code,
        shipping_method_name=quote.shipping.name,
        shipping_method_name_translations=quote.shipping.name_translations,
        ship_name=address.name,
        ship_line1=address.line1,
        ship_line2=address.line2,
        ship_city=address.city,
        ship_postal_code=address.postal_code,
        ship_country=address.country,
        ship_phone=address.phone,
        payment_backend=settings.PAYMENT_BACKEND,
        cart_version=cart.version,
        expires_at=expires_at,
        site_url=base_url,
    )
    # Claims of the apps above checkout (points, gift cards) are held before the stock: their
    # rows come before variants in the lock order (shop/locks.py).
    claimed = claims_apply(
        order=order, quote=quote, request=claims, user=user, email=email, preview=False
    )
    if expected_total is not None and expected_total != claimed.total:
        raise TotalChangedError(claimed.total, summary.currency)
    if claims:
        _order_claims_record(order, claimed)
    OrderLine.objects.bulk_create(
        OrderLine(
            order=order,
            variant_id=line.variant_id,
            sku=line.sku,
            product_name=line.product_name,
            variant_name=line.variant_name,
            unit_price=line.current_price,
            quantity=line.quantity,
            line_total=line.line_total,
            tax=tax,
            properties=line.properties,
            properties_display=list(line.properties_display),
        )
        for line, tax in zip(summary.lines, claimed.line_taxes, strict=True)
    )
    stock_reserve(
        order_id=order.pk,
        cart_id=cart.pk,
        lines=[(line.variant_id, line.quantity) for line in summary.lines],
        expires_at=hold_ends,
    )
    if promo is not None:
        PromoRedemption.objects.create(promo=promo, order=order, email=email, user=user)
    record_status(order, Order.Status.PENDING_PAYMENT, "checkout started", from_status="")
    cart_checkout_started(cart=cart, email=email, site_url=base_url)
    cart_event_record(
        event_type=CartEvent.Type.CHECKOUT_STARTED,
        summary=summary,
        user=user,
        source=source,
        change={"order_number": order.number, "total": str(order.total), "email": email},
    )
    if order.amount_due == 0 and order.claims:
        # Gift cards or points pay it all: there is nothing for a payment provider to charge,
        # and the order is paid in the same transaction that held them.
        order = order_mark_paid(
            order_id=order.pk, note="nothing left to pay: paid by gift cards or points"
        )
    return order


def _order_claims_record(order: Order, claimed: ClaimedTotals) -> None:
    result = claimed.result
    order.points_redeemed = result.points_redeemed
    order.points_discount = result.points_discount
    order.tax_total = claimed.totals.estimated_tax
    order.total = claimed.total
    order.gift_card_total = claimed.gift_card_total
    order.amount_due = claimed.amount_due
    order.claims = [claim.stored() for claim in (*result.discounts, *result.tenders)]
    order.save(
        update_fields=[
            "points_redeemed",
            "points_discount",
            "tax_total",
            "total",
            "gift_card_total",
            "amount_due",
            "claims",
            "updated_at",
        ]
    )


@counted(CHECKOUT_OPERATIONS, "start")
def checkout_start(
    *,
    owner: CartOwner,
    email: str,
    address: ShippingAddress,
    shipping_method_code: str,
    promo_code: str = "",
    expected_total: Decimal | None = None,
    base_url: str,
    source: str,
    earlier_orders: Collection[str] = (),
    claims: ClaimsRequest = NO_CLAIMS,
) -> CheckoutStarted:
    """Turn the cart into an order waiting for payment, hold its stock, and open a payment.

    Validates the cart again, holds a guest to its limits (guest_limits_check; a browser
    passes the orders its session started as `earlier_orders`), replaces an earlier pending
    order of the same cart, claims the promo code, reserves stock for RESERVATION_TTL_MINUTES
    (a guest's for GUEST_RESERVATION_TTL_MINUTES) under variant row locks taken in id order,
    holds the claims of the apps above checkout that the shopper asked for (`claims`: loyalty
    points lowering the total, then gift cards paying part of it; checkout/claims.py), then (no
    lock held) creates the Stripe Checkout Session or the test page for what is left to pay,
    or, when gift cards pay it all, marks the order paid at once.
    Raises CartEmptyError, CartInvalidError, GuestCheckoutsLimitError, GuestHoldLimitError,
    ShippingMethodError, PromoCodeError, TotalChangedError, PurchaseRefusedError,
    PaymentProviderError, and whatever a claim's app refuses with (a gift card whose balance
    is no longer enough); on any, nothing is held.
    """
    payments.backend_ensure_ready()  # before anything is held
    order = _order_create(
        owner=owner,
        email=email,
        address=address,
        shipping_method_code=shipping_method_code,
        promo_code=promo_code.strip(),
        expected_total=expected_total,
        base_url=base_url,
        source=source,
        earlier_orders=earlier_orders,
        claims=claims,
    )
    if order.status == Order.Status.PAID:
        return CheckoutStarted(
            order=order,
            payment_url=f"{base_url}{reverse('checkout:success')}?order={order.number}",
        )
    try:
        session = payments.session_create(
            order,
            success_url=base_url + reverse("checkout:success"),
            cancel_url=f"{base_url}{reverse('checkout:cancel')}?order={order.number}",
            test_pay_url=base_url
            + reverse("checkout:test-pay", args=[local_payment_token(order)]),
        )
    except payments.PaymentProviderError:
        order_cancel(order_id=order.pk, reason="payment_unavailable")
        raise
    return CheckoutStarted(order=_order_attach_session(order.pk, session), payment_url=session.url)


@transaction.atomic
def _order_attach_session(order_id: int, session: payments.PaymentSession) -> Order:
    [order] = lock_orders(Order.objects.filter(pk=order_id))
    order.payment_session_id = session.id
    order.payment_url = session.url
    order.save(update_fields=["payment_session_id", "payment_url", "updated_at"])
    if order.status != Order.Status.PENDING_PAYMENT:  # the cart changed meanwhile
        expire_session_after_commit(order)
    return order
