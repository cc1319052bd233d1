"""The checkout form and the pages around the payment, as a shopper on a phone sees them."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from checkout.models import Order
from tests.factories import ProductFactory, PromoCodeFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def espresso(transactional_db, shipping_methods):
    return ProductFactory(
        name="Aurora Espresso Machine", variants__price="499.99", variants__stock_on_hand=5
    )


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(**{**browser_context_args, **PHONE})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def phone_without_js(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, **PHONE, "java_script_enabled": False}
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_findings(page, shop_url) -> list[dict]:
    """axe-core's critical, serious and moderate violations on the page as it is now."""
    page.add_script_tag(url=shop_url + "/static/vendor/axe-core/axe.min.js")
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
            .map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"""
    )
    return [v for v in found if v["impact"] in ("critical", "serious", "moderate")]


def red_fields(page):
    return page.locator(".checkout-fields .has-error, .checkout-fields [aria-invalid=true]")


def test_choosing_shipping_and_a_promo_first_marks_no_field_red(phone, shop_url, espresso):
    PromoCodeFactory(code="SAVE10", kind="percent", value="10")
    add_to_cart(phone, shop_url, espresso)
    phone.goto(shop_url + "/checkout/")

    phone.get_by_test_id("shipping-express").check()
    expect(phone.get_by_test_id("checkout-shipping")).to_have_text("$15.00")
    expect(red_fields(phone)).to_have_count(0)
    phone.get_by_test_id("promo-input").fill("save10")
    phone.get_by_test_id("promo-apply").click()
    expect(phone.get_by_test_id("promo-applied")).to_be_visible()

    expect(red_fields(phone)).to_have_count(0)
    expect(phone.locator(".field-error")).to_have_count(0)
    expect(phone.get_by_test_id("shipping-express")).to_be_checked()


def test_a_field_is_checked_when_the_shopper_leaves_it_and_only_that_field(
    phone, shop_url, espresso
):
    add_to_cart(phone, shop_url, espresso)
    phone.goto(shop_url + "/checkout/")

    postal = phone.get_by_label("Postal code")
    postal.fill("!")
    postal.press("Tab")

    expect(phone.locator(".field.has-error")).to_have_count(1)
    expect(postal).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_text("Please enter a valid postal code.")).to_be_visible()
    expect(phone.get_by_label("Country")).to_be_focused()  # the shopper's place is kept
    assert axe_findings(phone, shop_url) == []
    # Tabbing through fields without typing marks nothing.
    phone.get_by_test_id("email-input").focus()
    for _ in range(4):
        phone.keyboard.press("Tab")
    expect(phone.locator(".field.has-error")).to_have_count(1)
    # A quote update keeps what the shopper was already told.
    phone.get_by_test_id("shipping-express").check()
    expect(phone.get_by_test_id("checkout-shipping")).to_have_text("$15.00")
    expect(phone.locator(".field.has-error")).to_have_count(1)

    postal.fill("12345")
    postal.press("Tab")
    expect(phone.locator(".field.has-error")).to_have_count(0)

    phone.get_by_test_id("checkout-submit").click()
    expect(phone.get_by_test_id("email-input")).to_have_attribute("aria-invalid", "true")
    expect(phone.get_by_label("Full name")).to_have_attribute("aria-invalid", "true")
    expect(postal).not_to_have_attribute("aria-invalid", "true")


def test_without_javascript_applying_a_promo_marks_no_field_red(
    phone_without_js, shop_url, espresso
):
    page = phone_without_js
    add_to_cart(page, shop_url, espresso)
    page.goto(shop_url + "/checkout/")

    page.get_by_test_id("shipping-express").check()
    page.get_by_test_id("promo-input").fill("NOPE")
    page.get_by_test_id("promo-apply").click()

    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.get_by_test_id("promo-error")).to_be_visible()
    expect(page.get_by_test_id("checkout-shipping")).to_have_text("$15.00")
    expect(red_fields(page)).to_have_count(0)
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_test_id("email-input")).to_have_attribute("aria-invalid", "true")


def test_after_a_failed_payment_the_form_comes_back_filled_in(phone, shop_url, espresso):
    add_to_cart(phone, shop_url, espresso)
    phone.goto(shop_url + "/checkout/")
    phone.get_by_test_id("email-input").fill("grace@example.com")
    phone.get_by_label("Full name").fill("Grace Hopper")
    phone.get_by_label("Address", exact=True).fill("1 Main St")
    phone.get_by_label("City").fill("Springfield")
    phone.get_by_label("Postal code").fill("12345")
    phone.get_by_label("Country").select_option("DE")
    phone.get_by_test_id("shipping-express").check()
    expect(phone.get_by_test_id("checkout-shipping")).to_have_text("$15.00")
    phone.get_by_test_id("checkout-submit").click()
    phone.get_by_test_id("test-payment-fail").click()
    expect(phone.get_by_text("The test payment failed")).to_be_visible()

    phone.get_by_test_id("checkout-button").click()

    expect(phone.get_by_test_id("email-input")).to_have_value("grace@example.com")
    expect(phone.get_by_label("Full name")).to_have_value("Grace Hopper")
    expect(phone.get_by_label("Address", exact=True)).to_have_value("1 Main St")
    expect(phone.get_by_label("City")).to_have_value("Springfield")
    expect(phone.get_by_label("Postal code")).to_have_value("12345")
    expect(phone.get_by_label("Country")).to_have_value("DE")
    expect(phone.get_by_test_id("shipping-express")).to_be_checked()
    expect(red_fields(phone)).to_have_count(0)


def lines_taken(page, container, text: str) -> int:
    """How many lines `text` (inside `container`) is spread over on the screen."""
    return container.evaluate(
        """(el, text) => {
            const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.textContent.indexOf(text);
                if (at < 0) continue;
                const range = document.createRange();
                range.setStart(walker.currentNode, at);
                range.setEnd(walker.currentNode, at + text.length);
                return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
            }
            return 0;
        }""",
        text,
    )


def fill_and_pay_page(page, shop_url):
    page.goto(shop_url + "/cart/")
    page.get_by_test_id("checkout-button").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))  # not /checkout/?
    page.get_by_test_id("email-input").fill("grace@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address", exact=True).fill("1 Main St")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Country").select_option("US")
    page.get_by_test_id("shipping-express").check()
    expect(page.get_by_test_id("checkout-shipping")).to_have_text("$15.00")
    page.get_by_test_id("promo-input").fill("SAVE10")
    page.get_by_test_id("promo-apply").click()
    expect(page.get_by_test_id("promo-applied")).to_be_visible()
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_text("no money moves")).to_be_visible()


def test_the_pay_page_keeps_the_order_number_whole_and_shows_the_totals_parts(
    phone, shop_url, espresso
):
    PromoCodeFactory(code="SAVE10", kind="percent", value="10")
    add_to_cart(phone, shop_url, espresso)

    fill_and_pay_page(phone, shop_url)

    order = Order.objects.get()
    assert axe_findings(phone, shop_url) == []
    assert lines_taken(phone, phone.get_by_role("main"), order.number) == 1
    totals = phone.locator(".test-payment dl")
    expect(totals.locator("div", has_text="Subtotal")).to_contain_text("$499.99")
    expect(totals.locator("div", has_text="Discount")).to_contain_text("−$50.00")
    expect(totals.locator("div", has_text="Shipping")).to_contain_text("$15.00")
    expect(totals.locator("div", has_text="Tax")).to_contain_text(f"${order.tax_total}")
    expect(phone.get_by_test_id("test-payment-total")).to_have_text(f"${order.total}")

    phone.get_by_test_id("test-payment-pay").click()
    confirmation = phone.get_by_test_id("order-confirmation")
    expect(confirmation).to_contain_text("Express (next working day)")
    expect(confirmation).not_to_contain_text("(Express (")
    assert lines_taken(phone, confirmation, order.number) == 1


def test_without_javascript_the_cart_goes_to_checkout_without_a_stray_question_mark(
    phone_without_js, shop_url, espresso
):
    add_to_cart(phone_without_js, shop_url, espresso)
    phone_without_js.goto(shop_url + "/cart/")

    phone_without_js.get_by_test_id("checkout-button").click()

    expect(phone_without_js).to_have_url(re.compile(r"/checkout/$"))
    expect(phone_without_js.get_by_test_id("checkout-form")).to_be_visible()


def test_a_guest_creates_an_account_from_the_confirmation_page_and_finds_the_order(
    phone, shop_url, espresso
):
    PromoCodeFactory(code="SAVE10", kind="percent", value="10")
    add_to_cart(phone, shop_url, espresso)
    fill_and_pay_page(phone, shop_url)
    phone.get_by_test_id("test-payment-pay").click()
    number = phone.get_by_test_id("order-number").inner_text()

    findings = {"confirmation": axe_findings(phone, shop_url)}
    phone.get_by_test_id("create-account").click()
    expect(phone.get_by_test_id("email-input")).to_have_value("grace@example.com")
    phone.get_by_test_id("password-input").fill("a-long-unusual-passphrase")
    phone.get_by_test_id("signup-button").click()

    expect(phone).to_have_url(re.compile(r"/orders/$"))
    expect(phone.get_by_test_id("email-unconfirmed")).to_be_visible()
    expect(phone.get_by_test_id("order-row")).to_have_count(0)
    findings["orders, unconfirmed"] = axe_findings(phone, shop_url)

    (message,) = [m for m in mail.outbox if "/account/confirm/" in m.body]
    link = re.search(r"(/account/confirm/\S+/)", message.body).group(1)
    phone.goto(shop_url + link)
    findings["confirm email"] = axe_findings(phone, shop_url)
    phone.get_by_test_id("email-confirm-button").click()

    expect(phone).to_have_url(re.compile(r"/orders/$"))
    expect(phone.get_by_test_id("order-row").filter(has_text=number)).to_be_visible()
    expect(phone.get_by_test_id("email-unconfirmed")).to_have_count(0)
    assert {page: found for page, found in findings.items() if found} == {}
