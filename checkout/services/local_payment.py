"""The test payment backend's page: no money moves; pay and fail drive the very same order
code as Stripe's webhook."""

from django.core import signing
from django.utils import timezone

from checkout import payments
from checkout.exceptions import CheckoutExpiredError, OrderNotFoundError, OrderStateError
from checkout.models import Order
from checkout.services.payment import order_cancel, order_mark_paid

LOCAL_PAY_SALT = "checkout.test-pay"


def local_payment_token(order: Order) -> str:
    """The signed token in the test payment page's address: only its order can be paid there."""
    return signing.dumps(order.pk, salt=LOCAL_PAY_SALT)


def _payable_here(order: Order) -> Order:
    """Only an order started on the test backend, and only where test payments are allowed,
    can be paid on the test page. Raises OrderNotFoundError."""
    if order.payment_backend != "test" or not payments.test_payments_allowed():
        raise OrderNotFoundError()
    return order


def local_payment_order(token: str) -> Order:
    """The order a test payment page's token names. Raises OrderNotFoundError."""
    try:
        order_id = signing.loads(token, salt=LOCAL_PAY_SALT, max_age=60 * 60 * 24)
        order = Order.objects.get(pk=order_id)
    except (signing.BadSignature, Order.DoesNotExist, TypeError, ValueError) as exc:
        raise OrderNotFoundError() from exc
    return _payable_here(order)


def local_payment_complete(*, order_id: int, succeed: bool) -> Order:
    """The test backend's pay and fail buttons: the same order code Stripe's webhook drives.
    Raises CheckoutExpiredError, OrderNotFoundError, OrderStateError."""
    order = _payable_here(Order.objects.get(pk=order_id))
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
