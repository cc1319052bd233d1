import re

import pytest
from playwright.sync_api import expect

from catalog.models import Variant
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory, VariantFactory
from tests.helpers import add_to_cart, log_in

pytestmark = pytest.mark.browser

BURST_OF_FIVE = "button => { for (let i = 0; i < 5; i++) button.click(); }"


@pytest.fixture
def kettle(transactional_db):
    return ProductFactory(
        name="Copper Kettle", variants__price="40.00", variants__stock_on_hand=20
    )


def test_guest_adds_a_product_and_the_badge_shows_one(page, shop_url, kettle):
    page.goto(shop_url + kettle.get_absolute_url())
    expect(page.get_by_test_id("cart-count")).to_have_text("0")

    page.get_by_test_id("add-to-cart").click()

    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    expect(page.get_by_test_id("toast")).to_contain_text("Added to cart")


def test_quantity_three_in_one_add_and_the_same_product_twice_is_one_line(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=3)
    add_to_cart(page, shop_url, kettle, quantity=2)

    page.goto(shop_url + "/cart/")

    expect(page.get_by_test_id("cart-item")).to_have_count(1)
    expect(page.get_by_test_id("item-quantity")).to_have_value("5")
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("$200.00")


def test_raise_and_lower_on_the_cart_page(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=2)
    page.goto(shop_url + "/cart/")

    page.get_by_test_id("quantity-increase").click()
    expect(page.get_by_test_id("item-quantity")).to_have_value("3")
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("$120.00")
    expect(page.get_by_test_id("cart-count")).to_have_text("3")

    page.get_by_test_id("quantity-decrease").click()
    page.get_by_test_id("quantity-decrease").click()
    expect(page.get_by_test_id("item-quantity")).to_have_value("1")
    expect(page.get_by_test_id("quantity-decrease")).to_be_disabled()

    page.get_by_test_id("item-quantity").fill("4")
    expect(page.get_by_test_id("cart-total")).to_have_text("$176.00")
    expect(page.get_by_test_id("cart-count")).to_have_text("4")


def test_raise_and_lower_in_the_mini_cart(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=2)

    page.get_by_test_id("cart-icon").click()
    dropdown = page.get_by_test_id("mini-cart-dropdown")
    expect(dropdown).to_be_visible()
    page.get_by_test_id("mini-cart-quantity-increase").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("3")
    expect(page.get_by_test_id("mini-cart-subtotal")).to_have_text("$120.00")
    page.get_by_test_id("mini-cart-quantity-decrease").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("2")
    expect(dropdown).to_be_visible()

    page.get_by_test_id("mini-cart-remove").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    expect(page.get_by_test_id("mini-cart-item")).to_have_count(0)


def test_mini_cart_closes_on_escape_and_on_a_click_outside(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle)
    dropdown = page.get_by_test_id("mini-cart-dropdown")

    page.get_by_test_id("cart-icon").click()
    expect(dropdown).to_be_visible()
    page.keyboard.press("Escape")
    expect(dropdown).to_be_hidden()
    expect(page.get_by_test_id("cart-icon")).to_be_focused()

    page.get_by_test_id("cart-icon").click()
    expect(dropdown).to_be_visible()
    page.locator("footer").click()
    expect(dropdown).to_be_hidden()


def test_a_refused_raise_shows_the_stock_warning_and_keeps_the_quantity(page, shop_url):
    product = ProductFactory(name="Rare Vase", variants__stock_on_hand=2)
    add_to_cart(page, shop_url, product, quantity=2)
    page.goto(shop_url + "/cart/")

    page.get_by_test_id("quantity-increase").click()

    expect(page.get_by_test_id("stock-warning")).to_have_text("Only 2 left in stock")
    expect(page.get_by_test_id("item-quantity")).to_have_value("2")
    expect(page.get_by_test_id("cart-count")).to_have_text("2")


def test_a_refused_add_shows_the_stock_error(page, shop_url):
    product = ProductFactory(name="Rare Vase", variants__stock_on_hand=2)
    page.goto(shop_url + product.get_absolute_url())

    page.get_by_test_id("quantity-input").fill("3")
    page.get_by_test_id("add-to-cart").click()

    expect(page.get_by_test_id("stock-error")).to_have_text("Only 2 left in stock")
    expect(page.get_by_test_id("cart-count")).to_have_text("0")


def test_an_out_of_stock_line_disables_checkout(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle)
    Variant.objects.filter(product=kettle).update(stock_on_hand=0)

    page.goto(shop_url + "/cart/")

    expect(page.get_by_test_id("item-out-of-stock")).to_be_visible()
    expect(page.get_by_test_id("checkout-button")).to_be_disabled()


def test_the_cart_survives_reload_and_navigation(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=2)

    page.reload()
    expect(page.get_by_test_id("cart-count")).to_have_text("2")
    page.goto(shop_url + "/products/")
    expect(page.get_by_test_id("cart-count")).to_have_text("2")
    page.get_by_test_id("cart-icon").click()
    page.get_by_test_id("view-all-cart").click()
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.get_by_test_id("item-quantity")).to_have_value("2")


