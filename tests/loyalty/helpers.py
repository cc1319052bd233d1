"""Checkouts of shoppers with points, as the checkout page and API start them."""

from cart import services as cart_services
from cart.selectors import CartOwner
from checkout import services as checkout_services
from checkout.claims import ClaimsRequest
from loyalty.models import PointsAccount
from loyalty.selectors import points_ledger_totals
from tests.helpers import start


def fill_cart(user, variant, quantity: int = 1) -> CartOwner:
    owner = CartOwner(user=user)
    cart_services.cart_add_line(
        owner=owner, variant_id=variant.pk, quantity=quantity, source="test"
    )
    return owner


def checkout(user, variant, *, quantity: int = 1, redeem: int = 0, gift_cards=(), **overrides):
    """Fill the shopper's cart and start its checkout redeeming `redeem` points (and paying
    with `gift_cards`)."""
    owner = fill_cart(user, variant, quantity)
    claims = ClaimsRequest(gift_cards=tuple(gift_cards), redeem_points=redeem)
    return start(owner, claims=claims, **overrides).order


def pay(order):
    """Pay on the test payment page."""
    return checkout_services.local_payment_complete(order_id=order.pk, succeed=True)


def account_of(user) -> PointsAccount:
    return PointsAccount.objects.get(user=user)


def assert_ledger_adds_up(user) -> None:
    account = account_of(user)
    assert points_ledger_totals(account=account) == (account.balance, account.pending)
    assert account.balance >= 0 and account.pending >= 0
