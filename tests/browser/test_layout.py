"""The page frame as shoppers see it on phones and desktops (issue 14): a header that fits
every width and language, floating toasts, a footer at the bottom, a language picker that
waits for "Change", two product cards a row on a phone and a header that folds on scroll."""

import re

import pytest
from playwright.sync_api import Page, expect

from cart import services as cart_services
from cart.selectors import CartOwner
from catalog.models import Product
from tests.factories import (
    DEFAULT_PASSWORD,
    CategoryFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
)
from tests.helpers import add_to_cart, log_in, start

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
# 1 and 13: the header fits every width from 320 px, in every language
# ---------------------------------------------------------------------------

FITS = """width => {
    const box = el => el.getBoundingClientRect();
    const middle = r => [r.left + r.width / 2, r.top + r.height / 2];
    const hits = (el) => {
        const [x, y] = middle(box(el));
        const found = document.elementFromPoint(x, y);
        return !!found && el.contains(found);
    };
    const inside = r => r.left >= 0 && r.right <= width;
    const icon = document.querySelector("[data-testid=cart-icon]");
    const search = document.querySelector(".header-search button");
    const toggle = document.querySelector("[data-testid=account-menu-toggle]");
    const brand = document.querySelector(".brand");
    const email = document.querySelector(".user-email");
    const problems = [];
    const de = document.documentElement;
    if (de.scrollWidth > innerWidth || innerWidth !== width) {
        problems.push(`scrolls sideways: ${de.scrollWidth} px wide, ${innerWidth} px window`);
    }
    if (!inside(box(icon)) || !hits(icon)) problems.push("the cart icon is off-screen or covered");
    if (box(icon).height < 40 || box(icon).width < 40) problems.push("the cart icon is too small to tap");
    if (!inside(box(search)) || !hits(search)) problems.push("the search button is cut");
    if (!toggle) return [...problems, "no account icon"];
    if (!inside(box(toggle)) || !hits(toggle)) problems.push("the account icon is off-screen");
    if (email && email.checkVisibility()) problems.push("the email shows on a small screen");
    if (width < 760) {
        const line = el => middle(box(el))[1];
        if (Math.abs(line(brand) - line(icon)) > 4 || Math.abs(line(toggle) - line(icon)) > 4) {
            problems.push("the name, account and cart are not on one line");
        }
        if (box(document.querySelector(".header-search")).top < box(icon).bottom) {
            problems.push("the search field is not on its own line");
        }
    }
    return problems;
}"""


@pytest.mark.parametrize("language", ["en", "de", "ar"])
@pytest.mark.parametrize("logged_in", [False, True], ids=["guest", "logged-in"])
def test_the_header_fits_every_page_at_320_390_and_768_px(
    browser, browser_context_args, shop_url, shop, language, logged_in
):
    pages = [
        "/",
        "/products/",
        shop.get_absolute_url(),
        "/cart/",
        "/checkout/",
        "/login/",
        "/signup/",
        "/orders/",
    ]
    page = phone_page(browser, browser_context_args, shop_url, language)
    try:
        if logged_in:
            shopper = UserFactory(email=LONG_EMAIL)
            owner = CartOwner(user=shopper)
            cart_services.cart_add_line(
                owner=owner, variant_id=shop.variants.first().pk, quantity=1, source="test"
            )
            order = start(owner, email=shopper.email).order
            pages.append(f"/orders/{order.number}/")
            log_in_on_a_phone(page, shop_url, LONG_EMAIL)
        add_to_cart(page, shop_url, shop, variant=shop.variants.get(name="Red"))
        problems = {}
        for path in pages:
            page.set_viewport_size(PHONE)
            page.goto(shop_url + path)
            for width in (320, 390, 768):
                page.set_viewport_size({"width": width, "height": 844})
                found = page.evaluate(FITS, width)
                if found:
                    problems[f"{path} at {width} px"] = found
    finally:
        page.context.close()

    assert problems == {}


def log_in_on_a_phone(page: Page, shop_url: str, email: str) -> None:
    page.goto(shop_url + "/login/")
    page.get_by_test_id("email-input").fill(email)
    page.get_by_test_id("password-input").fill(DEFAULT_PASSWORD)
    page.get_by_test_id("login-button").click()
    expect(page).to_have_url(shop_url + "/")


@pytest.mark.parametrize("scripts", [True, False], ids=["scripts", "no-scripts"])
def test_on_a_phone_the_account_links_open_from_the_account_icon(
    browser, browser_context_args, shop_url, shop, scripts
):
    shopper = UserFactory(email=LONG_EMAIL)
    page = phone_page(browser, browser_context_args, shop_url, java_script_enabled=scripts)
    try:
        log_in_on_a_phone(page, shop_url, shopper.email)
        toggle = page.get_by_test_id("account-menu-toggle")
        logout = page.get_by_test_id("logout-button")
        expect(logout).to_be_hidden()
        expect(page.get_by_text(LONG_EMAIL)).to_be_hidden()

        toggle.click()
        expect(page.get_by_text(LONG_EMAIL)).to_be_visible()
        expect(page.get_by_role("link", name="My orders")).to_be_visible()
        if scripts:  # Escape closes it and gives the focus back to the icon
            page.keyboard.press("Escape")
            expect(logout).to_be_hidden()
            expect(toggle).to_be_focused()
            toggle.click()
        box = logout.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        logout.click()

        expect(page).to_have_url(shop_url + "/")
        page.get_by_test_id("account-menu-toggle").click()
        expect(page.get_by_role("link", name="Log in")).to_be_visible()
    finally:
        page.context.close()


