"""Checkout, payment and orders: every write, one function per rule.

Reached from the checkout page, the API, the Stripe webhook, the success page, the test
payment page, the admin and the Celery tasks alike. Locks are taken through checkout/locks.py
in one order: carts, then orders, then promo codes, then variants. No lock is ever held while
Stripe is called; calls that must follow a change wait for its commit.
"""

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from cart.events import cart_event_record
from cart.exceptions import PurchaseRefusedError
from cart.models import Cart, CartEvent
from cart.selectors import CartOwner, cart_load_lines, cart_summary_build, open_cart_queryset
from catalog.availability import Refusal, only_left_message
from catalog.models import Variant
from catalog.selectors import variant_queryset_with_availability
from checkout import payments
from checkout.calculations import split_tax
from checkout.exceptions import (
    CartEmptyError,
    CartInvalidError,
    CheckoutExpiredError,
    OrderNotFoundError,
    OrderStateError,
    PromoCodeError,
    ShippingMethodError,
    TotalChangedError,
)
from checkout.fetch import checkout_quote, shipping_methods
from checkout.locks import lock_cart, lock_orders, lock_promo, lock_variants
from checkout.models import (
    Order,
    OrderLine,
    OrderStatusChange,
    PromoCode,
    PromoRedemption,
    StockReservation,
    StripeEvent,
)
from checkout.promotions import promo_refusal, promo_uses
from shop.metrics import CHECKOUT_OPERATIONS, counted
from shop.outbox import task_send_after_commit

logger = logging.getLogger(__name__)

TEST_PAY_SALT = "checkout.test-pay"
_NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


@dataclass(frozen=True)
class ShippingAddress:
    name: str
    line1: str
    city: str
    postal_code: str
    country: str
    line2: str = ""
    phone: str = ""


@dataclass(frozen=True)
class CheckoutStarted:
    order: Order
    payment_url: str


# ---------------------------------------------------------------------------
# Helpers: run inside a service's transaction
# ---------------------------------------------------------------------------


def _new_order_number() -> str:
    while True:
        body = "".join(secrets.choice(_NUMBER_ALPHABET) for _ in range(8))
        number = f"NW-{body[:4]}-{body[4:]}"
        if not Order.objects.filter(number=number).exists():
            return number


def _record_status(
    order: Order, to_status: str, note: str = "", from_status: str | None = None
) -> None:
    OrderStatusChange.objects.create(
        order=order,
        from_status=order.status if from_status is None else from_status,
        to_status=to_status,
        note=note[:200],
    )


def _expire_session_after_commit(order: Order) -> None:
    if order.payment_session_id and payments.uses_stripe():
        from checkout.tasks import payment_session_expire_task

        task_send_after_commit(payment_session_expire_task, session_id=order.payment_session_id)


def _cancel_locked(
    order: Order, *, reason: str, note: str = "", expire_session: bool = True
) -> bool:
    """Cancel a locked order waiting for payment: release its stock and promo claim, and
    (unless told not to) end its Checkout Session so it can no longer be paid."""
    if order.status != Order.Status.PENDING_PAYMENT:
        return False
    now = timezone.now()
    StockReservation.objects.filter(order=order, status=StockReservation.Status.ACTIVE).update(
        status=StockReservation.Status.RELEASED
    )
    PromoRedemption.objects.filter(order=order, status=PromoRedemption.Status.CLAIMED).update(
        status=PromoRedemption.Status.RELEASED
    )
    _record_status(order, Order.Status.CANCELLED, note or reason)
    order.status = Order.Status.CANCELLED
    order.cancel_reason = reason
    order.cancelled_at = now
    order.save(update_fields=["status", "cancel_reason", "cancelled_at", "updated_at"])
    if expire_session:
        _expire_session_after_commit(order)
    return True


def _available_by_variant(variant_ids: list[int]) -> dict[int, int]:
    rows = variant_queryset_with_availability().filter(pk__in=variant_ids)
    return {variant.pk: variant.available_stock for variant in rows}


def _claim_promo(*, code: str, subtotal: Decimal, email: str, user) -> PromoCode:
    promo = lock_promo(code)
    uses = promo_uses(promo=promo, email=email, user=user) if promo else (0, 0)
    refusal = promo_refusal(promo=promo, subtotal=subtotal, uses=uses[0], customer_uses=uses[1])
    if refusal:
        raise PromoCodeError(refusal)
    return promo


