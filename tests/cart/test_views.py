"""Each cart view asked twice: as a plain form post (redirect and message) and with htmx."""

import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cart.models import Cart, CartEvent, CartLine
from cart.web import SESSION_CART_TOKEN
from catalog.models import Variant
from tests.factories import CartLineFactory, ProductFactory, UserFactory, VariantFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def on_cart_page(headers=HTMX):
    return {**headers, "HX-Current-URL": "http://testserver/cart/"}


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def add(client, variant, quantity=1, headers=None, **extra):
    data = {"variant_id": variant.pk, "quantity": quantity, **extra}
    return client.post("/cart/add/", data, headers=headers or {})


def test_cart_page_without_a_cart_is_empty_and_creates_nothing(client):
    ProductFactory(name="Suggested Stool")

    response = client.get("/cart/")

    assert response.status_code == 200
    assert 'data-testid="empty-cart"' in response.text
    assert 'data-testid="continue-shopping"' in response.text
    assert "Suggested Stool" in response.text
    assert not Cart.objects.exists()
    assert SESSION_CART_TOKEN not in client.session


def test_add_without_js_redirects_back_with_a_message(client):
    variant = VariantFactory(stock_on_hand=5)
    back = variant.product.get_absolute_url()

    response = add(client, variant, 2, next=back)

    assert response.status_code == 302 and response.url == back
    assert messages_of(response) == ["Added to cart"]
    cart = Cart.objects.get()
    assert client.session[SESSION_CART_TOKEN] == cart.token
    assert cart.lines.get().quantity == 2
    assert 'data-testid="cart-count">2<' in client.get(back).text


def test_add_ignores_a_next_pointing_elsewhere(client):
    response = add(client, VariantFactory(), next="https://evil.example/")

    assert response.url == "/cart/"


def test_add_with_htmx_answers_badge_mini_cart_and_toast_in_one_response(client):
    variant = VariantFactory(product=ProductFactory(name="Copper Kettle", variants=0))

    response = add(client, variant, 3, headers=HTMX)

    assert response.status_code == 200
    body = response.text
    assert re.search(r'id="cart-count"[^>]*hx-swap-oob="true">3<', body)
    assert 'id="mini-cart-content"' in body and "Copper Kettle" in body
    assert 'data-testid="toast"' in body and "Added to cart" in body
    assert re.search(r'id="stock-error"[^>]*hx-swap-oob="true"></p>', body)
    assert '"cart-changed"' in response["HX-Trigger-After-Swap"]
    assert 'id="cart-body"' not in body  # not on the cart page


def test_a_refused_add_shows_the_stock_error_and_changes_nothing(client):
    variant = VariantFactory(stock_on_hand=2)

    plain = add(client, variant, 3, next="/products/x/")
    htmx = add(client, variant, 3, headers=HTMX)

    assert messages_of(plain) == ["Only 2 left in stock"]
    assert re.search(r'data-testid="stock-error"[^>]*>Only 2 left in stock</p>', htmx.text)
    assert not CartLine.objects.exists()


def test_a_refused_add_is_said_once_beside_the_button_not_in_a_toast(client):
    product = ProductFactory(variants__stock_on_hand=1)
    variant, url = product.variants.get(), product.get_absolute_url()

    htmx = add(client, variant, 4, headers=HTMX, next=url)
    page = add(client, variant, 4, next=url)
    page = client.get(page.url).text

    for text in (htmx.text, page):
        assert re.search(r'data-testid="stock-error"[^>]*>Only 1 left in stock</p>', text)
        assert text.count("Only 1 left in stock") == 1
        assert 'data-testid="toast"' not in text


def test_a_refused_add_without_js_shows_stock_error_on_the_product_page(client):
    product = ProductFactory(variants__stock_on_hand=1)
    url = product.get_absolute_url()

    response = client.post(
        "/cart/add/",
        {"variant_id": product.variants.get().pk, "quantity": 4, "next": url},
        follow=True,
    )

    assert re.search(r'data-testid="stock-error"[^>]*>Only 1 left in stock</p>', response.text)


def test_adding_without_choosing_a_variant_asks_for_the_option(client):
    product = ProductFactory(variants=0)
    VariantFactory(product=product, name="S", option_values={"size": "S"})
    VariantFactory(product=product, name="M", option_values={"size": "M"})

    response = client.post("/cart/add/", {"product_id": product.pk, "quantity": 1}, headers=HTMX)

    assert "Please select a size before adding to cart." in response.text
    assert not Cart.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "1.5"])
