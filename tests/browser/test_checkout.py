import re

import pytest
from playwright.sync_api import expect

from checkout.models import Order
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.helpers import add_to_cart, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def espresso(transactional_db, shipping_methods):
    return ProductFactory(
        name="Aurora Espresso Machine", variants__price="499.99", variants__stock_on_hand=5
    )


def fill_address(page):
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address", exact=True).fill("1 Main St")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Country").select_option("US")


def test_a_guest_goes_from_product_page_to_paid(page, shop_url, espresso):
    add_to_cart(page, shop_url, espresso)
    page.get_by_test_id("cart-icon").click()
    page.get_by_test_id("view-all-cart").click()
    page.get_by_test_id("checkout-button").click()

    expect(page.get_by_test_id("checkout-form")).to_be_visible()
    page.get_by_test_id("email-input").fill("guest@example.com")
    fill_address(page)
    page.get_by_test_id("shipping-express").check()
    expect(page.get_by_test_id("checkout-total")).to_have_text("$566.49")
    page.get_by_test_id("checkout-submit").click()

    expect(page.get_by_text("no money moves")).to_be_visible()
    page.get_by_test_id("test-payment-pay").click()

    expect(page.get_by_test_id("order-confirmation")).to_be_visible()
    number = page.get_by_test_id("order-number").inner_text()
    assert Order.objects.get(number=number).status == Order.Status.PAID
    expect(page.get_by_test_id("cart-count")).to_have_text("0")


def test_a_shoppers_paid_order_shows_in_my_orders(page, shop_url, espresso):
    shopper = UserFactory()
    log_in(page, shop_url, shopper.email, DEFAULT_PASSWORD)
    add_to_cart(page, shop_url, espresso, quantity=2)
    page.goto(shop_url + "/checkout/")
    expect(page.get_by_test_id("email-input")).to_have_value(shopper.email)
    fill_address(page)
    page.get_by_test_id("checkout-submit").click()
    page.get_by_test_id("test-payment-pay").click()
    number = page.get_by_test_id("order-number").inner_text()

    page.get_by_role("link", name="My orders").first.click()

    row = page.get_by_test_id("order-row").filter(has_text=number)
    expect(row).to_contain_text("Paid")
    expect(row).to_contain_text("$1,099.98")


def test_with_login_required_a_guest_logs_in_and_comes_back_with_the_cart(
    page, shop_url, espresso, settings
):
    settings.CHECKOUT_REQUIRES_LOGIN = True
    shopper = UserFactory()
    add_to_cart(page, shop_url, espresso)

    page.goto(shop_url + "/cart/")
    page.get_by_test_id("checkout-button").click()

    expect(page).to_have_url(re.compile(r"/login/\?next=/checkout/$"))
    page.get_by_test_id("email-input").fill(shopper.email)
    page.get_by_test_id("password-input").fill(DEFAULT_PASSWORD)
    page.get_by_test_id("login-button").click()

    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.get_by_test_id("checkout-form")).to_be_visible()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")
