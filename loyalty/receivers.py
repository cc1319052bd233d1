"""Loyalty's receivers of checkout's order signals (checkout/signals.py): points held when a
checkout starts, redeemed when its order is paid, given back when it ends unpaid, settled on a
refund, earned on payment."""

from checkout.claims import DISCOUNT, Claim
from loyalty import services
from loyalty.exceptions import NotEnoughPointsError, PointsAccountRequiredError
from loyalty.selectors import points_balance

SOURCE = "points"


def points_discount_hold(sender, order, request, user, email, room, **kwargs):
    """Redeem the points the shopper asked for, up to the merchandise total: held for a new
    order, or only priced for a preview. Raises PointsAccountRequiredError (a guest),
    NotEnoughPointsError."""
    if not request.redeem_points:
        return None
    if user is None or not user.is_authenticated:
        raise PointsAccountRequiredError()
    points = min(request.redeem_points, services.points_worth_at_most(room))
    if points <= 0:
        return None
    if order is None:
        balance = points_balance(user=user)
        if balance < points:
            raise NotEnoughPointsError(balance=balance)
    else:
        services.points_hold(user_id=user.pk, order_id=order.pk, points=points)
    return [
        Claim(
            kind=DISCOUNT,
            source=SOURCE,
            reference=services.points_reference(points),
            amount=services.points_value(points),
            points=points,
        )
    ]


def points_take(sender, order, **kwargs):
    """The order is being paid: its held points are redeemed (or why they cannot be)."""
    return services.points_take(
        user_id=order.user_id, order_id=order.pk, points=order.points_redeemed
    )


def points_release(sender, order, reason, **kwargs):
    """The order ended unpaid: its held points come back."""
    services.points_release(user_id=order.user_id, order_id=order.pk)


def points_refund(sender, order, **kwargs):
    """The order is refunded: the points it used come back, those it earned are taken back."""
    services.points_order_refunded(user_id=order.user_id, order_id=order.pk)


def points_earn(sender, order, **kwargs):
    """The order was paid: it earns points for its merchandise, pending for a while."""
    services.points_earn(
        user_id=order.user_id, order_id=order.pk, earnable=services.order_earnable(order)
    )
