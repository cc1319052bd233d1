"""Accessibility: axe-core finds no critical, serious or moderate violation on any page a
shopper or a guest can reach, in English, German and Arabic; the German and Arabic pages show
none of the shop's own words left in English; the path from product page to payment works by
keyboard alone, and motion respects the user's choice."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.test import RequestFactory
from django.utils import translation
from playwright.sync_api import Page, expect

from alerts.services import stock_alert_confirmation_token, stock_alert_request
from cart import services as cart_services
from cart.models import Cart
from cart.selectors import CartOwner
from catalog.models import Variant
from checkout.models import Order
from checkout.services import order_mark_paid
from inventory.services import stock_set
from recovery.links import cart_recovery_token, unsubscribe_token
from shop.tokens import email_confirmation_token
from shop.views import server_error, service_unavailable
from tests.factories import (
    DEFAULT_PASSWORD,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    ProductLineFieldFactory,
    UserFactory,
    VariantFactory,
)
from tests.helpers import add_to_cart, guest_cart, log_in, start

pytestmark = pytest.mark.browser

AXE = "/static/vendor/axe-core/axe.min.js"
IMPACTS = ("moderate", "serious", "critical")
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LOCALE = Path(__file__).resolve().parents[2] / "locale"


def axe_violations(page: Page, shop_url: str, context: str = "document") -> list[dict]:
    """Run axe-core (served by the shop itself, so the CSP allows it) and keep what is
    moderate, serious or critical."""
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
    return [v for v in found if v["impact"] in IMPACTS]


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def shop_words(language: str) -> re.Pattern:
    """A pattern matching the shop's own phrases in English, a placeholder standing for any
    text, except phrases whose translation into `language` is the English itself (an
    untranslated or fuzzy phrase shows in English, so it counts)."""
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as po_file:
        catalog = read_po(po_file, locale=language)
    phrases = []
    for message in catalog:
        for english in message.id if isinstance(message.id, tuple | list) else [message.id]:
            words = PLACEHOLDER.sub("", english)
            if len(words.strip(" .,:;()")) > 3 and (message.fuzzy or message.string != english):
                parts = PLACEHOLDER.split(english.strip())
                phrases.append(".+?".join(re.escape(part) for part in parts))
    return re.compile("|".join(sorted(phrases, key=len, reverse=True)))


def english_left(page: Page, words: re.Pattern) -> list[str]:
    """The page's words (text, and what a screen reader or a tooltip says) that are one of the
    shop's English phrases, outside parts that say they are in another language."""
    found = page.evaluate(
        """() => {
            const lang = document.documentElement.lang;
            const inPageLanguage = el => !el.closest('[lang]') || el.closest('[lang]').lang === lang;
            const said = [];
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const node = walker.currentNode;
                const el = node.parentElement;
                if (el.closest('script, style') || !inPageLanguage(el)) continue;
                said.push(node.textContent.replace(/\\s+/g, ' ').trim().replace(/:$/, ''));
            }
            for (const el of document.body.querySelectorAll('*')) {
                if (!inPageLanguage(el)) continue;
                for (const attr of el.attributes) {
                    if (['aria-label', 'placeholder', 'title', 'alt'].includes(attr.name)
                        || attr.name.startsWith('data-msg-')) said.push(attr.value.trim());
                }
            }
            return [...document.querySelectorAll('title')].map(t => t.textContent.trim()).concat(said);
        }"""
    )
    return sorted({text for text in found if words.fullmatch(text)})


