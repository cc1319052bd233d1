"""Saved for later and the wishlist in the browser (issue 15, points 1, 2): saving a line and
moving it back on the cart page, the heart on the product page and on cards, the wishlist
page; with htmx and without JavaScript."""

import pytest
from playwright.sync_api import expect

from cart.models import SavedItem, WishlistItem
from tests.browser.test_accessibility import axe_violations
from tests.factories import ProductFactory, VariantFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser


@pytest.fixture
def mug(transactional_db):
    return ProductFactory(name="Stone Mug", variants__price="12.00")


@pytest.fixture
def lamp(transactional_db):
    return ProductFactory(name="Desk Lamp", variants__price="40.00")


def test_saving_a_line_and_moving_it_back_updates_badge_totals_and_saved_items(
    page, shop_url, mug, lamp
):
    add_to_cart(page, shop_url, mug, quantity=2)
    add_to_cart(page, shop_url, lamp)
    page.goto(shop_url + "/cart/")
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("$64.00")
    mug_line = page.get_by_test_id("cart-item").filter(has_text="Stone Mug")

    mug_line.get_by_test_id("save-for-later").click()

    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    expect(page.get_by_test_id("cart-item")).to_have_count(1)
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("$40.00")
    saved = page.get_by_test_id("saved-item")
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text("Stone Mug")
    expect(page.get_by_test_id("toast")).to_contain_text("Saved Stone Mug for later.")
    assert axe_violations(page, shop_url) == []
    page.get_by_test_id("cart-icon").click()
    expect(page.get_by_test_id("mini-cart-item")).to_have_count(1)
    page.keyboard.press("Escape")

    saved.get_by_test_id("move-to-cart").click()

    expect(page.get_by_test_id("cart-count")).to_have_text("3")
    expect(page.get_by_test_id("cart-item")).to_have_count(2)
    expect(page.get_by_test_id("saved-items")).to_have_count(0)
    expect(page.get_by_test_id("cart-subtotal")).to_have_text("$64.00")
    assert not SavedItem.objects.exists()


def test_a_refused_move_back_is_told_and_the_item_stays_saved(page, shop_url, mug):
    add_to_cart(page, shop_url, mug, quantity=3)
    page.goto(shop_url + "/cart/")
    page.get_by_test_id("save-for-later").click()
    expect(page.get_by_test_id("saved-item")).to_have_count(1)
    mug.variants.update(stock_on_hand=1)

    page.get_by_test_id("move-to-cart").click()

    expect(page.get_by_test_id("toast")).to_contain_text("Only 1 left in stock")
    expect(page.get_by_test_id("saved-item")).to_have_count(1)
    expect(page.get_by_test_id("cart-count")).to_have_text("0")


def test_the_heart_toggles_on_the_product_page_and_the_wishlist_page_moves_to_cart(
    page, shop_url, mug
):
    page.goto(shop_url + mug.get_absolute_url())
    heart = page.get_by_test_id("add-to-wishlist")
    expect(heart).to_have_attribute("aria-pressed", "false")

    heart.click()

    expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("wishlist-count")).to_have_text("1")
    expect(page.get_by_test_id("cart-count")).to_have_text("0")  # a wish is not an add
    assert axe_violations(page, shop_url) == []

    page.get_by_test_id("wishlist-link").click()
    expect(page).to_have_url(shop_url + "/wishlist/")
    item = page.get_by_test_id("wishlist-item")
    expect(item).to_have_count(1)
    assert axe_violations(page, shop_url) == []
    item.get_by_test_id("wishlist-move-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    expect(page.get_by_test_id("wishlist-item")).to_have_count(1)  # it stays

    page.get_by_test_id("wishlist-remove").click()
    expect(page.get_by_test_id("wishlist-empty")).to_be_visible()
    expect(page.get_by_test_id("wishlist-count")).to_have_text("0")

    page.goto(shop_url + mug.get_absolute_url())
    page.get_by_test_id("add-to-wishlist").click()
    expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("add-to-wishlist").click()
    expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("wishlist-count")).to_have_text("0")


def test_the_heart_follows_the_chosen_variant(page, shop_url, transactional_db):
    product = ProductFactory(name="Tee", variants=0)
    small = VariantFactory(product=product, name="Small", position=1)
    large = VariantFactory(product=product, name="Large", position=2)
    page.goto(shop_url + product.get_absolute_url())
    page.get_by_test_id(f"variant-{large.slug}").click()
    page.get_by_test_id("add-to-wishlist").click()
    expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "true")

    page.get_by_test_id(f"variant-{small.slug}").click()
    expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "false")
    page.get_by_test_id(f"variant-{large.slug}").click()
    expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "true")
    assert list(WishlistItem.objects.values_list("variant_id", flat=True)) == [large.pk]


def test_hearts_on_product_cards(page, shop_url, mug):
    page.goto(shop_url + "/products/")
    heart = page.get_by_test_id("add-to-wishlist").first

    heart.click()

    expect(page.get_by_test_id("add-to-wishlist").first).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("wishlist-count")).to_have_text("1")


def test_without_javascript_save_restore_and_wish_work_by_plain_forms(
    browser, browser_context_args, shop_url, mug
):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(shop_url + mug.get_absolute_url())
        page.get_by_test_id("add-to-cart").click()
        page.goto(shop_url + "/cart/")
        page.get_by_test_id("save-for-later").click()
        expect(page).to_have_url(shop_url + "/cart/")
        expect(page.get_by_test_id("saved-item")).to_have_count(1)
        expect(page.get_by_test_id("cart-count")).to_have_text("0")
        page.get_by_test_id("move-to-cart").click()
        expect(page.get_by_test_id("cart-count")).to_have_text("1")

        page.goto(shop_url + mug.get_absolute_url())
        page.get_by_test_id("add-to-wishlist").click()
        expect(page).to_have_url(shop_url + mug.get_absolute_url())
        expect(page.get_by_test_id("add-to-wishlist")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_test_id("wishlist-count")).to_have_text("1")
        expect(page.get_by_test_id("cart-count")).to_have_text("1")
    finally:
        context.close()
