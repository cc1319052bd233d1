import pytest
from playwright.sync_api import expect

from cart.models import CartLine
from tests.browser.test_accessibility import axe_violations
from tests.factories import ProductFactory, ProductLineFieldFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def knife(transactional_db, shipping_methods):
    product = ProductFactory(
        name="Chef's Knife", variants__price="89.00", variants__stock_on_hand=5
    )
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    return product


def test_an_engraved_line_shows_under_its_line_in_the_cart_and_reaches_checkout(
    page, shop_url, knife
):
    page.goto(shop_url + knife.get_absolute_url())
    engraving = page.get_by_test_id("line-property-engraving")
    expect(engraving).to_have_attribute("maxlength", "20")
    assert axe_violations(page, shop_url) == []
    engraving.fill("For Ada")
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")

    page.goto(shop_url + "/cart/")
    line = page.get_by_test_id("cart-item")
    expect(line).to_have_count(1)
    expect(line.get_by_test_id("line-properties")).to_have_text("Engraving: For Ada")
    page.get_by_test_id("cart-note").fill("Gift, please no invoice.")
    expect(page.get_by_test_id("cart-note-status")).to_have_text("Note saved.")
    assert axe_violations(page, shop_url) == []

    page.get_by_test_id("checkout-button").click()

    expect(page.get_by_test_id("checkout-form")).to_be_visible()
    summary = page.locator("#checkout-summary")
    expect(summary.get_by_test_id("line-properties")).to_have_text("Engraving: For Ada")
    expect(summary.get_by_test_id("checkout-note")).to_contain_text("Gift, please no invoice.")
    assert CartLine.objects.get().properties == {"engraving": "For Ada"}