@pytest.fixture
def shop(transactional_db, shipping_methods):
    """One set of data for every page: a category, a product with variants (one nearly sold
    out), one with line fields, one sold out, a shopper with a paid order, a shared cart, and
    the links reminder and confirmation emails carry."""
    apparel = CategoryFactory(name="Apparel", slug="apparel")
    tee = ProductFactory(name="Cotton Tee", category=apparel, variants=0)
    VariantFactory(product=tee, name="Small", price="20.00", option_values={"size": "S"})
    large = VariantFactory(
        product=tee, name="Large", price="24.00", stock_on_hand=3, option_values={"size": "L"}
    )
    ProductImageFactory(product=tee)
    knife = ProductFactory(name="Chef's Knife", category=apparel, variants__price="89.00")
    ProductLineFieldFactory(product=knife, key="engraving", label="Engraving", max_length=20)
    ProductLineFieldFactory(
        product=knife, key="box", label="Gift box", kind="choice", choices=["Oak", "Slate"]
    )
    ProductImageFactory(product=knife)
    sold_out = ProductFactory(name="Copper Kettle", variants__stock_on_hand=0)
    mug = ProductFactory(name="Enamel Mug", variants__price="9.00")

    shopper = UserFactory(email="ada@example.com")
    owner = CartOwner(user=shopper)
    cart_services.cart_add_line(owner=owner, variant_id=mug.variants.get().pk, source="test")
    order = order_mark_paid(
        order_id=start(owner, email=shopper.email).order.pk, payment_intent="pi"
    )

    shared = guest_cart((large, 1), (mug.variants.get(), 2))
    reminded = guest_cart((mug.variants.get(), 1))
    return {
        "tee": tee,
        "large": large,
        "knife": knife,
        "sold_out": sold_out,
        "mug": mug,
        "shopper": shopper,
        "order": order,
        "shared": cart_services.cart_share(owner=shared, source="test").token,
        "recover": cart_recovery_token(Cart.objects.get(token=reminded.token)),
        "unsubscribe": unsubscribe_token("grace@example.com"),
        "confirm": email_confirmation_token(shopper),
        "stock_alert": stock_alert_confirmation_token(
            stock_alert_request(
                variant_id=sold_out.variants.get().pk, email="grace@example.com"
            ).alert
        ),
    }


def error_page(page: Page, shop_url: str, view, language: str) -> None:
    """Show the page the shop answers when it is in trouble (500, 503), as a visitor sees it."""
    with translation.override(language):
        body = view(RequestFactory().get("/")).content
    page.route(
        shop_url + "/trouble/", lambda route: route.fulfill(body=body, content_type="text/html")
    )
    page.goto(shop_url + "/trouble/")
    page.unroute(shop_url + "/trouble/")