def test_a_bad_quantity_gets_a_clear_message(client, quantity):
    response = add(client, VariantFactory(), quantity, headers=HTMX)

    assert response.status_code == 200
    assert "Please enter" in response.text
    assert not CartLine.objects.exists()


def test_a_quantity_above_the_maximum_is_refused_with_a_message(client, settings):
    settings.CART_MAX_LINE_QUANTITY = 10

    response = add(client, VariantFactory(stock_on_hand=50), 11, headers=HTMX)

    assert "at most 10 of one item" in response.text
    assert not CartLine.objects.exists()


def test_an_unknown_variant_is_a_message_not_an_error(client):
    response = client.post("/cart/add/", {"variant_id": 424242, "quantity": 1}, headers=HTMX)

    assert response.status_code == 200
    assert "no longer available" in response.text


@pytest.fixture
def guest_line(client):
    variant = VariantFactory(stock_on_hand=3, price="10.00")
    add(client, variant, 2)
    return CartLine.objects.get()


def test_cart_page_lists_lines_with_totals_and_controls(client, guest_line):
    response = client.get("/cart/")

    text = response.text
    assert text.count('data-testid="cart-item"') == 1
    assert re.search(r'data-testid="item-quantity"[^>]*', text)
    assert 'value="2"' in text
    assert re.search(r'data-testid="cart-subtotal">\$20\.00<', text)
    assert re.search(r'data-testid="cart-tax">\$2\.00<', text)
    assert re.search(r'data-testid="cart-total">\$22\.00<', text)
    # A plain link when the cart may check out (a GET form would go to /checkout/?).
    button = re.search(r'<a [^>]*data-testid="checkout-button"[^>]*>', text).group(0)
    assert 'href="/checkout/"' in button and "disabled" not in button
    assert CartEvent.objects.filter(type="cart_viewed").count() == 1


def test_a_reload_is_not_a_new_view_but_a_changed_cart_is(client, guest_line):
    client.get("/cart/")
    client.get("/cart/")
    client.post(f"/cart/lines/{guest_line.pk}/", {"action": "increase"})
    client.get("/cart/")

    assert CartEvent.objects.filter(type="cart_viewed").count() == 2


def test_cart_page_with_htmx_renders_only_the_cart_body(client, guest_line):
    response = client.get("/cart/", headers=HTMX)

    assert response.text.lstrip().startswith('<div id="cart-body"')
    assert "<html" not in response.text
    assert "HX-Request" in response["Vary"]


def test_increase_and_decrease_without_js(client, guest_line):
    url = f"/cart/lines/{guest_line.pk}/"

    client.post(url, {"action": "increase"})
    assert CartLine.objects.get().quantity == 3
    client.post(url, {"action": "decrease"})
    client.post(url, {"action": "decrease"})
    response = client.post(url, {"action": "decrease"})

    assert response.status_code == 302
    assert CartLine.objects.get().quantity == 1


def test_decrease_is_disabled_at_one(client, guest_line):
    client.post(f"/cart/lines/{guest_line.pk}/", {"quantity": 1})

    text = client.get("/cart/").text

    button = re.search(r'<button[^>]*data-testid="quantity-decrease"[^>]*>', text).group(0)
    assert "disabled" in button


def test_increase_with_htmx_on_the_cart_page_answers_line_totals_and_mini_cart(client, guest_line):
    response = client.post(
        f"/cart/lines/{guest_line.pk}/", {"action": "increase"}, headers=on_cart_page()
    )

    body = response.text
    assert 'id="cart-body" class="cart-body" hx-swap-oob="morph"' in body
    assert re.search(r'data-testid="cart-subtotal">\$30\.00<', body)
    assert 'id="mini-cart-content" class="mini-cart-content" hx-swap-oob="morph"' in body
    assert re.search(r'id="cart-count"[^>]*>3<', body)


def test_a_refused_increase_warns_on_the_line_and_keeps_the_quantity(client, guest_line):
    url = f"/cart/lines/{guest_line.pk}/"
    client.post(url, {"action": "increase"})

    htmx = client.post(url, {"action": "increase"}, headers=on_cart_page())
    plain = client.post(url, {"action": "increase"})

    assert re.search(r'data-testid="stock-warning"[^>]*>Only 3 left in stock<', htmx.text)
    assert 'data-testid="toast"' not in htmx.text  # said once, on the line
    assert 'value="3"' in htmx.text
    assert plain.url == f"/cart/?refused={guest_line.pk}"
    page = client.get(plain.url).text
    assert re.search(r'data-testid="stock-warning"[^>]*>Only 3 left in stock<', page)
    assert CartLine.objects.get().quantity == 3