def test_a_shoppers_cart_is_there_in_a_new_browser_after_logging_in(
    page, shop_url, kettle, browser, browser_context_args
):
    shopper = UserFactory()
    log_in(page, shop_url, shopper.email, DEFAULT_PASSWORD)
    add_to_cart(page, shop_url, kettle, quantity=2)

    other = browser.new_context(**browser_context_args)
    try:
        second = other.new_page()
        second.goto(shop_url + "/")
        expect(second.get_by_test_id("cart-count")).to_have_text("0")
        log_in(second, shop_url, shopper.email, DEFAULT_PASSWORD)
        expect(second.get_by_test_id("cart-count")).to_have_text("2")
    finally:
        other.close()


def test_a_guest_cart_merges_at_login(page, shop_url, kettle, browser, browser_context_args):
    shopper = UserFactory()
    mug = ProductFactory(name="Enamel Mug", variants__price="9.00")
    other = browser.new_context(**browser_context_args)
    try:
        earlier = other.new_page()
        log_in(earlier, shop_url, shopper.email, DEFAULT_PASSWORD)
        add_to_cart(earlier, shop_url, kettle, quantity=2)
    finally:
        other.close()

    add_to_cart(page, shop_url, kettle, quantity=3)
    add_to_cart(page, shop_url, mug, quantity=1)
    log_in(page, shop_url, shopper.email, DEFAULT_PASSWORD)

    expect(page.get_by_test_id("toast")).to_contain_text("added to your cart")
    expect(page.get_by_test_id("cart-count")).to_have_text("6")
    page.goto(shop_url + "/cart/")
    items = page.get_by_test_id("cart-item")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="Copper Kettle").get_by_test_id("item-quantity")).to_have_value(
        "5"
    )
    expect(items.filter(has_text="Enamel Mug").get_by_test_id("item-quantity")).to_have_value("1")


def test_two_variants_of_one_product_are_two_lines_with_their_own_prices(page, shop_url):
    tee = ProductFactory(name="Cotton Tee", variants=0)
    small = VariantFactory(product=tee, name="Small", price="20.00", option_values={"size": "S"})
    large = VariantFactory(product=tee, name="Large", price="24.00", option_values={"size": "L"})

    add_to_cart(page, shop_url, tee, variant=small)
    add_to_cart(page, shop_url, tee, variant=large)
    page.goto(shop_url + "/cart/")

    items = page.get_by_test_id("cart-item")
    expect(items).to_have_count(2)
    expect(items.filter(has_text="Small")).to_contain_text("$20.00")
    expect(items.filter(has_text="Large")).to_contain_text("$24.00")
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("$44.00")


def test_without_js_a_product_with_variants_asks_for_a_choice_first(
    browser, browser_context_args, shop_url
):
    # With scripts the button says "Choose a size" and adds nothing (test_cart_ui.py).
    tee = ProductFactory(name="Cotton Tee", variants=0)
    VariantFactory(product=tee, name="Small", option_values={"size": "S"})
    VariantFactory(product=tee, name="Large", option_values={"size": "L"})
    context = browser.new_context(**browser_context_args, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(shop_url + tee.get_absolute_url())

        page.get_by_test_id("add-to-cart").click()

        expect(page.get_by_test_id("stock-error")).to_have_text(
            "Please select a size before adding to cart."
        )
        expect(page.get_by_test_id("toast")).to_have_count(0)  # said once, beside the button
        expect(page.get_by_test_id("cart-count")).to_have_text("0")
    finally:
        context.close()


def test_with_five_lines_the_mini_cart_shows_three_and_how_many_more(page, shop_url):
    for i in range(5):
        add_to_cart(page, shop_url, ProductFactory(name=f"Thing {i}"))

    page.get_by_test_id("cart-icon").click()

    expect(page.get_by_test_id("mini-cart-item")).to_have_count(3)
    expect(page.get_by_test_id("mini-cart-dropdown")).to_contain_text("+2 more items")


def test_five_fast_clicks_on_increase_all_count(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=2)
    page.goto(shop_url + "/cart/")

    # Five clicks in one burst, before the first answer is back.
    page.get_by_test_id("quantity-increase").evaluate(BURST_OF_FIVE)

    expect(page.get_by_test_id("item-quantity")).to_have_value("7")
    expect(page.get_by_test_id("cart-count")).to_have_text("7")
    page.reload()
    expect(page.get_by_test_id("item-quantity")).to_have_value("7")


def test_five_fast_clicks_in_the_mini_cart_all_count(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=2)
    page.get_by_test_id("cart-icon").click()

    page.get_by_test_id("mini-cart-quantity-increase").evaluate(BURST_OF_FIVE)

    expect(page.get_by_test_id("cart-count")).to_have_text("7")
    page.reload()
    expect(page.get_by_test_id("cart-count")).to_have_text("7")


def test_a_server_error_shows_in_the_error_banner_with_its_request_id(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle)
    page.goto(shop_url + "/cart/")
    page.context.clear_cookies()  # the session and CSRF cookie are gone: the server refuses

    page.get_by_test_id("quantity-increase").click()

    banner = page.get_by_test_id("error-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Your session has expired")
    expect(banner).to_contain_text(re.compile(r"request id: [0-9a-f]{32}"))


def test_the_mini_cart_works_by_keyboard(page, shop_url, kettle):
    add_to_cart(page, shop_url, kettle, quantity=2)
    icon = page.get_by_test_id("cart-icon")

    icon.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("mini-cart-dropdown")).to_be_visible()
    page.get_by_test_id("mini-cart-quantity-increase").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("cart-count")).to_have_text("3")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("mini-cart-dropdown")).to_be_hidden()
    expect(icon).to_be_focused()
