"""Shared carts in the browser (issue 15, point 3): a shopper shares their cart, and the
link opened in a second browser (a phone, with cookies of its own) adds it all to that
visitor's cart; without JavaScript too."""

import re

import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from cart.models import Cart, SharedCart
from tests.browser.test_accessibility import axe_violations
from tests.factories import DEFAULT_PASSWORD, ProductFactory, ProductLineFieldFactory, UserFactory
from tests.helpers import add_to_cart, log_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SHARED_LINK = re.compile(r"^http://[^/]+/cart/shared/[\w-]{43}/$")


@pytest.fixture
def knife(transactional_db):
    product = ProductFactory(name="Chef's Knife", variants__price="89.00")
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    return product


@pytest.fixture
def mug(transactional_db):
    return ProductFactory(name="Stone Mug", variants__price="12.00")


def add_engraved(page, shop_url, product, engraving):
    page.goto(shop_url + product.get_absolute_url())
    page.get_by_test_id("line-property-engraving").fill(engraving)
    before = int(page.get_by_test_id("cart-count").inner_text())
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text(str(before + 1))


def test_a_shared_link_opened_in_a_second_browser_adds_everything_to_that_cart(
    page, shop_url, browser, browser_context_args, knife, mug
):
    sharer = UserFactory(email="sharer@example.com")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=shop_url)
    log_in(page, shop_url, sharer.email, DEFAULT_PASSWORD)
    add_engraved(page, shop_url, knife, "For Ada")
    add_to_cart(page, shop_url, mug, quantity=2)
    page.goto(shop_url + "/cart/")

    page.get_by_test_id("share-cart").click()

    url_field = page.get_by_test_id("share-cart-url")
    expect(url_field).to_be_visible()
    expect(url_field).to_be_focused()  # the link is where the shopper looks next
    expect(url_field).to_have_value(SHARED_LINK)
    link = url_field.input_value()
    assert link == f"{shop_url}/cart/shared/{SharedCart.objects.get().token}/"
    page.get_by_test_id("share-cart-copy").click()
    expect(page.get_by_test_id("share-cart-copied")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == link
    assert axe_violations(page, shop_url) == []

    visitor_context = browser.new_context(**{**browser_context_args, **PHONE})
    try:
        visitor = visitor_context.new_page()
        visitor.set_default_timeout(10_000)
        visitor.goto(link)

        items = visitor.get_by_test_id("shared-cart-item")
        expect(items).to_have_count(2)
        expect(
            items.filter(has_text="Chef's Knife").get_by_test_id("line-properties")
        ).to_have_text("Engraving: For Ada")
        expect(items.filter(has_text="Stone Mug")).to_contain_text("Quantity: 2")
        expect(visitor.get_by_test_id("shared-cart-subtotal")).to_have_text("$113.00")
        expect(visitor.locator("body")).not_to_contain_text("sharer@example.com")
        expect(visitor.get_by_test_id("cart-count")).to_have_text("0")
        assert visitor.evaluate("document.documentElement.scrollWidth") <= 390
        assert axe_violations(visitor, shop_url) == []

        visitor.get_by_test_id("shared-cart-add-all").click()

        expect(visitor).to_have_url(shop_url + "/cart/")
        expect(visitor.get_by_test_id("toast")).to_contain_text("Added 3 items to your cart.")
        expect(visitor.get_by_test_id("cart-count")).to_have_text("3")
        lines = visitor.get_by_test_id("cart-item")
        expect(lines).to_have_count(2)
        expect(
            lines.filter(has_text="Chef's Knife").get_by_test_id("line-properties")
        ).to_have_text("Engraving: For Ada")
        expect(lines.filter(has_text="Stone Mug").get_by_test_id("item-quantity")).to_have_value(
            "2"
        )
    finally:
        visitor_context.close()

    # The sharer's own cart is as it was.
    page.reload()
    expect(page.get_by_test_id("cart-count")).to_have_text("3")
    assert Cart.objects.filter(user=sharer).get().lines.count() == 2


def test_without_javascript_the_link_shows_and_adding_all_works(
    browser, browser_context_args, shop_url, mug
):
    contexts = [
        browser.new_context(**{**browser_context_args, **PHONE}, java_script_enabled=False)
        for _ in range(2)
    ]
    try:
        sharer, visitor = (context.new_page() for context in contexts)
        sharer.goto(shop_url + mug.get_absolute_url())
        sharer.get_by_test_id("quantity-input").fill("2")
        sharer.get_by_test_id("add-to-cart").click()
        sharer.goto(shop_url + "/cart/")

        sharer.get_by_test_id("share-cart").click()

        expect(sharer).to_have_url(shop_url + "/cart/#share-cart")
        url_field = sharer.get_by_test_id("share-cart-url")
        expect(url_field).to_be_visible()
        expect(url_field).to_have_value(SHARED_LINK)
        expect(sharer.get_by_test_id("share-cart-copy")).to_be_hidden()  # needs JavaScript

        visitor.goto(url_field.input_value())
        expect(visitor.get_by_test_id("shared-cart-item")).to_have_count(1)
        visitor.get_by_test_id("shared-cart-add-all").click()

        expect(visitor).to_have_url(shop_url + "/cart/")
        expect(visitor.get_by_test_id("cart-count")).to_have_text("2")
        expect(visitor.get_by_test_id("toast")).to_contain_text("Added 2 items to your cart.")
    finally:
        for context in contexts:
            context.close()


def test_an_unknown_link_shows_the_shop_s_404_page(page, shop_url):
    response = page.goto(shop_url + "/cart/shared/no-such-link-of-a-proper-length-0123456789/")

    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We can’t find that page")


def test_staff_make_an_assisted_sale_link_in_admin(page, shop_url, knife):
    staff = UserFactory(email="clerk@example.com", is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="assisted_sale_sharedcart"),
        Permission.objects.get(codename="view_variant"),
    )
    page.goto(shop_url + "/admin/login/?next=/admin/")
    page.fill("#id_username", staff.email)
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.click("input[type=submit]")
    page.goto(shop_url + "/admin/cart/sharedcart/add/")

    first = page.get_by_test_id("assisted-sale-line").first
    first.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Knife")
    page.locator(".select2-results__option", has_text="Chef's Knife").click()
    first.get_by_test_id("assisted-sale-quantity").fill("2")
    first.get_by_test_id("assisted-sale-properties").fill("engraving: For Ada")
    page.get_by_test_id("assisted-sale-submit").click()

    expect(page.locator(".messagelist")).to_contain_text("Link made")
    link = page.get_by_test_id("share-cart-url").input_value()
    assert SHARED_LINK.match(link)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Picked for you at")
    item = page.get_by_test_id("shared-cart-item")
    expect(item).to_contain_text("Quantity: 2")
    expect(item.get_by_test_id("line-properties")).to_have_text("Engraving: For Ada")
