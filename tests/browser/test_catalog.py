import re

import pytest
from playwright.sync_api import expect

from tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.browser


def test_shopper_opens_home_then_a_product_and_picks_a_variant(page, shop_url, settings):
    settings.LOW_STOCK_THRESHOLD = 5
    product = ProductFactory(name="Merino Crew Sweater", variants=0)
    VariantFactory(
        product=product, name="M", price="110.00", stock_on_hand=20, option_values={"size": "M"}
    )
    VariantFactory(
        product=product, name="XL", price="120.00", stock_on_hand=3, option_values={"size": "XL"}
    )

    page.goto(shop_url + "/")
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    page.get_by_role("link", name="Merino Crew Sweater").first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merino Crew Sweater")
    expect(page.get_by_test_id("product-price")).to_have_text("From $110.00")

    page.get_by_test_id("variant-xl").click()

    expect(page.get_by_test_id("product-price")).to_have_text("$120.00")
    expect(page.get_by_test_id("stock-status")).to_have_text("Only 3 left")
    expect(page.get_by_test_id("variant-xl").locator("input")).to_be_checked()
    expect(page).to_have_url(re.compile(r"\?variant=xl$"))

    page.get_by_test_id("variant-m").click()

    expect(page.get_by_test_id("product-price")).to_have_text("$110.00")
    expect(page.get_by_test_id("stock-status")).to_have_text("In stock")
    expect(page.get_by_test_id("add-to-cart")).to_be_enabled()
