"""A shopper with points spends some at checkout, pays, and finds it all on their points
page, in Chromium (htmx swaps the summary in place)."""

import pytest
from playwright.sync_api import expect

from loyalty.services import points_adjust
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_checkout import fill_address
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory
from tests.helpers import add_to_cart, log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def kettle(transactional_db, shipping_methods, settings):
    from decimal import Decimal

    settings.TAX_RATE = Decimal("0.10")
    return ProductFactory(name="Copper Kettle", variants__price="60.00", variants__stock_on_hand=5)


def test_a_shopper_redeems_points_pays_and_sees_them_on_the_points_page(page, shop_url, kettle):
    shopper = UserFactory()
    points_adjust(user_id=shopper.pk, points=1500, reason="Welcome to the club")
    log_in(page, shop_url, shopper.email, DEFAULT_PASSWORD)
    add_to_cart(page, shop_url, kettle)
    page.goto(shop_url + "/checkout/")
    fill_address(page)
    expect(page.get_by_test_id("checkout-total")).to_have_text("$71.50")

    page.get_by_test_id("points-redeem-input").fill("1000")
    page.get_by_test_id("points-apply").click()

    expect(page.get_by_test_id("points-applied")).to_contain_text("−$10.00")
    assert axe_violations(page, shop_url) == []
    # 60.00 - 10.00 + 5.00 shipping, tax 10% on 55.00
    expect(page.get_by_test_id("checkout-total")).to_have_text("$60.50")
    page.get_by_test_id("checkout-submit").click()
    page.get_by_test_id("test-payment-pay").click()
    expect(page.get_by_test_id("order-confirmation")).to_be_visible()
    number = page.get_by_test_id("order-number").inner_text()

    page.get_by_role("link", name="My orders").first.click()
    page.get_by_role("main").get_by_test_id("points-link").click()

    expect(page.get_by_test_id("points-balance")).to_have_text("500")
    expect(page.get_by_test_id("points-pending")).to_have_text("50")
    expect(page.get_by_test_id("points-entry")).to_have_count(3)
    expect(page.get_by_test_id("points-entry").first).to_contain_text(number)
    expect(page.get_by_test_id("points-entry").last).to_contain_text("Welcome to the club")
    assert axe_violations(page, shop_url) == []
