"""The product list as shoppers see it on a phone and a desktop: long searches, headings,
sorting and pages without JavaScript, sale prices and thumbnails (issue 14)."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.browser

AXE = "/static/vendor/axe-core/axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}


def axe_violations(page: Page, shop_url: str, rules: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page's main content (the header is another point's)."""
    page.add_script_tag(url=shop_url + AXE)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    return page.evaluate(
        """async (options) => {
            const result = await axe.run('#main', options);
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        options,
    )


@pytest.mark.parametrize("device", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_3000_character_search_stays_within_the_screen(browser, shop_url, device):
    context = browser.new_context(locale="en-US", **device)
    page = context.new_page()

    page.goto(shop_url + "/products/?q=" + "x" * 3000)

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Results for")
    width = page.evaluate("innerWidth")
    assert heading.bounding_box()["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


def test_the_product_list_has_no_heading_level_skipped(page, shop_url):
    ProductFactory(name="Copper Kettle", category=CategoryFactory(name="Kitchen"))

    for path in ("/products/", "/products/?q=unicorn"):
        page.goto(shop_url + path)
        assert axe_violations(page, shop_url, ["heading-order"]) == [], path


def test_sort_pages_badges_and_suggestions_pass_axe(page, shop_url, settings):
    from tests.factories import ProductImageFactory, VariantFactory

    settings.PRODUCTS_PER_PAGE = 2
    kitchen = CategoryFactory(name="Kitchen")
    espresso = ProductFactory(name="Aurora Espresso Machine", category=kitchen, variants=0)
    VariantFactory(product=espresso, price="499.99", compare_at_price="579.00")
    ProductImageFactory(product=espresso)
    for i in range(5):
        ProductFactory(name=f"Pan {i}", category=kitchen, variants__stock_on_hand=i)

    found = {}
    for path in (
        "/products/",
        "/products/?page=2&sort=price-desc",
        "/products/?q=unicorn",
        espresso.get_absolute_url(),
    ):
        page.goto(shop_url + path)
        found[path] = [
            v
            for v in axe_violations(page, shop_url)
            if v["impact"] in ("moderate", "serious", "critical")
        ]

    assert {path: v for path, v in found.items() if v} == {}


def test_sorting_and_numbered_pages_work_without_javascript(browser, shop_url, settings):
    settings.PRODUCTS_PER_PAGE = 2
    for name, price in [("Ash", 20), ("Birch", 50), ("Cedar", 10), ("Dogwood", 40), ("Elm", 30)]:
        ProductFactory(name=f"{name} Bowl", variants__price=price)
    context = browser.new_context(locale="en-US", java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(shop_url + "/products/?q=bowl")
    expect(page.get_by_label("Sort by")).to_have_value("relevance")

    page.get_by_label("Sort by").select_option(label="Price: high to low")
    page.get_by_role("button", name="Sort").click()

    expect(page).to_have_url(shop_url + "/products/?q=bowl&sort=price-desc")
    cards = page.locator(".product-card-name")
    expect(cards).to_have_text(["Birch Bowl", "Dogwood Bowl"])
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 2").click()
    expect(page).to_have_url(shop_url + "/products/?q=bowl&sort=price-desc&page=2")
    expect(cards).to_have_text(["Elm Bowl", "Ash Bowl"])
    expect(page.get_by_label("Sort by")).to_have_value("price-desc")
    context.close()


def test_a_discount_shows_on_the_card_and_on_the_product_page(browser, shop_url):
    from tests.factories import VariantFactory

    espresso = ProductFactory(name="Aurora Espresso Machine", variants=0)
    VariantFactory(product=espresso, price="499.99", compare_at_price="579.00")
    mixer = ProductFactory(name="Stand Mixer", variants=0)
    VariantFactory(product=mixer, name="Red", price="359.00", option_values={"colour": "Red"})
    VariantFactory(
        product=mixer,
        name="Cream",
        price="349.00",
        compare_at_price="399.00",
        option_values={"colour": "Cream"},
    )
    context = browser.new_context(locale="en-US", **PHONE)
    page = context.new_page()

    page.goto(shop_url + "/products/")
    card = page.locator(".product-card", has_text="Aurora Espresso Machine")
    expect(card.locator(".badge-sale")).to_be_visible()
    expect(card.locator("s")).to_have_text("Was $579.00")
    expect(card.locator("s")).to_be_visible()

    page.goto(shop_url + mixer.get_absolute_url())
    expect(page.locator(".product-buy .badge-sale")).to_have_text("Sale")
    page.get_by_test_id("variant-cream").click()
    expect(page.locator(".product-price s")).to_have_text("Was $399.00")
    page.get_by_test_id("variant-red").click()
    expect(page.locator(".product-price s")).to_have_count(0)
    context.close()


def test_phones_load_small_thumbnails_on_cards_and_larger_ones_on_the_product_page(
    browser, shop_url
):
    from tests.factories import ProductImageFactory

    product = ProductFactory(name="Copper Kettle")
    ProductImageFactory(product=product, image__width=1200, image__height=1200)
    context = browser.new_context(locale="en-US", device_scale_factor=2, **PHONE)
    page = context.new_page()

    page.goto(shop_url + "/products/")
    card = page.locator(".product-card img")
    expect(card).to_have_js_property("complete", True)
    card_src = card.evaluate("img => img.currentSrc")

    page.goto(shop_url + product.get_absolute_url())
    picture = page.locator(".product-gallery img")
    expect(picture).to_have_js_property("complete", True)
    big_src = picture.evaluate("img => img.currentSrc")

    # A thumbnail's file name says its size: "…jpg.480x480_q82_crop.jpg".
    assert "/media/thumbs/" in card_src and _file_width(card_src) == 480  # 2x a half-width card
    assert "/media/thumbs/" in big_src and _file_width(big_src) >= 600
    context.close()


def _file_width(url: str) -> int:
    return int(re.search(r"\.(\d+)x\d+_", url).group(1))