# ---------------------------------------------------------------------------
# Starting a checkout
# ---------------------------------------------------------------------------


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
) -> Order:
    cart = lock_cart(open_cart_queryset(owner))
    lines = cart_load_lines(cart) if cart is not None else []
    if not lines:
        raise CartEmptyError()
    summary = cart_summary_build(cart=cart, lines=lines)
    if not summary.is_valid:
        raise CartInvalidError(
            issues=[
                {
                    "line_id": line.id,
                    "issue_type": issue.type,
                    "message": issue.message,
                    "available_quantity": issue.available_quantity,
                }
                for line, issue in summary.issues
                if issue.blocking
            ]
        )
    # Starting again replaces the earlier attempt: it never holds stock twice.
    for earlier in lock_orders(
        Order.objects.filter(cart=cart, status=Order.Status.PENDING_PAYMENT)
    ):
        _cancel_locked(earlier, reason="replaced", note="replaced by a new checkout")

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
    if expected_total is not None and expected_total != quote.total:
        raise TotalChangedError(quote.total, summary.currency)

    variant_ids = sorted({line.variant_id for line in summary.lines})
    lock_variants(variant_ids)
    available = _available_by_variant(variant_ids)
    for line in summary.lines:
        if line.quantity > available.get(line.variant_id, 0):
            left = max(0, available.get(line.variant_id, 0))
            raise PurchaseRefusedError(
                Refusal(
                    "insufficient_stock" if left else "out_of_stock", only_left_message(left), left
                ),
                variant_id=line.variant_id,
            )

    now = timezone.now()
    expires_at = payments.session_lifetime_end(
        now + timedelta(minutes=settings.RESERVATION_TTL_MINUTES)
    )
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
        promo_code=promo.code if promo else "",
        shipping_method_code=quote.shipping.code,
        shipping_method_name=quote.shipping.name,
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
    taxes = split_tax(
        line_totals=[line.line_total for line in summary.lines], tax=quote.estimated_tax
    )
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
        )
        for line, tax in zip(summary.lines, taxes, strict=True)
    )
    StockReservation.objects.bulk_create(
        StockReservation(
            variant_id=line.variant_id, order=order, quantity=line.quantity, expires_at=expires_at
        )
        for line in summary.lines
    )
    if promo is not None:
        PromoRedemption.objects.create(promo=promo, order=order, email=email, user=user)
    _record_status(order, Order.Status.PENDING_PAYMENT, "checkout started", from_status="")
    if cart.user_id is None and cart.email != email:
        # Where a reminder can go if this guest leaves the cart behind.
        Cart.objects.filter(pk=cart.pk).update(email=email)
    if not cart.site_url:
        Cart.objects.filter(pk=cart.pk).update(site_url=base_url)
    cart_event_record(
        event_type=CartEvent.Type.CHECKOUT_STARTED,
        summary=summary,
        user=user,
        source=source,
        change={"order_number": order.number, "total": str(order.total), "email": email},
    )
    return order


def test_pay_token(order: Order) -> str:
    """The signed token in the test payment page's address: only its order can be paid there."""
    return signing.dumps(order.pk, salt=TEST_PAY_SALT)