def test_on_a_desktop_the_account_links_show_in_the_bar(page, shop_url, shop):
    shopper = UserFactory(email=LONG_EMAIL)
    log_in(page, shop_url, shopper.email, DEFAULT_PASSWORD)

    expect(page.get_by_test_id("account-menu-toggle")).to_be_hidden()
    expect(page.get_by_test_id("user-menu").get_by_role("link", name="My orders")).to_be_visible()
    page.get_by_test_id("logout-button").click()

    expect(page).to_have_url(shop_url + "/")
    expect(page.get_by_test_id("user-menu").get_by_role("link", name="Log in")).to_be_visible()


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


# ---------------------------------------------------------------------------
# 15: two cards a row on a phone; the header folds so "Add to cart" shows
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("width", [320, 390])
def test_on_a_phone_product_cards_come_two_a_row(
    browser, browser_context_args, shop_url, shop, width
):
    page = phone_page(
        browser, browser_context_args, shop_url, size={"width": width, "height": 844}
    )
    try:
        page.goto(shop_url + "/products/")
        cards = page.locator(".product-card")
        expect(cards).to_have_count(5)
        first, second, third = (cards.nth(i).bounding_box() for i in range(3))
    finally:
        page.context.close()

    assert first["y"] == second["y"] and second["x"] > first["x"] + first["width"]
    assert third["y"] > first["y"] + first["height"]
    assert second["x"] + second["width"] <= width


UNCOVERED = """el => {
    const r = el.getBoundingClientRect();
    const found = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return r.top >= 0 && r.bottom <= innerHeight && !!found && el.contains(found);
}"""


def test_on_a_phone_the_header_folds_on_scroll_so_the_product_and_add_to_cart_show(
    browser, browser_context_args, shop_url, shop
):
    page = phone_page(browser, browser_context_args, shop_url)
    try:
        # A colour is chosen, so "Add to cart" takes clicks (until then it asks for one and
        # lets clicks through to nothing, pointer-events: none).
        page.goto(f"{shop_url}{shop.get_absolute_url()}?variant={shop.variants.first().slug}")
        search = page.get_by_role("searchbox")
        assert search.evaluate(UNCOVERED)

        # The shopper scrolls past the photo to the product's name.
        below_photo = page.locator(".product-buy").evaluate(
            "el => Math.min(el.getBoundingClientRect().top + window.scrollY - 70,"
            " document.documentElement.scrollHeight - innerHeight)"
        )
        page.mouse.wheel(0, below_photo)
        page.wait_for_function("y => window.scrollY >= y - 1", arg=below_photo)
        page.wait_for_timeout(300)

        covered = {
            name: not locator.evaluate(UNCOVERED)
            for name, locator in {
                "name": page.get_by_role("heading", level=1),
                "price": page.get_by_test_id("product-price"),
                "add to cart": page.get_by_test_id("add-to-cart"),
            }.items()
        }
        header_at = page.evaluate(
            "y => !!document.elementFromPoint(innerWidth / 2, y).closest('header')", 75
        )
        assert covered == {"name": False, "price": False, "add to cart": False}
        assert not header_at  # the header takes less than 75 px of the screen
        expect(page.get_by_test_id("cart-icon")).to_be_in_viewport()

        # Scrolling back up shows the search field again.
        page.mouse.wheel(0, -150)
        page.wait_for_timeout(300)
        assert search.evaluate(UNCOVERED)
    finally:
        page.context.close()


def test_axe_finds_nothing_in_the_phone_header_menu_and_toasts(
    browser, browser_context_args, shop_url, shop
):
    shopper = UserFactory(email=LONG_EMAIL)
    page = phone_page(browser, browser_context_args, shop_url)
    try:
        log_in_on_a_phone(page, shop_url, shopper.email)
        add_to_cart(page, shop_url, shop, variant=shop.variants.get(name="Red"))
        expect(page.get_by_test_id("toast")).to_be_visible()
        page.get_by_test_id("account-menu-toggle").click()
        expect(page.get_by_test_id("logout-button")).to_be_visible()
        page.add_script_tag(url=shop_url + "/static/vendor/axe-core/axe.min.js")
        found = page.evaluate(
            """async () => {
                const result = await axe.run(document, {resultTypes: ['violations']});
                return result.violations
                    .filter(v => ['moderate', 'serious', 'critical'].includes(v.impact))
                    .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
            }"""
        )
    finally:
        page.context.close()

    assert found == []