@pytest.mark.parametrize("language", ["en", "de", "ar"])
def test_every_page_a_shopper_can_reach_passes_axe(page, shop_url, shop, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": shop_url}])
    words = shop_words(language) if language != "en" else None
    violations, english = {}, {}

    def check(name: str) -> None:
        expect(page.locator("html")).to_have_attribute("lang", language)
        for size, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            violations[f"{name} ({size})"] = axe_violations(page, shop_url)
        if words:
            english[name] = english_left(page, words)

    def visit(name: str, path: str) -> None:
        page.goto(shop_url + path)
        check(name)

    tee, knife = shop["tee"], shop["knife"]
    visit("home", "/")
    visit("search", "/products/?q=tee")
    visit("category", "/products/?category=apparel")
    visit("no results", "/products/?q=zzzzzz")
    visit("product with variants", tee.get_absolute_url())
    visit("product sold out", shop["sold_out"].get_absolute_url())
    page.get_by_test_id("back-in-stock-email").fill("grace@example.com")
    page.get_by_test_id("notify-back-in-stock").click()
    expect(page.get_by_test_id("back-in-stock-status")).not_to_be_empty()
    check("product sold out, alert asked")
    visit("back-in-stock alert to confirm", f"/alerts/confirm/{shop['stock_alert']}/")
    page.get_by_test_id("stock-alert-confirm-button").click()
    expect(page.get_by_test_id("stock-alert-confirmed")).to_be_visible()
    check("back-in-stock alert confirmed")
    visit("empty cart", "/cart/")
    visit("shared cart", f"/cart/shared/{shop['shared']}/")
    visit("404", "/no-such-page/")
    visit("shared cart unknown", "/cart/shared/no-such-link/")
    visit("login", "/login/")
    page.get_by_test_id("email-input").fill("ada@example.com")
    page.get_by_test_id("password-input").fill("not-the-password")
    page.get_by_test_id("login-button").click()
    expect(page.get_by_role("alert").filter(has_text=re.compile(r"\S"))).to_be_visible()
    check("login refused")
    visit("signup", "/signup/")
    page.get_by_test_id("signup-button").click()
    check("signup with errors")
    visit("unsubscribe", f"/cart/unsubscribe/{shop['unsubscribe']}/")
    page.get_by_test_id("unsubscribe-confirm").click()
    check("unsubscribed")
    visit("unsubscribe link broken", "/cart/unsubscribe/broken/")
    visit("confirm link broken", "/account/confirm/broken/")
    visit("recovery link broken", "/cart/recover/broken/")  # the cart, with a notice
    visit("gift card balance", "/gift-cards/balance/")
    visit("wishlist, empty", "/wishlist/")
    error_page(page, shop_url, server_error, language)
    check("500")
    error_page(page, shop_url, service_unavailable, language)
    check("503")

    page.goto(shop_url + tee.get_absolute_url())
    page.get_by_test_id("variant-large").click()
    page.get_by_test_id("quantity-input").fill("9")
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("stock-error")).to_be_visible()
    check("product, a refused add")
    visit("product with line fields", knife.get_absolute_url())
    page.get_by_test_id("line-property-engraving").fill("For Ada")
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    check("product added")
    add_to_cart(page, shop_url, tee, quantity=3, variant=shop["large"])
    page.goto(shop_url + "/cart/")
    page.get_by_test_id("cart-item").filter(has_text="Large").get_by_test_id(
        "quantity-increase"
    ).click()
    expect(page.get_by_test_id("stock-warning")).to_be_visible()
    page.get_by_test_id("cart-note").fill("Gift, please no invoice.")
    expect(page.get_by_test_id("cart-note-status")).not_to_be_empty()
    check("cart with a line property, a stock warning and a note")
    page.get_by_test_id("share-cart").click()
    expect(page.get_by_test_id("share-cart-url")).to_be_visible()
    check("cart shared")
    page.get_by_test_id("cart-icon").click()
    expect(page.get_by_test_id("mini-cart-dropdown")).to_be_visible()
    check("mini cart")

    visit("checkout", "/checkout/")
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_test_id("email-input")).to_have_attribute("aria-invalid", "true")
    check("checkout with errors")
    page.get_by_test_id("email-input").fill("grace@example.com")
    page.locator("#id_name").fill("Grace Hopper")
    page.locator("#id_line1").fill("1 Main St")
    page.locator("#id_city").fill("Springfield")
    page.locator("#id_postal_code").fill("12345")
    page.locator("#id_country").select_option("US")
    page.wait_for_load_state("networkidle")  # the quote for the country has come back
    page.get_by_test_id("checkout-submit").click()
    expect(page.get_by_test_id("test-payment-pay")).to_be_visible()
    check("test payment")
    number = Order.objects.exclude(pk=shop["order"].pk).get().number
    visit("payment cancelled", f"/checkout/cancel/?order={number}")
    page.go_back()
    page.get_by_test_id("test-payment-pay").click()
    expect(page.get_by_test_id("order-number")).to_have_text(number)
    check("order confirmation")

    log_in(page, shop_url, shop["shopper"].email, DEFAULT_PASSWORD)
    check("home, logged in")
    visit("my orders", "/orders/")
    visit("order detail", f"/orders/{shop['order'].number}/")
    visit("confirm email", f"/account/confirm/{shop['confirm']}/")
    visit("notification settings", "/account/notifications/")
    page.get_by_test_id("pref-price-drop").uncheck()
    expect(page.get_by_test_id("preferences-status")).not_to_be_empty()
    check("notification settings saved")
    visit("recovery link, logged in", f"/cart/recover/{shop['recover']}/")
    expect(page.get_by_test_id("recover-confirm")).to_be_visible()

    visit("checkout, empty cart", "/checkout/")
    expect(page.get_by_test_id("checkout-blocked")).to_be_visible()
    add_to_cart(page, shop_url, shop["mug"])
    add_to_cart(page, shop_url, tee, variant=tee.variants.get(name="Small"))
    stock_set(variant_id=shop["mug"].variants.get().pk, quantity=0)
    Variant.objects.filter(product=tee, name="Small").update(price="21.00")
    visit("cart, sold out and repriced", "/cart/")
    expect(page.get_by_test_id("item-out-of-stock")).to_be_visible()
    expect(page.get_by_test_id("price-changed")).to_be_visible()
    visit("checkout, cart to fix", "/checkout/")
    expect(page.get_by_test_id("checkout-blocked")).to_be_visible()
    page.goto(shop_url + "/cart/")
    page.get_by_test_id("cart-item").first.get_by_test_id("save-for-later").click()
    expect(page.get_by_test_id("saved-item")).to_have_count(1)
    check("cart with a saved item")
    page.goto(shop_url + knife.get_absolute_url())
    heart = page.locator("#add-to-wishlist")  # the product's own, not a card's
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    visit("wishlist", "/wishlist/")
    expect(page.get_by_test_id("wishlist-item")).to_have_count(1)
    visit("points", "/account/points/")

    page.goto(shop_url + "/")  # a form posted after the session has gone
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": shop_url}])
    with page.expect_response(shop_url + "/logout/") as refused:
        page.get_by_test_id("logout-button").click()
    assert refused.value.status == 403
    check("session expired")

    assert {name: found for name, found in violations.items() if found} == {}
    assert {name: found for name, found in english.items() if found} == {}


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
