"""Screenshots of the main pages at phone and desktop width, in English, German and Arabic.

Saved to test-artifacts/screenshots/ (make test names the folder at the end), for people
to look at; each test also checks the page is in the right language and direction.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, VariantFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def shop(transactional_db, shipping_methods):
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    mixer = ProductFactory(name="Stand Mixer", slug="stand-mixer", category=kitchen, variants=0)
    VariantFactory(product=mixer, name="Cream", price="349.00", option_values={"colour": "Cream"})
    VariantFactory(
        product=mixer, name="Red", price="359.00", stock_on_hand=3, option_values={"colour": "Red"}
    )
    ProductImageFactory(product=mixer)
    for name in ("Copper Kettle", "Linen Apron", "Oak Board"):
        ProductImageFactory(product=ProductFactory(name=name, category=kitchen))
    return mixer


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["en", "de", "ar"])
def test_screenshots_of_the_main_pages(
    browser, browser_context_args, shop_url, shop, size, language
):
    context = browser.new_context(**{**browser_context_args, "viewport": SIZES[size]})
    context.add_cookies([{"name": "django_language", "value": language, "url": shop_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = SCREENSHOTS / language / size
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(shop_url + "/")
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.screenshot(path=folder / "home.png", full_page=True)
        page.goto(shop_url + shop.get_absolute_url())
        page.screenshot(path=folder / "product.png", full_page=True)
        add_to_cart(page, shop_url, shop, variant=shop.variants.get(name="Red"))
        page.get_by_test_id("cart-icon").click()
        page.screenshot(path=folder / "mini-cart.png")
        page.goto(shop_url + "/cart/")
        page.screenshot(path=folder / "cart.png", full_page=True)
        page.goto(shop_url + "/checkout/")
        page.screenshot(path=folder / "checkout.png", full_page=True)
        page.goto(shop_url + "/login/")
        page.screenshot(path=folder / "login.png", full_page=True)
    finally:
        context.close()
    assert {p.name for p in folder.iterdir()} >= {
        "home.png",
        "product.png",
        "mini-cart.png",
        "cart.png",
        "checkout.png",
        "login.png",
    }
