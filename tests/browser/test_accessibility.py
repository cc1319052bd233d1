"""Accessibility: axe-core finds no serious or critical violation on the main pages, the path
from product page to payment works by keyboard alone, and motion respects the user's choice."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, VariantFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

AXE = "/static/vendor/axe-core/axe.min.js"


def axe_violations(page: Page, shop_url: str, context: str = "document") -> list[dict]:
    """Run axe-core (served by the shop itself, so the CSP allows it) and keep what is serious."""
    page.add_script_tag(url=shop_url + AXE)
    found = page.evaluate(
        f"""async () => {{
            const result = await axe.run({context}, {{resultTypes: ['violations']}});
            return result.violations.map(v => ({{
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5),
            }}));
        }}"""
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture
def catalog(transactional_db, shipping_methods):
    tee = ProductFactory(name="Cotton Tee", category=CategoryFactory(name="Apparel"), variants=0)
    VariantFactory(product=tee, name="Small", price="20.00", option_values={"size": "S"})
    VariantFactory(
        product=tee, name="Large", price="24.00", stock_on_hand=3, option_values={"size": "L"}
    )
    ProductImageFactory(product=tee)
    mug = ProductFactory(name="Enamel Mug", variants__price="9.00")
    ProductImageFactory(product=mug)
    return tee, mug


def test_the_main_pages_have_no_serious_violations(page, shop_url, catalog):
    tee, mug = catalog
    checked = {}
    for name, path in [
        ("home", "/"),
        ("product", tee.get_absolute_url()),
        ("login", "/login/"),
        ("empty cart", "/cart/"),
    ]:
        page.goto(shop_url + path)
        checked[name] = axe_violations(page, shop_url)

    add_to_cart(page, shop_url, mug, quantity=2)
    page.goto(shop_url + "/cart/")
    checked["cart"] = axe_violations(page, shop_url)
    page.get_by_test_id("cart-icon").click()
    expect(page.get_by_test_id("mini-cart-dropdown")).to_be_visible()
    checked["mini cart"] = axe_violations(page, shop_url, "'#header-cart'")
    page.goto(shop_url + "/checkout/")
    checked["checkout"] = axe_violations(page, shop_url)

    assert {name: v for name, v in checked.items() if v} == {}


def tab_to(page: Page, locator, limit: int = 80) -> None:
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{locator} is not reachable with Tab")


def test_from_product_page_to_payment_by_keyboard_alone(page, shop_url, catalog):
    tee, _mug = catalog
    page.goto(shop_url + tee.get_absolute_url())

    large = page.get_by_test_id("variant-large").locator("input")
    tab_to(page, page.get_by_test_id("variant-small").locator("input"))
    page.keyboard.press("ArrowRight")  # radio groups move with the arrow keys
    expect(large).to_be_checked()
    tab_to(page, page.get_by_test_id("add-to-cart"))
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("cart-count")).to_have_text("1")

    tab_to(page, page.get_by_test_id("cart-icon"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_test_id("view-all-cart"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cart/$"))
    tab_to(page, page.get_by_test_id("checkout-button"))
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("checkout-form")).to_be_visible()
    for label, text in [
        ("Email", "keys@example.com"),
        ("Full name", "Ada Lovelace"),
        ("Address", "1 Main St"),
        ("City", "Springfield"),
        ("Postal code", "12345"),
    ]:
        tab_to(page, page.get_by_label(label, exact=True))
        page.keyboard.type(text)
    tab_to(page, page.get_by_test_id("checkout-submit"))
    page.keyboard.press("Enter")

    pay = page.get_by_test_id("test-payment-pay")
    expect(pay).to_be_visible()
    tab_to(page, pay)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("order-confirmation")).to_be_visible()
    expect(page.get_by_test_id("order-number")).to_have_text(re.compile(r"^NW-"))


def test_animations_respect_reduced_motion(page, shop_url, catalog):
    _tee, mug = catalog
    page.emulate_media(reduced_motion="reduce")
    add_to_cart(page, shop_url, mug)

    duration = page.get_by_test_id("cart-count").evaluate(
        "el => getComputedStyle(el).animationDuration"
    )

    assert float(duration.rstrip("s")) < 0.001
