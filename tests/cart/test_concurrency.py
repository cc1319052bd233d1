"""Several tabs writing to one cart at once, on PostgreSQL with real threads."""

import pytest

from cart import services
from cart.models import Cart, CartLine
from cart.selectors import CartOwner
from tests.factories import UserFactory, VariantFactory
from tests.helpers import run_at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_tabs_adding_the_same_variant_at_once_end_with_one_exact_line():
    variant = VariantFactory(stock_on_hand=100)
    first = services.cart_add_line(
        owner=CartOwner(), variant_id=variant.pk, quantity=1, source="test"
    )
    owner = CartOwner(token=first.summary.token)

    errors = run_at_once(
        8,
        lambda i: services.cart_add_line(
            owner=owner, variant_id=variant.pk, quantity=2, source="test"
        ),
    )

    assert errors == []
    line = CartLine.objects.get()
    assert line.quantity == 1 + 8 * 2
    assert Cart.objects.get().version == 1 + 1 + 8


def test_a_users_first_adds_at_once_make_one_cart():
    user = UserFactory()
    variant = VariantFactory(stock_on_hand=100)

    errors = run_at_once(
        6,
        lambda i: services.cart_add_line(
            owner=CartOwner(user=user), variant_id=variant.pk, quantity=1, source="test"
        ),
    )

    assert errors == []
    cart = Cart.objects.get(user=user)
    assert cart.lines.get().quantity == 6


def test_concurrent_raises_never_pass_the_stock():
    variant = VariantFactory(stock_on_hand=5)
    first = services.cart_add_line(owner=CartOwner(), variant_id=variant.pk, source="test")
    owner = CartOwner(token=first.summary.token)
    line_id = first.summary.lines[0].id

    errors = run_at_once(
        8,
        lambda i: services.cart_adjust_line_quantity(
            owner=owner, line_id=line_id, delta=1, source="test"
        ),
    )

    assert CartLine.objects.get().quantity == 5
    assert len(errors) == 4
    assert all(getattr(e, "code", "") == "insufficient_stock" for e in errors)
