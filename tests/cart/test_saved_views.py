"""Saved for later and the wishlist on the pages (issue 15, points 1, 2, 6): each action as a
plain form post (redirect and a message) and with htmx (every changed part in one answer),
the merge message at login, and query counts that stay flat."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cart import services
from cart.models import Cart, CartLine, SavedItem, WishlistItem
from cart.selectors import CartOwner
from catalog.models import Variant
from tests.factories import (
    CartFactory,
    CartLineFactory,
    ProductFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/cart/"}
HTMX_WISHLIST = {"HX-Request": "true", "HX-Current-URL": "http://testserver/wishlist/"}
HTMX_PRODUCT = {"HX-Request": "true", "HX-Current-URL": "http://testserver/products/mug/"}


@pytest.fixture
def mug():
    return VariantFactory(
        product__name="Mug", product__slug="mug", name="Blue", price="12.00", stock_on_hand=5
    )


@pytest.fixture
def lamp():
    return VariantFactory(product__name="Lamp", price="40.00", stock_on_hand=3)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def fill(client, *items):
    for variant, quantity in items:
        response = client.post("/cart/add/", {"variant_id": variant.pk, "quantity": quantity})
        assert response.status_code == 302


def line_id(variant):
    return CartLine.objects.get(variant=variant).pk


def count_testid(page, name):
    return page.count(f'data-testid="{name}"')


# --- saved for later on the cart page -------------------------------------------------------


def test_each_line_offers_save_for_later_as_a_form_and_with_htmx(client, mug):
    fill(client, (mug, 1))
    page = client.get("/cart/").text
    url = f"/cart/lines/{line_id(mug)}/save/"

    form = re.search(rf'<form[^>]*action="{url}"[^>]*>', page)[0]
    assert 'method="post"' in form
    button = re.search(r'<button[^>]*data-testid="save-for-later"[^>]*>', page)[0]
    assert f'hx-post="{url}"' in button
    assert count_testid(page, "saved-items") == 0  # nothing saved yet: no section


def test_saving_without_js_redirects_to_the_cart_with_the_item_under_the_lines(client, mug, lamp):
    fill(client, (mug, 2), (lamp, 1))

    response = client.post(f"/cart/lines/{line_id(mug)}/save/")

    assert response.status_code == 302 and response.url == "/cart/"
    assert messages_of(response)[-1:] == ["Saved Mug for later."]
    page = client.get("/cart/").text
    assert count_testid(page, "cart-item") == 1 and count_testid(page, "saved-item") == 1
    assert count_testid(page, "move-to-cart") == 1 and count_testid(page, "remove-saved") == 1
    assert re.search(r'data-testid="cart-subtotal">\$40\.00<', page)
    assert re.search(r'data-testid="cart-count">1<', page)


def test_saving_with_htmx_answers_badge_mini_cart_totals_and_saved_items_at_once(
    client, mug, lamp
):
    fill(client, (mug, 2), (lamp, 1))

    response = client.post(f"/cart/lines/{line_id(mug)}/save/", headers=HTMX)

    assert response.status_code == 200
    body = response.text
    assert re.search(r'id="cart-count"[^>]*hx-swap-oob="true"[^>]*>1<', body)
    assert 'id="mini-cart-content"' in body
    assert re.search(r'id="cart-body"[^>]*hx-swap-oob', body)
    assert re.search(r'data-testid="cart-subtotal">\$40\.00<', body)
    assert count_testid(body, "saved-item") == 1 and "Saved Mug for later." in body
    assert '"cart-changed"' in response.headers["HX-Trigger-After-Swap"]


def test_the_last_line_saved_leaves_the_empty_cart_with_its_saved_items(client, mug):
    fill(client, (mug, 1))
    client.post(f"/cart/lines/{line_id(mug)}/save/")

    page = client.get("/cart/").text

    assert count_testid(page, "empty-cart") == 1 and count_testid(page, "saved-item") == 1


def test_moving_back_plain_and_htmx(client, mug):
    fill(client, (mug, 2))
    client.post(f"/cart/lines/{line_id(mug)}/save/")
    saved_id = SavedItem.objects.get().pk

    response = client.post(f"/cart/saved/{saved_id}/move/", headers=HTMX)

    assert response.status_code == 200
    assert re.search(r'id="cart-count"[^>]*>2<', response.text)
    assert (
        count_testid(response.text, "saved-item") == 0
        and count_testid(response.text, "cart-item") == 1
    )
    assert "Moved Mug to your cart." in response.text
    assert not SavedItem.objects.exists()

    client.post(f"/cart/lines/{line_id(mug)}/save/")
    plain = client.post(f"/cart/saved/{SavedItem.objects.get().pk}/move/")
    assert plain.status_code == 302 and messages_of(plain)[-1:] == ["Moved Mug to your cart."]


def test_a_refused_move_back_says_why_and_changes_nothing(client, mug):
    fill(client, (mug, 4))
    client.post(f"/cart/lines/{line_id(mug)}/save/")
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=1)
    saved_id = SavedItem.objects.get().pk

    plain = client.post(f"/cart/saved/{saved_id}/move/")
    htmx = client.post(f"/cart/saved/{saved_id}/move/", headers=HTMX)

    assert plain.status_code == 302 and messages_of(plain)[-1:] == ["Only 1 left in stock"]
    assert htmx.status_code == 200 and "Only 1 left in stock" in htmx.text
    assert 'data-testid="toast"' in htmx.text
    assert SavedItem.objects.count() == 1 and not CartLine.objects.exists()


def test_a_saved_item_no_longer_sold_is_flagged_on_the_cart_page(client, mug):
    fill(client, (mug, 1))
    client.post(f"/cart/lines/{line_id(mug)}/save/")
    Variant.objects.filter(pk=mug.pk).update(status=Variant.Status.ARCHIVED)

    page = client.get("/cart/").text

    item = re.search(r'<li class="saved-item is-unavailable".*?</li>', page, re.DOTALL)[0]
    assert "No longer available" in item


def test_removing_a_saved_item_plain_and_htmx(client, mug, lamp):
    fill(client, (mug, 1), (lamp, 1))
    client.post(f"/cart/lines/{line_id(mug)}/save/")
    client.post(f"/cart/lines/{line_id(lamp)}/save/")
    first, second = SavedItem.objects.order_by("pk")

    plain = client.post(f"/cart/saved/{first.pk}/remove/")
    htmx = client.post(f"/cart/saved/{second.pk}/remove/", headers=HTMX)

    assert plain.status_code == 302 and messages_of(plain)[-1:] == [
        "Removed Mug from your saved items."
    ]
    assert htmx.status_code == 200 and "Removed Lamp from your saved items." in htmx.text
    assert not SavedItem.objects.exists()
    gone = client.post(f"/cart/saved/{second.pk}/remove/")
    assert messages_of(gone)[-1:] == ["That item is no longer in your saved items."]


def test_someone_elses_saved_item_is_not_found(client, mug):
    owner = CartOwner(user=UserFactory())
    services.cart_add_line(owner=owner, variant_id=mug.pk, quantity=1, source="t")
    services.cart_line_save(owner=owner, line_id=line_id(mug), source="t")
    theirs = SavedItem.objects.get()

    response = client.post(f"/cart/saved/{theirs.pk}/remove/", headers=HTMX)

    assert "That item is no longer in your saved items." in response.text
    assert SavedItem.objects.count() == 1


def test_cart_page_queries_stay_flat_with_ten_saved_items():
    user = UserFactory()
    counts = []
    for size in (1, 10):
        SavedItem.objects.all().delete()
        Cart.objects.all().delete()
        cart = CartFactory(user=user)
        CartLineFactory(cart=cart)
        for _n in range(size):
            SavedItem.objects.create(
                user=user,
                variant=VariantFactory(),
                sku="S",
                product_name="Saved",
                variant_name="Default",
            )
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/cart/").text
        assert count_testid(page, "saved-item") == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- the wishlist ---------------------------------------------------------------------------


def test_the_header_links_to_the_wishlist_with_its_count(client, mug):
    page = client.get("/").text
    assert re.search(r'<a[^>]*href="/wishlist/"[^>]*data-testid="wishlist-link"', page)
    assert re.search(r'data-testid="wishlist-count">0<', page)

    client.post("/wishlist/toggle/", {"variant_id": mug.pk})

    assert re.search(r'data-testid="wishlist-count">1<', client.get("/").text)


def test_the_product_page_heart_is_a_toggle_with_aria_pressed(client, mug):
    page = client.get("/products/mug/").text
    heart = re.search(r'<button[^>]*data-testid="add-to-wishlist"[^>]*>', page)[0]
    assert 'aria-pressed="false"' in heart and 'formaction="/wishlist/toggle/"' in heart
    assert "formnovalidate" in heart

    response = client.post(
        "/wishlist/toggle/", {"variant_id": mug.pk, "next": "/products/mug/", "place": "page"}
    )

    assert response.status_code == 302 and response.url == "/products/mug/"
    assert messages_of(response)[-1:] == ["Added Mug to your wishlist."]
    page = client.get("/products/mug/").text
    heart = re.search(r'<button[^>]*data-testid="add-to-wishlist"[^>]*>', page)[0]
    assert 'aria-pressed="true"' in heart


def test_the_heart_with_htmx_draws_itself_again_with_the_count_and_a_toast(client, mug):
    on = client.post(
        "/wishlist/toggle/", {"variant_id": mug.pk, "place": "page"}, headers=HTMX_PRODUCT
    )
    assert on.status_code == 200
    heart = re.search(r'<button[^>]*data-testid="add-to-wishlist"[^>]*>', on.text)[0]
    assert 'aria-pressed="true"' in heart and 'id="add-to-wishlist"' in heart
    assert re.search(r'id="wishlist-count"[^>]*hx-swap-oob="true"[^>]*>1<', on.text)
    assert "Added Mug to your wishlist." in on.text

    off = client.post(
        "/wishlist/toggle/", {"variant_id": mug.pk, "place": "card"}, headers=HTMX_PRODUCT
    )
    heart = re.search(r'<button[^>]*data-testid="add-to-wishlist"[^>]*>', off.text)[0]
    assert 'aria-pressed="false"' in heart and f'id="wishlist-toggle-{mug.pk}"' in heart
    assert re.search(r'id="wishlist-count"[^>]*>0<', off.text)
    assert not WishlistItem.objects.exists()


def test_the_heart_without_a_chosen_variant_asks_for_one(client, mug):
    response = client.post("/wishlist/toggle/", {"place": "page"}, headers=HTMX_PRODUCT)
    assert "Please choose an option before adding to your wishlist." in response.text
    plain = client.post("/wishlist/toggle/", {"variant_id": "abc", "next": "/products/mug/"})
    assert plain.status_code == 302 and plain.url == "/products/mug/"
    assert not WishlistItem.objects.exists()


def test_product_cards_carry_a_heart_for_their_first_variant(client, mug):
    other = VariantFactory(product=mug.product, name="Red", position=5)
    client.post("/wishlist/toggle/", {"variant_id": mug.pk})

    page = client.get("/products/").text

    heart = re.search(rf'<button[^>]*id="wishlist-toggle-{mug.pk}"[^>]*>', page)[0]
    assert 'aria-pressed="true"' in heart and 'aria-label="Add Mug to wishlist"' in heart
    assert f'id="wishlist-toggle-{other.pk}"' not in page


def test_the_wishlist_page_empty_and_with_items(client, mug, lamp):
    assert count_testid(client.get("/wishlist/").text, "wishlist-empty") == 1
    client.post("/wishlist/toggle/", {"variant_id": mug.pk})
    client.post("/wishlist/toggle/", {"variant_id": lamp.pk})
    Variant.objects.filter(pk=lamp.pk).update(stock_on_hand=0)

    page = client.get("/wishlist/").text

    assert count_testid(page, "wishlist-item") == 2 and count_testid(page, "wishlist-empty") == 0
    assert (
        count_testid(page, "wishlist-move-to-cart") == 2
        and count_testid(page, "wishlist-remove") == 2
    )
    lamp_item = re.search(r'<li class="saved-item is-unavailable".*?</li>', page, re.DOTALL)[0]
    assert "Lamp" in lamp_item and "Out of stock" in lamp_item


def test_moving_a_wish_to_the_cart_keeps_it_plain_and_htmx(client, mug):
    client.post("/wishlist/toggle/", {"variant_id": mug.pk})
    item = WishlistItem.objects.get()

    plain = client.post(f"/wishlist/items/{item.pk}/move/")
    htmx = client.post(f"/wishlist/items/{item.pk}/move/", headers=HTMX_WISHLIST)

    assert plain.status_code == 302 and plain.url == "/wishlist/"
    assert messages_of(plain)[-1:] == ["Added to cart"]
    assert re.search(r'id="cart-count"[^>]*hx-swap-oob="true"[^>]*>2<', htmx.text)
    assert CartLine.objects.get().quantity == 2 and WishlistItem.objects.count() == 1


def test_a_refused_wish_move_says_why(client, mug):
    client.post("/wishlist/toggle/", {"variant_id": mug.pk})
    Variant.objects.filter(pk=mug.pk).update(stock_on_hand=0)

    response = client.post(
        f"/wishlist/items/{WishlistItem.objects.get().pk}/move/", headers=HTMX_WISHLIST
    )

    assert "Sorry, this item is out of stock." in response.text
    assert not CartLine.objects.exists()


def test_removing_a_wish_plain_and_htmx(client, mug, lamp):
    client.post("/wishlist/toggle/", {"variant_id": mug.pk})
    client.post("/wishlist/toggle/", {"variant_id": lamp.pk})
    first, second = WishlistItem.objects.order_by("pk")

    plain = client.post(f"/wishlist/items/{first.pk}/remove/")
    htmx = client.post(f"/wishlist/items/{second.pk}/remove/", headers=HTMX_WISHLIST)

    assert plain.status_code == 302 and messages_of(plain)[-1:] == [
        "Removed Mug from your wishlist."
    ]
    assert re.search(r'id="wishlist-body"[^>]*hx-swap-oob', htmx.text)
    assert count_testid(htmx.text, "wishlist-empty") == 1
    assert re.search(r'id="wishlist-count"[^>]*>0<', htmx.text)


def test_wishlist_page_queries_stay_flat_with_fifty_items():
    user = UserFactory()
    counts = []
    for size in (1, 50):
        WishlistItem.objects.all().delete()
        for _n in range(size):
            WishlistItem.objects.create(user=user, variant=VariantFactory())
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/wishlist/").text
        assert count_testid(page, "wishlist-item") == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_product_list_queries_stay_flat_with_hearts(client):
    user = UserFactory()
    client.force_login(user)
    counts = []
    for size in (1, 12):
        for _n in range(size):
            variant = VariantFactory(product=ProductFactory(variants=0))
            WishlistItem.objects.create(user=user, variant=variant)
        with CaptureQueriesContext(connection) as ctx:
            client.get("/products/")
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- merge at login -------------------------------------------------------------------------


def test_logging_in_merges_a_guests_saved_items_and_wishlist_and_says_so(
    client, password, mug, lamp
):
    user = UserFactory()
    fill(client, (mug, 1), (lamp, 1))
    client.post(f"/cart/lines/{line_id(lamp)}/save/")
    client.post("/wishlist/toggle/", {"variant_id": mug.pk})

    response = client.post("/login/", {"username": user.email, "password": password}, follow=True)

    text = response.text
    assert "1 saved item joined your saved items." in text
    assert "1 item joined your wishlist." in text
    assert SavedItem.objects.get().user_id == user.pk
    assert WishlistItem.objects.get().user_id == user.pk
    page = client.get("/cart/").text
    assert count_testid(page, "saved-item") == 1