@pytest.mark.parametrize("headers", [HTMX, on_cart_page()], ids=["elsewhere", "on-cart-page"])
def test_a_refused_raise_in_the_mini_cart_warns_inside_its_line(client, guest_line, headers):
    url = f"/cart/lines/{guest_line.pk}/"
    client.post(url, {"action": "increase"})

    response = client.post(url, {"action": "increase", "origin": "mini-cart"}, headers=headers)

    mini_line = re.search(r'<li class="mini-cart-item".*?</li>', response.text, re.S).group(0)
    assert re.search(
        r'data-testid="mini-cart-stock-warning"[^>]*>Only 3 left in stock<', mini_line
    )
    assert response.text.count("Only 3 left in stock") == 1  # not in a toast, not twice
    assert CartLine.objects.get().quantity == 3


def test_typing_a_quantity_sets_it_and_zero_removes(client, guest_line):
    url = f"/cart/lines/{guest_line.pk}/"

    client.post(url, {"action": "set", "quantity": "3"}, headers=HTMX)
    assert CartLine.objects.get().quantity == 3
    client.post(url, {"quantity": "0"}, headers=HTMX)
    assert not CartLine.objects.exists()


def test_a_change_to_a_line_that_is_gone_answers_with_the_cart_as_it_is(client, guest_line):
    CartLine.objects.all().delete()

    response = client.post(
        f"/cart/lines/{guest_line.pk}/", {"action": "increase"}, headers=on_cart_page()
    )

    assert response.status_code == 200
    assert "no longer in your cart" in response.text
    assert 'data-testid="empty-cart"' in response.text


def test_remove_offers_undo_which_restores_the_line(client, guest_line):
    response = client.post(f"/cart/lines/{guest_line.pk}/remove/", headers=on_cart_page())

    assert 'data-testid="empty-cart"' in response.text
    assert 'data-testid="undo-remove"' in response.text
    assert not CartLine.objects.exists()

    client.post(
        "/cart/restore/", {"variant_id": guest_line.variant_id, "quantity": 2}, headers=HTMX
    )
    assert CartLine.objects.get().quantity == 2


def test_clear_cart_empties_it(client, guest_line):
    add(client, VariantFactory())

    response = client.post("/cart/clear/")

    assert response.status_code == 302
    assert not CartLine.objects.exists()
    assert "Your cart is now empty." in messages_of(response)


def test_a_bad_restore_is_a_message(client):
    response = client.post("/cart/restore/", {"variant_id": "x", "quantity": "y"}, headers=HTMX)

    assert response.status_code == 200
    assert "Nothing to restore" in response.text


def test_out_of_stock_line_is_flagged_and_blocks_checkout(client, guest_line):
    Variant.objects.filter(pk=guest_line.variant_id).update(stock_on_hand=0)

    text = client.get("/cart/").text

    assert 'data-testid="item-out-of-stock"' in text
    button = re.search(r'<button[^>]*data-testid="checkout-button"[^>]*>', text).group(0)
    assert "disabled" in button


def test_price_change_is_shown(client, guest_line):
    Variant.objects.filter(pk=guest_line.variant_id).update(price="12.00")

    text = client.get("/cart/").text

    assert re.search(r'data-testid="price-changed">Price changed from \$10\.00 to \$12\.00<', text)
    assert re.search(r'data-testid="cart-subtotal">\$24\.00<', text)


def test_a_tampered_session_token_gives_a_fresh_empty_cart(client, guest_line):
    session = client.session
    session[SESSION_CART_TOKEN] = "tampered-token"
    session.save()

    assert 'data-testid="empty-cart"' in client.get("/cart/").text
    add(client, VariantFactory())
    assert Cart.objects.count() == 2
    assert client.session[SESSION_CART_TOKEN] != "tampered-token"


def test_another_sessions_line_cannot_be_changed(client, guest_line):
    from django.test import Client

    stranger = Client()
    response = stranger.post(f"/cart/lines/{guest_line.pk}/", {"action": "increase"})
    stranger.post(f"/cart/lines/{guest_line.pk}/remove/")

    assert response.status_code == 302
    assert CartLine.objects.get().quantity == 2