def test_pay_order(token: str) -> Order:
    """The order a test payment page's token names. Raises OrderNotFoundError."""
    try:
        order_id = signing.loads(token, salt=TEST_PAY_SALT, max_age=60 * 60 * 24)
        return Order.objects.get(pk=order_id)
    except (signing.BadSignature, Order.DoesNotExist, TypeError, ValueError) as exc:
        raise OrderNotFoundError() from exc


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
) -> CheckoutStarted:
    """Turn the cart into an order waiting for payment, hold its stock, and open a payment.

    Validates the cart again, replaces an earlier pending order of the same cart, claims the
    promo code, reserves stock for RESERVATION_TTL_MINUTES under variant row locks taken in
    id order, then (no lock held) creates the Stripe Checkout Session or the test page.
    Raises CartEmptyError, CartInvalidError, ShippingMethodError, PromoCodeError,
    TotalChangedError, PurchaseRefusedError, PaymentProviderError; on any, nothing is held.
    """
    order = _order_create(
        owner=owner,
        email=email,
        address=address,
        shipping_method_code=shipping_method_code,
        promo_code=promo_code.strip(),
        expected_total=expected_total,
        base_url=base_url,
        source=source,
    )
    try:
        session = payments.session_create(
            order,
            success_url=base_url + reverse("checkout:success"),
            cancel_url=f"{base_url}{reverse('checkout:cancel')}?order={order.number}",
            test_pay_url=base_url + reverse("checkout:test-pay", args=[test_pay_token(order)]),
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
        _expire_session_after_commit(order)
    return order


# ---------------------------------------------------------------------------
# Paying, failing, expiring
# ---------------------------------------------------------------------------


def _find_order(*, order_id: int | None = None, session_id: str = "") -> dict:
    orders = Order.objects.all()
    if order_id is not None:
        orders = orders.filter(pk=order_id)
    elif session_id:
        orders = orders.filter(payment_session_id=session_id)
    else:
        raise OrderNotFoundError()
    found = orders.values("pk", "cart_id").first()
    if found is None:
        raise OrderNotFoundError()
    return found


def _take_stock(order: Order) -> bool:
    """Turn the order's stock into sales under variant locks; False when it is gone.

    Reservations still in force are decrements already accounted for. A lapsed or released
    reservation only becomes a sale if the stock is still free for someone else's sake.
    """
    lines = list(order.lines.exclude(variant_id=None))
    variant_ids = sorted({line.variant_id for line in lines})
    variants = lock_variants(variant_ids)
    now = timezone.now()
    held = {
        r.variant_id: r.quantity
        for r in order.reservations.filter(
            status=StockReservation.Status.ACTIVE, expires_at__gt=now
        )
    }
    available = _available_by_variant(variant_ids)
    for line in lines:
        if line.variant_id not in held and line.quantity > available.get(line.variant_id, 0):
            return False
        if line.quantity > variants[line.variant_id].stock_on_hand:  # staff counted less since
            return False
    for line in lines:
        Variant.objects.filter(pk=line.variant_id).update(
            stock_on_hand=F("stock_on_hand") - line.quantity
        )
    order.reservations.exclude(status=StockReservation.Status.CONVERTED).update(
        status=StockReservation.Status.CONVERTED
    )
    return True


@counted(CHECKOUT_OPERATIONS, "mark_paid")
def order_mark_paid(
    *, order_id: int | None = None, session_id: str = "", payment_intent: str = "", note: str = ""
) -> Order:
    """Record an order's payment, once: stock becomes sales, the cart is converted, the promo
    use counts, and a confirmation email is queued.

    Safe to call again and from several places at once (webhook, success page, test page):
    the order is re-read under its cart's and its own lock and a paid order is returned as
    it is. Other checkouts of the same cart still waiting for payment end, so one cart is
    never paid twice; a payment that arrives anyway, or for stock no longer there, is
    refunded. A payment for an order already cancelled otherwise becomes a sale. The cart is
    converted only if it still holds what was ordered. Raises OrderNotFoundError.
    """
    found = _find_order(order_id=order_id, session_id=session_id)
    with transaction.atomic():
        cart = lock_cart(Cart.objects.filter(pk=found["cart_id"])) if found["cart_id"] else None
        orders = Order.objects.filter(pk=found["pk"])
        if cart is not None:
            orders |= Order.objects.filter(cart=cart, status=Order.Status.PENDING_PAYMENT)
        locked = lock_orders(orders)
        [order] = [o for o in locked if o.pk == found["pk"]]
        if order.status in {Order.Status.PAID, Order.Status.FULFILLED, Order.Status.REFUNDED}:
            return order
        if payment_intent:
            order.payment_intent_id = payment_intent
        was_cancelled = order.status == Order.Status.CANCELLED
        redemption = PromoRedemption.objects.filter(order=order).first()
        if redemption is not None:
            lock_promo(redemption.promo.code)
        if _cart_already_paid(order):
            return _refund_unwanted_payment(order, "paid again for a cart already paid")
        if not _take_stock(order):
            return _refund_unwanted_payment(order, "paid after the stock was gone")
        _record_status(
            order,
            Order.Status.PAID,
            note or ("paid after cancellation" if was_cancelled else "paid"),
        )
        order.status = Order.Status.PAID
        order.paid_at = timezone.now()
        order.cancel_reason = ""
        order.save(
            update_fields=["status", "paid_at", "cancel_reason", "payment_intent_id", "updated_at"]
        )
        if redemption is not None:
            redemption.status = PromoRedemption.Status.REDEEMED
            redemption.save(update_fields=["status"])
            PromoCode.objects.filter(pk=redemption.promo_id).update(times_used=F("times_used") + 1)
        for other in locked:
            if other.pk != order.pk:
                _cancel_locked(other, reason="replaced", note=f"{order.number} was paid instead")
        if (
            cart is not None
            and cart.status == Cart.Status.OPEN
            and cart.version == order.cart_version
        ):
            _cart_convert(cart, order)
        from checkout.tasks import order_confirmation_send_task

        task_send_after_commit(order_confirmation_send_task, order_id=order.pk)
        return order


def _cart_already_paid(order: Order) -> bool:
    """Whether another order made from the same cart, as it was then, is already paid."""
    return (
        order.cart_id is not None
        and Order.objects.filter(
            cart_id=order.cart_id,
            cart_version=order.cart_version,
            status__in=[Order.Status.PAID, Order.Status.FULFILLED],
        )
        .exclude(pk=order.pk)
        .exists()
    )


def _refund_unwanted_payment(order: Order, why: str) -> Order:
    """A payment the shop cannot honour: the (locked) order ends cancelled and the money goes
    back. Its Checkout Session is complete, so it is not expired."""
    note = f"{why}: refunding"
    if not _cancel_locked(order, reason="refunded_payment", note=note, expire_session=False):
        _record_status(order, order.status, note)
    order.save(update_fields=["payment_intent_id", "updated_at"])
    from checkout.tasks import order_refund_task

    task_send_after_commit(order_refund_task, order_id=order.pk, note=why)
    return order


def _cart_convert(cart: Cart, order: Order) -> None:
    """The cart became this order: the shopper starts afresh; a reminded cart counts as recovered."""
    if cart.reminded_at is not None:
        cart_event_record(
            event_type=CartEvent.Type.CART_RECOVERED,
            summary=cart_summary_build(cart=cart, lines=cart_load_lines(cart)),
            user=order.user,
            source="payment",
            change={"order_number": order.number, "via": "payment"},
        )
    cart.status = Cart.Status.CONVERTED
    cart.updated_at = timezone.now()
    cart.save(update_fields=["status", "updated_at"])


@counted(CHECKOUT_OPERATIONS, "cancel")
def order_cancel(*, order_id: int | None = None, session_id: str = "", reason: str) -> Order:
    """Cancel an order still waiting for payment (failed, expired, abandoned): its stock and
    promo claim are released and the cart stays as it was. A no-op for any other status.
    Raises OrderNotFoundError."""
    found = _find_order(order_id=order_id, session_id=session_id)
    with transaction.atomic():
        [order] = lock_orders(Order.objects.filter(pk=found["pk"]))
        _cancel_locked(order, reason=reason)
        return order


def checkout_cancel_for_cart_change(*, cart: Cart) -> int:
    """End every checkout of a cart that just changed (its cart row is locked by the caller),
    so what is paid is always what the shopper last saw. Returns how many were ended."""
    pending = lock_orders(Order.objects.filter(cart=cart, status=Order.Status.PENDING_PAYMENT))
    return sum(_cancel_locked(order, reason="cart_changed") for order in pending)


def payment_sync(*, order: Order) -> Order:
    """Ask the payment provider how an open order stands and apply it (the success page's way
    of showing a paid order before the webhook arrives)."""
    if order.status != Order.Status.PENDING_PAYMENT or not order.payment_session_id:
        return order
    state = payments.session_state(order.payment_session_id)
    if state is None:
        return order
    if state.is_paid:
        return order_mark_paid(order_id=order.pk, payment_intent=state.payment_intent)
    if state.status == "expired":
        return order_cancel(order_id=order.pk, reason="expired")
    return order


def test_payment_complete(*, order_id: int, succeed: bool) -> Order:
    """The test backend's pay and fail buttons: the same order code Stripe's webhook drives.
    Raises CheckoutExpiredError, OrderStateError."""
    order = Order.objects.get(pk=order_id)
    if order.status != Order.Status.PENDING_PAYMENT:
        if order.status in {Order.Status.PAID, Order.Status.FULFILLED}:
            return order
        raise OrderStateError()
    if not succeed:
        return order_cancel(order_id=order_id, reason="payment_failed")
    if order.expires_at <= timezone.now():
        order_cancel(order_id=order_id, reason="expired")
        raise CheckoutExpiredError()
    return order_mark_paid(
        order_id=order_id, payment_intent=f"test_pi_{order.number}", note="paid (test)"
    )


# Stripe's Checkout Session events and what each does to its order.
_STRIPE_EVENTS = {
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
    "checkout.session.async_payment_failed",
    "checkout.session.expired",
}


@transaction.atomic
def stripe_event_apply(*, event: payments.WebhookEvent) -> str:
    """Apply a verified Stripe webhook event at most once; events may come in any order.

    Returns what was done: "duplicate", "ignored", "paid", "cancelled", "waiting" or "unknown_order".
    """
    try:
        with transaction.atomic():
            record = StripeEvent.objects.create(event_id=event.id[:255], type=event.type[:100])
    except IntegrityError:
        return "duplicate"
    if event.type not in _STRIPE_EVENTS:
        return "ignored"
    try:
        found = _find_order(order_id=event.order_id, session_id=event.session.id)
    except OrderNotFoundError:
        try:
            found = _find_order(session_id=event.session.id)
        except OrderNotFoundError:
            logger.warning("Stripe event %s names no order we know", event.id)
            return "unknown_order"
    record.order_id = found["pk"]
    record.save(update_fields=["order"])
    if event.type == "checkout.session.expired":
        order_cancel(order_id=found["pk"], reason="expired")
        return "cancelled"
    if event.type == "checkout.session.async_payment_failed":
        order_cancel(order_id=found["pk"], reason="payment_failed")
        return "cancelled"
    if event.type == "checkout.session.completed" and not event.session.is_paid:
        return "waiting"  # a delayed payment method: async_payment_succeeded follows
    order_mark_paid(order_id=found["pk"], payment_intent=event.session.payment_intent)
    return "paid"


def orders_expire_due(*, now=None, batch_size: int = 200) -> int:
    """Cancel orders whose payment time ran out, releasing their stock. Returns how many."""
    now = now or timezone.now()
    done = 0
    while True:
        due = list(
            Order.objects.filter(status=Order.Status.PENDING_PAYMENT, expires_at__lte=now)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        for order_id in due:
            done += (
                order_cancel(order_id=order_id, reason="expired").status == Order.Status.CANCELLED
            )
        if len(due) < batch_size:
            return done


# ---------------------------------------------------------------------------
# After payment: staff actions
# ---------------------------------------------------------------------------


@transaction.atomic
def order_fulfil(*, order_id: int) -> Order:
    """Mark a paid order as shipped. Raises OrderStateError for any other status."""
    orders = lock_orders(Order.objects.filter(pk=order_id))
    if not orders:
        raise OrderNotFoundError()
    order = orders[0]
    if order.status != Order.Status.PAID:
        raise OrderStateError()
    _record_status(order, Order.Status.FULFILLED, "fulfilled")
    order.status = Order.Status.FULFILLED
    order.save(update_fields=["status", "updated_at"])
    return order


@counted(CHECKOUT_OPERATIONS, "refund")
def order_refund(*, order_id: int, note: str = "refunded") -> Order:
    """Refund a paid or fulfilled order in full, through Stripe when it paid there.

    The provider is called first and outside any lock (with an idempotency key per order),
    then the order is marked refunded. Raises OrderStateError, PaymentProviderError."""
    order = Order.objects.get(pk=order_id)
    refundable = {Order.Status.PAID, Order.Status.FULFILLED}
    stranded = order.status == Order.Status.CANCELLED and bool(order.payment_intent_id)
    if order.status == Order.Status.REFUNDED:
        return order
    if order.status not in refundable and not stranded:
        raise OrderStateError()
    refund_id = payments.refund(order)
    with transaction.atomic():
        [order] = lock_orders(Order.objects.filter(pk=order_id))
        if order.status != Order.Status.REFUNDED:
            _record_status(order, Order.Status.REFUNDED, f"{note} ({refund_id})")
            order.status = Order.Status.REFUNDED
            order.save(update_fields=["status", "updated_at"])
    return order
