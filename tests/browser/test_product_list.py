"""The product list as shoppers see it on a phone and a desktop: long searches, headings,
sorting and pages without JavaScript, sale prices and thumbnails (issue 14)."""

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
