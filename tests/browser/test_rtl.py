"""Arabic on a phone: money, English names and the breadcrumb read the right way round
(issue 14, point 13)."""

import pytest
from playwright.sync_api import expect

from tests.factories import CategoryFactory, ProductFactory, VariantFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# The text of an element as it shows on screen, read from left to right (line by line): each
# character in the order of where it is drawn, bidi controls left out, spaces collapsed.
VISUAL_TEXT = """(element) => {
  const chars = [];
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const ch = node.data[i];
      if (/[\\u200e\\u200f\\u2066-\\u2069]/.test(ch)) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (!rect.width) continue;
      chars.push({ch, x: rect.left + rect.width / 2, y: rect.top + rect.height / 2});
    }
  }
  chars.sort((a, b) => (Math.abs(a.y - b.y) > 4 ? a.y - b.y : a.x - b.x));
  const text = chars.map((c, i) => (i && c.y - chars[i - 1].y > 4 ? " " : "") + c.ch);
  return text.join("").replace(/\\s+/g, " ").trim();
}"""


TEXT_HUGS_THE_RIGHT_EDGE = """(element) => {
  const range = document.createRange();
  range.selectNodeContents(element);
  return Math.abs(range.getBoundingClientRect().right - element.getBoundingClientRect().right) < 2;
}"""


@pytest.fixture
def mixer(transactional_db):
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen", name_translations={"ar": "المطبخ"})
    product = ProductFactory(
        name="Stand Mixer",
        category=kitchen,
        description="A tilt-head mixer with a 5-quart bowl.",
        variants=0,
    )
    VariantFactory(product=product, name="Default", price="349.00", compare_at_price="399.00")
    return product


@pytest.fixture
def sunscreen(transactional_db):
    return ProductFactory(
        name="Sunscreen SPF 50+",
        description="Water-resistant for 80 minutes. Reapply after swimming.",
    )


def phone_page(browser, browser_context_args, shop_url, language):
    context = browser.new_context(**{**browser_context_args, **PHONE})
    context.add_cookies([{"name": "django_language", "value": language, "url": shop_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def visual(locator) -> str:
    return locator.evaluate(VISUAL_TEXT)


def test_arabic_prices_read_us_dollars_then_the_amount(
    browser, browser_context_args, shop_url, mixer
):
    page = phone_page(browser, browser_context_args, shop_url, "ar")
    try:
        page.goto(shop_url + mixer.get_absolute_url())
        expect(page.locator("html")).to_have_attribute("dir", "rtl")

        assert visual(page.get_by_test_id("product-price")) == "US$ 349.00"
        was = page.locator(".compare-at")
        assert was.locator(".visually-hidden").count() == 1  # "Was", for screen readers
        was.evaluate("el => el.querySelector('.visually-hidden').remove()")
        assert visual(was) == "US$ 399.00"

        add_to_cart(page, shop_url, mixer)
        page.goto(shop_url + "/cart/")
        assert visual(page.get_by_test_id("cart-subtotal")) == "US$ 349.00"
        assert visual(page.get_by_test_id("cart-total")) == "US$ 383.90"
    finally:
        page.context.close()


def test_english_names_and_descriptions_keep_their_own_direction_in_arabic(
    browser, browser_context_args, shop_url, sunscreen
):
    page = phone_page(browser, browser_context_args, shop_url, "ar")
    try:
        page.goto(shop_url + sunscreen.get_absolute_url())

        # Left to run in the page's direction, the "+" and the full stops jumped to the wrong
        # end: "+Sunscreen SPF 50" and ".Water-resistant for 80 minutes. Reapply ...".
        heading = page.get_by_role("heading", level=1)
        assert visual(heading) == "Sunscreen SPF 50+"
        # ... and the name still lines up with the page, on the right.
        assert heading.evaluate(TEXT_HUGS_THE_RIGHT_EDGE)
        assert visual(page.locator(".product-description")) == (
            "Water-resistant for 80 minutes. Reapply after swimming."
        )
        page.goto(shop_url + "/products/")
        assert visual(page.locator(".product-card-name")) == "Sunscreen SPF 50+"
    finally:
        page.context.close()


@pytest.mark.parametrize(("language", "points"), [("ar", "left"), ("en", "right")])
def test_the_breadcrumb_chevron_points_the_way_the_trail_reads(
    browser, browser_context_args, shop_url, mixer, language, points
):
    page = phone_page(browser, browser_context_args, shop_url, language)
    try:
        page.goto(shop_url + mixer.get_absolute_url())
        crumbs = page.locator(".breadcrumbs")
        first = crumbs.get_by_role("link").first.bounding_box()
        last = crumbs.get_by_role("link").last.bounding_box()
        chevron = crumbs.locator(".breadcrumb-separator")

        # The trail runs from "Products" to the category; the chevron points at the category.
        assert (last["x"] < first["x"]) == (points == "left")
        mirrored = chevron.evaluate("(el) => getComputedStyle(el).transform")
        assert (mirrored == "matrix(-1, 0, 0, 1, 0, 0)") == (points == "left")
        expect(crumbs.get_by_role("link").last).to_have_text(
            "المطبخ" if language == "ar" else "Kitchen"
        )
    finally:
        page.context.close()