def test_mini_cart_shows_three_lines_and_how_many_more(client):
    for _ in range(5):
        add(client, VariantFactory())

    home = client.get("/").text
    text = client.get("/cart/mini/").text

    assert 'data-testid="cart-count">5<' in home
    assert 'hx-get="/cart/mini/"' in home  # the lines load when the mini cart opens
    assert text.count('data-testid="mini-cart-item"') == 3
    assert "+2 more items" in text
    assert 'data-testid="view-all-cart"' in text
    assert re.search(r'data-testid="mini-cart-subtotal">\$125\.00<', text)


def test_mini_cart_lists_the_newest_lines_first_and_the_cart_page_keeps_its_order(client):
    names = [f"Thing {n}" for n in range(1, 6)]
    for name in names:
        add(client, VariantFactory(product=ProductFactory(name=name, variants=0)))

    mini = client.get("/cart/mini/").text
    page = client.get("/cart/").text

    shown = re.findall(r'class="mini-cart-name"[^>]*>([^<]+)<', mini)
    assert shown == ["Thing 5", "Thing 4", "Thing 3"]
    assert re.findall(r'class="cart-item-name"[^>]*><a[^>]*>([^<]+)<', page) == names


def test_mini_cart_checkout_is_disabled_with_its_reason_when_the_cart_cannot_check_out(
    client, guest_line
):
    ready = client.get("/cart/mini/").text
    Variant.objects.filter(pk=guest_line.variant_id).update(stock_on_hand=0)
    blocked = client.get("/cart/mini/").text

    assert re.search(r'<a [^>]*href="/checkout/" data-testid="mini-cart-checkout"', ready)
    button = re.search(r'<button[^>]*data-testid="mini-cart-checkout"[^>]*>', blocked).group(0)
    assert "disabled" in button and 'aria-describedby="mini-checkout-blocked"' in button
    assert re.search(r'id="mini-checkout-blocked">Some items need your attention', blocked)


def test_mini_cart_words_one_more_line_as_the_contract_does(client):
    for _ in range(4):
        add(client, VariantFactory())

    assert "+1 more items" in client.get("/cart/mini/").text  # CONTRACT: "+N more items"


def test_login_merges_the_guest_cart_and_says_what_happened(client, password):
    user = UserFactory()
    variant = VariantFactory(stock_on_hand=20, product=ProductFactory(name="Kettle", variants=0))
    add(client, variant, 2)
    guest_session_key = client.session.session_key

    response = client.post("/login/", {"username": user.email, "password": password}, follow=True)

    assert client.session.session_key != guest_session_key
    cart = Cart.objects.get(user=user, status="open")
    assert cart.lines.get().quantity == 2
    assert "Kettle" in response.text and "added to your cart" in response.text
    assert SESSION_CART_TOKEN not in client.session


def test_signup_keeps_the_guest_cart(client):
    add(client, VariantFactory(), 2)

    client.post("/signup/", {"email": "new@example.com", "password": "a-long-unusual-passphrase"})

    assert Cart.objects.get(user__email="new@example.com", status="open").lines.get().quantity == 2


def test_logout_leaves_the_users_cart_behind(client, password):
    user = UserFactory()
    client.force_login(user)
    add(client, VariantFactory(), 2)

    client.post("/logout/")

    assert 'data-testid="cart-count">0<' in client.get("/").text
    assert Cart.objects.get(user=user).lines.get().quantity == 2


# --- query budgets --------------------------------------------------------------------


def _cart_with_lines(count, user=None):
    from tests.factories import CartFactory, ProductImageFactory

    cart = CartFactory(user=user)
    for _ in range(count):
        line = CartLineFactory(cart=cart)
        ProductImageFactory(product=line.variant.product)
    return cart


@pytest.mark.parametrize("path", ["/cart/", "/cart/mini/", "/", "/products/", "/products/shown/"])
def test_pages_showing_the_cart_run_the_same_queries_for_1_10_and_50_lines(path):
    from django.test import Client

    ProductFactory(slug="shown")
    user = UserFactory()
    counts = []
    for size in (1, 10, 50):
        Cart.objects.all().delete()
        _cart_with_lines(size, user=user)
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_add_to_cart_stays_within_eight_queries():
    from django.test import Client

    user = UserFactory()
    client = Client()
    client.force_login(user)
    variant = VariantFactory(stock_on_hand=100)
    add(client, variant)
    add(client, VariantFactory())

    for target in (variant, VariantFactory()):  # more of a line, then a new line
        with CaptureQueriesContext(connection) as ctx:
            add(client, target, headers=HTMX)
        # The test's own transaction turns the service's into savepoints; they are not queries.
        queries = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
        assert len(queries) <= 8, [sql[:80] for sql in queries]
