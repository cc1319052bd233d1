"""The live cart in the browser: every open page of a shopper follows changes made elsewhere.

These run on the project under uvicorn (the `asgi_url` fixture), as `make run` serves it, so
the pages' streams (/events/) are answered."""

import pytest
from playwright.sync_api import expect

from catalog.services import variant_update
from tests.factories import DEFAULT_PASSWORD, ProductFactory, StaffFactory, UserFactory
from tests.helpers import add_to_cart, log_in

pytestmark = pytest.mark.browser

WITHIN_2S = 2_000


@pytest.fixture
def kettle(transactional_db):
    return ProductFactory(
        name="Copper Kettle", variants__price="40.00", variants__stock_on_hand=20
    )


def listening(page):
    """Wait until the page's stream is open, as it is soon after any page loads."""
    expect(page.locator("html[data-live-stream=open]")).to_have_count(1)


def test_a_change_in_one_browser_shows_in_the_shoppers_other_within_2_seconds(
    page, asgi_url, kettle, browser, browser_context_args
):
    shopper = UserFactory()
    log_in(page, asgi_url, shopper.email, DEFAULT_PASSWORD)
    add_to_cart(page, asgi_url, kettle, quantity=1)
    page.goto(asgi_url + "/cart/")
    listening(page)

    phone = browser.new_context(**browser_context_args)
    try:
        other = phone.new_page()
        log_in(other, asgi_url, shopper.email, DEFAULT_PASSWORD)
        add_to_cart(other, asgi_url, kettle, quantity=2)

        expect(page.get_by_test_id("cart-count")).to_have_text("3", timeout=WITHIN_2S)
        expect(page.get_by_test_id("item-quantity")).to_have_value("3", timeout=WITHIN_2S)
        # The mini cart, opened now, shows the same without asking again.
        page.get_by_test_id("cart-icon").hover()

        # And back: a removal on this page reaches the other browser's header.
        listening(other)
        page.get_by_test_id("remove-item").click()
        expect(other.get_by_test_id("cart-count")).to_have_text("0", timeout=WITHIN_2S)
    finally:
        phone.close()
    # No reload happened: the page still holds what the test left on it.
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1


def test_staff_lowering_the_stock_in_admin_shows_on_an_open_cart_page(
    page, asgi_url, kettle, browser, browser_context_args
):
    add_to_cart(page, asgi_url, kettle, quantity=3)
    page.goto(asgi_url + "/cart/")
    listening(page)
    expect(page.get_by_test_id("item-insufficient-stock")).to_have_count(0)

    variant = kettle.variants.get()
    staff = StaffFactory()
    office = browser.new_context(**browser_context_args)
    try:
        admin = office.new_page()
        admin.goto(asgi_url + "/admin/login/")
        admin.fill("#id_username", staff.email)
        admin.fill("#id_password", DEFAULT_PASSWORD)
        admin.click("input[type=submit]")
        admin.goto(asgi_url + f"/admin/catalog/variant/{variant.pk}/change/")
        admin.fill("#id_stock_on_hand", "1")
        admin.click("input[name=_save]")
        expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    finally:
        office.close()

    expect(page.get_by_test_id("item-insufficient-stock")).to_contain_text(
        "Only 1 left in stock", timeout=WITHIN_2S
    )


def test_a_new_price_shows_as_the_usual_notice_in_the_cart_and_mini_cart(page, asgi_url, kettle):
    add_to_cart(page, asgi_url, kettle, quantity=1)
    page.goto(asgi_url + "/cart/")
    listening(page)

    variant_update(variant_id=kettle.variants.get().pk, price="45.00")

    expect(page.get_by_test_id("price-changed")).to_contain_text(
        "Price changed from $40.00 to $45.00", timeout=WITHIN_2S
    )


def test_without_a_stream_the_cart_is_revalidated_when_the_tab_comes_back(page, asgi_url, kettle):
    page.route("**/events/", lambda route: route.abort())
    add_to_cart(page, asgi_url, kettle, quantity=1)
    page.goto(asgi_url + "/cart/")

    variant_update(variant_id=kettle.variants.get().pk, price="44.00")
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("price-changed")).to_have_count(0)  # nothing heard

    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")

    expect(page.get_by_test_id("price-changed")).to_contain_text("$44.00", timeout=WITHIN_2S)
