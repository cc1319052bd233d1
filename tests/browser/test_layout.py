"""The page frame as shoppers see it on phones and desktops (issue 14): a header that fits
every width and language, floating toasts, a footer at the bottom, a language picker that
waits for "Change", two product cards a row on a phone and a header that folds on scroll."""

import re

import pytest
from playwright.sync_api import expect

from catalog.models import Product
from tests.factories import (
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    VariantFactory,
)
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LONG_EMAIL = "alexandra.konstantinopoulou.vanderbilt@long-example-mail.com"  # 60 characters


@pytest.fixture
def shop(transactional_db, shipping_methods):
    """A small catalog: a product with sizes and a price cut, and a few plain ones."""
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    mixer = ProductFactory(
        name="Stand Mixer",
        slug="stand-mixer",
        category=kitchen,
        variants=0,
        description="\n\n".join(
            ["A planetary mixer with a 5 litre steel bowl and ten speeds."] * 8
        ),
    )
    VariantFactory(
        product=mixer,
        name="Cream",
        price="349.00",
        compare_at_price="579.00",
        option_values={"colour": "Cream"},
    )
    VariantFactory(product=mixer, name="Red", price="359.00", option_values={"colour": "Red"})
    ProductImageFactory(product=mixer)
    for name in ("Copper Kettle", "Linen Apron", "Oak Board", "Enamel Mug"):
        ProductImageFactory(product=ProductFactory(name=name, category=kitchen))
    return mixer


def phone_page(browser, browser_context_args, shop_url, language="en", size=PHONE, **options):
    context = browser.new_context(
        **{**browser_context_args, "viewport": size, "is_mobile": True, "has_touch": True},
        **options,
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": shop_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


# ---------------------------------------------------------------------------
# 3: toasts float over the page
# ---------------------------------------------------------------------------


def page_top(locator) -> float:
    """Where an element starts in the page (not the window), in px."""
    return locator.evaluate("el => el.getBoundingClientRect().top + window.scrollY")


def test_on_a_phone_added_to_cart_shows_on_screen_and_moves_nothing(
    browser, browser_context_args, shop_url, shop
):
    page = phone_page(browser, browser_context_args, shop_url)
    try:
        page.goto(shop_url + shop.get_absolute_url())
        page.get_by_test_id("variant-red").click()
        heading = page.get_by_role("heading", level=1)
        before = page_top(heading)

        page.get_by_test_id("add-to-cart").click()

        toast = page.get_by_test_id("toast")
        expect(toast).to_contain_text("Added to cart")
        expect(toast).to_be_in_viewport()
        box = toast.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert page_top(heading) == before
    finally:
        page.context.close()


def test_a_toast_stays_while_pointed_at_or_focused_then_goes(page, shop_url, shop):
    page.clock.install()
    add_to_cart(page, shop_url, shop, variant=shop.variants.get(name="Red"))
    toast = page.get_by_test_id("toast")
    expect(toast).to_contain_text("Added to cart")

    toast.hover()
    page.clock.fast_forward(20_000)
    expect(toast).to_be_visible()

    page.mouse.move(5, 5)
    page.get_by_test_id("toast-dismiss").focus()
    page.clock.fast_forward(20_000)
    expect(toast).to_be_visible()

    page.get_by_role("heading", level=1).click()  # the focus and the pointer leave
    page.clock.fast_forward(7_000)
    expect(toast).to_have_count(0)


def test_undo_stays_until_dismissed(page, shop_url, shop):
    page.clock.install()
    kettle = Product.objects.get(name="Copper Kettle")
    add_to_cart(page, shop_url, kettle)
    page.goto(shop_url + "/cart/")

    page.get_by_test_id("remove-item").click()
    undo = page.get_by_test_id("undo-remove")
    expect(undo).to_be_visible()
    page.mouse.move(5, 5)
    page.clock.fast_forward(60_000)
    expect(undo).to_be_visible()

    page.get_by_test_id("toast-dismiss").click()
    expect(page.get_by_test_id("toast")).to_have_count(0)


# ---------------------------------------------------------------------------
# 8: the language changes on "Change", never while arrowing through the list
# ---------------------------------------------------------------------------


def test_arrow_keys_on_the_language_select_change_nothing_until_change_is_pressed(
    page, shop_url, shop
):
    page.goto(shop_url + "/products/")
    select = page.get_by_test_id("language-select")
    select.focus()

    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(500)

    expect(page.locator("html")).to_have_attribute("lang", "en")
    chosen = select.input_value()
    assert chosen != "en"  # the arrow did move the choice
    expect(page.get_by_test_id("language-submit")).to_be_visible()
    page.get_by_test_id("language-submit").click()

    expect(page.locator("html")).to_have_attribute("lang", chosen)
    expect(page).to_have_url(re.compile(r"/products/$"))


# ---------------------------------------------------------------------------
# 18: the footer sits at the bottom of a short page
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size", [{"width": 1280, "height": 1000}, PHONE], ids=["desktop", "phone"]
)
def test_the_footer_sits_at_the_bottom_of_a_short_page(
    browser, browser_context_args, shop_url, transactional_db, size
):
    context = browser.new_context(**{**browser_context_args, "viewport": size})
    page = context.new_page()
    try:
        page.goto(shop_url + "/login/")
        bottom = page.locator(".site-footer").evaluate("el => el.getBoundingClientRect().bottom")
        scrolls = page.evaluate("document.documentElement.scrollHeight > innerHeight")
    finally:
        context.close()

    assert not scrolls
    assert abs(bottom - size["height"]) < 1
