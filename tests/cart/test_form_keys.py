"""Cart forms carry a one-time key: a send repeated after a lost answer changes nothing twice
(issue 17, point 4). Each asked as a plain form post and with htmx."""

import re

import pytest

from cart.models import Cart, CartLine, WishlistItem
from shop.formkeys import form_key_new
from tests.factories import CartFactory, CartLineFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/cart/"}
KEY_INPUT = re.compile(r'<input type="hidden" name="form_key" value="([A-Za-z0-9_-]+)">')


@pytest.fixture
def guest(client):
    """A guest whose browser already has a session (and a cart): they have looked around."""
    client.post("/cart/add/", {"variant_id": VariantFactory(stock_on_hand=50).pk})
    return client


def guest_cart(client) -> Cart:
    return Cart.objects.get(token=client.session["cart_token"])


def send_twice(client, url, data, headers=None):
    first = client.post(url, data, headers=headers or {})
    second = client.post(url, data, headers=headers or {})
    return first, second


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_add_sent_twice_with_one_key_adds_once_and_answers_alike(guest, headers):
    variant = VariantFactory(stock_on_hand=50)
    data = {"variant_id": variant.pk, "quantity": 2, "form_key": form_key_new()}

    first, second = send_twice(guest, "/cart/add/", data, headers)

    assert guest_cart(guest).lines.get(variant=variant).quantity == 2
    assert second.status_code == first.status_code
    assert second.content == first.content
    if headers:
        assert "Added to cart" in second.text
        assert second["HX-Trigger-After-Swap"] == first["HX-Trigger-After-Swap"]
    else:
        assert second.status_code == 302 and second["Location"] == first["Location"]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_quantity_step_sent_twice_with_one_key_steps_once(shopper_client, user, headers):
    line = CartLineFactory(cart=CartFactory(user=user), quantity=1)
    data = {"action": "increase", "form_key": form_key_new()}

    first, second = send_twice(shopper_client, f"/cart/lines/{line.pk}/", data, headers)

    line.refresh_from_db()
    assert line.quantity == 2
    assert second.status_code == first.status_code and second.content == first.content


def test_a_removal_repeated_after_a_lost_answer_is_not_refused(shopper_client, user):
    cart = CartFactory(user=user)
    line, kept = CartLineFactory(cart=cart, quantity=1), CartLineFactory(cart=cart, quantity=3)
    data = {"form_key": form_key_new()}

    first, second = send_twice(shopper_client, f"/cart/lines/{line.pk}/remove/", data, HTMX)

    assert list(cart.lines.values_list("pk", "quantity")) == [(kept.pk, 3)]
    assert "Removed" in first.text
    assert second.text == first.text  # the same answer, not "this item is no longer in your cart"


def test_a_wishlist_heart_sent_twice_with_one_key_toggles_once(guest):
    variant = VariantFactory()
    data = {"variant_id": variant.pk, "place": "card", "form_key": form_key_new()}

    send_twice(guest, "/wishlist/toggle/", data, HTMX)

    assert WishlistItem.objects.filter(variant=variant).count() == 1


def test_one_key_with_other_values_is_a_new_change(shopper_client, user):
    line = CartLineFactory(cart=CartFactory(user=user), quantity=1)
    key = form_key_new()

    shopper_client.post(
        f"/cart/lines/{line.pk}/", {"action": "set", "quantity": 3, "form_key": key}
    )
    shopper_client.post(
        f"/cart/lines/{line.pk}/", {"action": "set", "quantity": 5, "form_key": key}
    )

    line.refresh_from_db()
    assert line.quantity == 5


def test_a_post_without_a_key_still_works_every_time(shopper_client, user):
    line = CartLineFactory(cart=CartFactory(user=user), quantity=1)

    send_twice(shopper_client, f"/cart/lines/{line.pk}/", {"action": "increase"}, HTMX)

    line.refresh_from_db()
    assert line.quantity == 3


def test_a_key_is_its_shoppers_own(client, user):
    other = UserFactory()
    mine = CartLineFactory(cart=CartFactory(user=user), quantity=1)
    theirs = CartLineFactory(cart=CartFactory(user=other), variant=mine.variant, quantity=1)
    key = form_key_new()

    client.force_login(user)
    client.post("/cart/add/", {"variant_id": mine.variant.pk, "form_key": key})
    client.force_login(other)
    client.post("/cart/add/", {"variant_id": mine.variant.pk, "form_key": key})

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.quantity, theirs.quantity) == (2, 2)


def test_a_refused_change_is_answered_alike_when_repeated(shopper_client, user):
    variant = VariantFactory(stock_on_hand=1)
    line = CartLineFactory(cart=CartFactory(user=user), variant=variant, quantity=1)
    data = {"action": "increase", "form_key": form_key_new()}

    first, second = send_twice(shopper_client, f"/cart/lines/{line.pk}/", data, HTMX)

    line.refresh_from_db()
    assert line.quantity == 1
    assert second.text == first.text


def test_every_cart_form_carries_a_key_fresh_on_every_rendering(shopper_client, user):
    CartLineFactory(cart=CartFactory(user=user), quantity=2)

    first = shopper_client.get("/cart/").text
    second = shopper_client.get("/cart/").text

    forms = re.findall(r'<form method="post" action="/(?:cart|wishlist)/[^"]*"', first)
    keys = KEY_INPUT.findall(first)
    assert len(forms) >= 5 and len(keys) == len(forms)
    assert len(set(keys)) == len(keys)
    assert not set(keys) & set(KEY_INPUT.findall(second))
    assert CartLine.objects.get().quantity == 2
