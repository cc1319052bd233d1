"""Shared carts on the pages (issue 15, point 3): "Share this cart" on the cart page, the
shared cart's page and "Add all to my cart", each asked as a plain form post (redirect and a
message) and with htmx."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cart import services
from cart.models import Cart, CartEvent, SharedCart
from cart.selectors import CartOwner
from cart.web import SESSION_CART_TOKEN
from catalog.models import Variant
from tests.factories import ProductFactory, ProductLineFieldFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/cart/"}
SHARE_URL = re.compile(
    r'<input[^>]*data-testid="share-cart-url"[^>]*value="(http://testserver/cart/shared/[\w-]+/)"'
)


@pytest.fixture
def knife():
    product = ProductFactory(name="Chef's Knife", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    return VariantFactory(product=product, name="8 inch", price="89.00", stock_on_hand=10)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def fill(client, variant, quantity=1, engraving=""):
    data = {"variant_id": variant.pk, "quantity": quantity}
    if engraving:
        data["properties[engraving]"] = engraving
    assert client.post("/cart/add/", data).status_code == 302


def shared_link(variant, quantity=1, **properties):
    change = services.cart_add_line(
        owner=CartOwner(),
        variant_id=variant.pk,
        quantity=quantity,
        properties=properties,
        source="test",
    )
    return services.cart_share(owner=CartOwner(token=change.summary.token), source="test")


# --- "Share this cart" on the cart page ------------------------------------------------


def test_the_cart_page_offers_share_this_cart_only_with_lines(client, knife):
    assert 'data-testid="share-cart"' not in client.get("/cart/").text

    fill(client, knife)
    page = client.get("/cart/").text

    form = re.search(r'<form[^>]*action="/cart/share/"[^>]*>', page)[0]
    assert 'method="post"' in form and 'hx-post="/cart/share/"' in form
    assert 'data-testid="share-cart"' in page and 'data-testid="share-cart-url"' not in page


def test_sharing_without_js_shows_the_link_on_the_cart_page(client, knife):
    fill(client, knife, 2, "For Ada")

    response = client.post("/cart/share/")

    assert response.status_code == 302 and response.url == "/cart/#share-cart"
    assert messages_of(response)[-1] == "Your link is ready: copy it and send it to anyone."
    page = client.get("/cart/").text
    url = SHARE_URL.search(page)[1]
    shared = SharedCart.objects.get()
    assert url == f"http://testserver/cart/shared/{shared.token}/"
    field = re.search(r'<input[^>]*data-testid="share-cart-url"[^>]*>', page)[0]
    assert " readonly" in field and "autofocus" not in field
    # The copy button needs JavaScript: hidden until static/js/shared.js shows it.
    assert re.search(r'<button[^>]*data-testid="share-cart-copy"[^>]*hidden', page)
    assert "static/js/shared.js" in page or "/js/shared" in page


def test_sharing_with_htmx_answers_the_share_panel_in_place(client, knife):
    fill(client, knife)

    response = client.post("/cart/share/", headers=HTMX)

    assert response.status_code == 200
    body = response.text
    assert body.lstrip().startswith('<div class="share-cart" id="share-cart">')
    field = re.search(r'<input[^>]*data-testid="share-cart-url"[^>]*>', body)[0]
    assert "autofocus" in field and SHARE_URL.search(body)
    assert 'role="status"' in body and 'id="cart-body"' not in body


def test_the_cart_page_forgets_the_link_once_the_cart_changes(client, knife):
    fill(client, knife)
    client.post("/cart/share/")
    assert SHARE_URL.search(client.get("/cart/").text)

    fill(client, knife)

    page = client.get("/cart/").text
    assert not SHARE_URL.search(page) and 'data-testid="share-cart"' in page


def test_sharing_an_empty_cart_is_refused_with_a_reason(client):
    plain = client.post("/cart/share/")
    htmx = client.post("/cart/share/", headers=HTMX)

    assert plain.status_code == 302 and plain.url == "/cart/"
    reason = "Your cart is empty: add something before sharing it."
    assert messages_of(plain) == [reason]
    assert htmx.status_code == 200 and reason in htmx.text and 'role="alert"' in htmx.text
    assert not SharedCart.objects.exists()


def test_sharing_needs_a_post_with_csrf():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    assert client.get("/cart/share/").status_code == 405
    assert client.post("/cart/share/").status_code == 403


# --- the shared cart's page ---------------------------------------------------------------


def test_the_shared_page_shows_each_line_at_today_s_price_and_never_the_sharer(client, knife):
    sharer = UserFactory(email="sharer@example.com")
    client.force_login(sharer)
    fill(client, knife, 2, "For Ada")
    fill(
        client, VariantFactory(product=ProductFactory(name="Stone Mug", variants=0), price="12.00")
    )
    client.post("/cart/share/")
    token = SharedCart.objects.get().token
    Variant.objects.filter(pk=knife.pk).update(price=Decimal("95.00"))
    client.logout()

    response = client.get(f"/cart/shared/{token}/")

    assert response.status_code == 200
    page = response.text
    assert page.count('data-testid="shared-cart-item"') == 2
    assert "Chef&#x27;s Knife" in page and "Stone Mug" in page
    assert re.search(r'data-testid="line-properties".*Engraving:.*For Ada', page, re.S)
    assert "$95.00" in page and "$190.00" in page and "$89.00" not in page
    assert 'data-testid="shared-cart-subtotal">$202.00<' in page
    assert "sharer@example.com" not in page
    assert re.search(r'<button[^>]*data-testid="shared-cart-add-all"', page)
    assert f'action="/cart/shared/{token}/add/"' in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


def test_the_shared_page_says_what_cannot_be_added(client, knife):
    link = shared_link(knife, 3)
    Variant.objects.filter(pk=knife.pk).update(stock_on_hand=2)

    page = client.get(link.path).text

    assert "Only 2 left in stock: 2 will be added." in page


def test_with_nothing_to_add_the_button_is_disabled_and_says_why(client, knife):
    link = shared_link(knife)
    Variant.objects.filter(pk=knife.pk).update(stock_on_hand=0)

    page = client.get(link.path).text

    assert re.search(r'<button[^>]*data-testid="shared-cart-add-all"[^>]*disabled', page)
    assert "None of these items can be bought right now." in page


@pytest.mark.parametrize("token", ["unknown-token-of-good-length-0123456789", "x"])
def test_an_unknown_link_is_the_shop_s_404_page(client, token):
    response = client.get(f"/cart/shared/{token}/")
    post = client.post(f"/cart/shared/{token}/add/")

    assert response.status_code == post.status_code == 404
    assert "We can’t find that page" in response.text


def test_an_expired_link_is_a_404_page(client, knife):
    link = shared_link(knife)
    SharedCart.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    assert client.get(link.path).status_code == 404
    assert client.post(link.path + "add/").status_code == 404
    assert not Cart.objects.exclude(lines__isnull=False).exists()


def test_opening_the_page_is_recorded_once_per_visitor(client, knife):
    link = shared_link(knife)
    client.force_login(UserFactory())

    client.get(link.path)
    client.get(link.path)

    assert CartEvent.objects.filter(type="shared_cart_opened").count() == 1


def test_the_shared_page_reads_the_same_number_of_queries_for_2_and_12_lines(client):
    def page_queries(count):
        owner = CartOwner()
        for _ in range(count):
            product = ProductFactory(variants=0)
            ProductLineFieldFactory(product=product)
            change = services.cart_add_line(
                owner=owner,
                variant_id=VariantFactory(product=product).pk,
                properties={"engraving": "Hi"},
                source="test",
            )
            owner = CartOwner(token=change.summary.token)
        link = services.cart_share(owner=owner, source="test")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(link.path).status_code == 200
        return len(queries)

    assert page_queries(12) == page_queries(2)


# --- "Add all to my cart" ---------------------------------------------------------------------


def test_add_all_without_js_fills_the_guest_s_cart_and_shows_it(client, knife):
    link = shared_link(knife, 2, engraving="For Ada")

    response = client.post(link.path + "add/")

    assert response.status_code == 302 and response.url == "/cart/"
    assert messages_of(response) == ["Added 2 items to your cart."]
    cart = Cart.objects.get(token=client.session[SESSION_CART_TOKEN])
    [line] = cart.lines.all()
    assert (line.variant, line.quantity, line.properties) == (knife, 2, {"engraving": "For Ada"})
    page = client.get("/cart/").text
    assert 'data-testid="cart-count">2<' in page and "For Ada" in page


def test_add_all_with_htmx_sends_the_browser_to_the_cart(client, knife):
    link = shared_link(knife)

    response = client.post(link.path + "add/", headers={"HX-Request": "true"})

    assert response.status_code == 200 and response["HX-Redirect"] == "/cart/"
    assert messages_of(response) == ["Added 1 item to your cart."]


def test_add_all_into_a_shopper_s_cart_caps_and_warns(client, knife):
    link = shared_link(knife, 4)
    client.force_login(UserFactory())
    fill(client, knife, 8)

    response = client.post(link.path + "add/")

    assert response.url == "/cart/"
    message = list(get_messages(response.wsgi_request))[-1]
    assert message.level_tag == "warning"
    assert str(message) == (
        "Added 2 items to your cart. Chef's Knife (8 inch): 2 of 4 added (only 10 left)."
    )
    assert Cart.objects.get(user__isnull=False).lines.get().quantity == 10


def test_when_nothing_can_be_added_the_visitor_stays_on_the_shared_cart(client, knife):
    link = shared_link(knife)
    Variant.objects.filter(pk=knife.pk).update(stock_on_hand=0)

    plain = client.post(link.path + "add/")
    htmx = client.post(link.path + "add/", headers={"HX-Request": "true"})

    assert plain.url == link.path and htmx["HX-Redirect"] == link.path
    assert messages_of(plain)[0].startswith("Nothing could be added to your cart.")
    assert SESSION_CART_TOKEN not in client.session


def test_add_all_needs_a_post_with_csrf(knife):
    from django.test import Client

    link = shared_link(knife)
    client = Client(enforce_csrf_checks=True)

    assert client.get(link.path + "add/").status_code == 405
    assert client.post(link.path + "add/").status_code == 403
