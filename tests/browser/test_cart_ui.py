"""The cart as a shopper handles it (issue 14): where warnings show, where keyboard focus goes,
what the add button and the mini cart do. Sizes are those the problems were seen at."""

import pytest
from playwright.sync_api import expect

from catalog.models import Variant
from tests.factories import ProductFactory, VariantFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

ACTIVE = "document.activeElement"
# What has focus, as a shopper would name it: a cart line's id, else the element's own id.
FOCUSED = (
    "() => { const el = document.activeElement;"
    " const line = el.closest('[data-testid=cart-item], [data-testid=mini-cart-item]');"
    " return line ? line.id : (el.id || el.tagName); }"
)
# True when nothing covers the element: the point at its middle belongs to it.
UNCOVERED = (
    "el => { const r = el.getBoundingClientRect();"
    " return el.contains(document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2)); }"
)


@pytest.fixture
def sized_page(browser, browser_context_args):
    """Open a page at a given size (a phone is also `is_mobile`, with touch)."""
    contexts = []

    def open_page(viewport):
        phone = viewport["width"] < 600
        context = browser.new_context(
            **{
                **browser_context_args,
                "viewport": viewport,
                "is_mobile": phone,
                "has_touch": phone,
            }
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def three_lines(page, shop_url):
    products = [ProductFactory(name=name) for name in ("Oak Stool", "Linen Throw", "Clay Jug")]
    for product in products:
        add_to_cart(page, shop_url, product)
    return products


def line_id(page, name, testid="cart-item"):
    return page.get_by_test_id(testid).filter(has_text=name).get_attribute("id")


# --- 4: a refused "+" in the mini cart ---------------------------------------------------


def test_a_refused_raise_in_the_mini_cart_is_told_inside_its_line(page, shop_url):
    product = ProductFactory(name="Rare Vase", variants__stock_on_hand=3)
    add_to_cart(page, shop_url, product, quantity=3)
    page.get_by_test_id("cart-icon").click()

    page.get_by_test_id("mini-cart-quantity-increase").click()

    warning = page.get_by_test_id("mini-cart-item").get_by_test_id("mini-cart-stock-warning")
    expect(warning).to_have_text("Only 3 left in stock")
    assert warning.evaluate(UNCOVERED)
    expect(page.get_by_test_id("toast").filter(has_text="left in stock")).to_have_count(0)
    expect(page.get_by_test_id("cart-count")).to_have_text("3")


# --- 5: keyboard focus after Remove, Undo and Clear cart -----------------------------------


def test_after_remove_on_the_cart_page_focus_moves_to_the_next_line(page, shop_url):
    three_lines(page, shop_url)
    page.goto(shop_url + "/cart/")
    stool, throw, jug = (line_id(page, n) for n in ("Oak Stool", "Linen Throw", "Clay Jug"))

    page.locator(f"#{stool}").get_by_test_id("remove-item").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("cart-item")).to_have_count(2)
    assert page.evaluate(FOCUSED) == throw  # the next line

    page.locator(f"#{jug}").get_by_test_id("remove-item").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("cart-item")).to_have_count(1)
    assert page.evaluate(FOCUSED) == throw  # the last one went: the one before it

    page.locator(f"#{throw}").get_by_test_id("remove-item").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("empty-cart")).to_be_visible()
    assert page.evaluate(FOCUSED) == "cart-heading"  # none left: the cart's heading
    assert page.evaluate(f"{ACTIVE}.textContent") == "Your cart"


def test_undo_stays_reachable_by_keyboard_and_focus_goes_to_the_restored_line(page, shop_url):
    three_lines(page, shop_url)
    page.goto(shop_url + "/cart/")
    page.get_by_test_id("cart-item").filter(has_text="Oak Stool").get_by_test_id(
        "remove-item"
    ).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("undo-remove")).to_be_visible()
    assert page.evaluate(FOCUSED) == line_id(page, "Linen Throw")

    # The toast comes just before the cart in the tab order (the notices precede the page):
    # from the first line, Shift+Tab reaches its Dismiss, then its Undo.
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(f"{ACTIVE}.dataset.testid") == "toast-dismiss"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate(f"{ACTIVE}.dataset.testid") == "undo-remove"
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("cart-item")).to_have_count(3)
    assert page.evaluate(FOCUSED) == line_id(page, "Oak Stool")


def test_after_clear_cart_focus_goes_to_the_cart_heading(page, shop_url):
    three_lines(page, shop_url)
    page.goto(shop_url + "/cart/")

    page.get_by_test_id("clear-cart").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("empty-cart")).to_be_visible()
    assert page.evaluate(FOCUSED) == "cart-heading"


def test_after_remove_in_the_mini_cart_focus_stays_in_the_mini_cart(page, shop_url):
    three_lines(page, shop_url)
    page.get_by_test_id("cart-icon").click()
    items = page.get_by_test_id("mini-cart-item")
    expect(items).to_have_count(3)
    second = items.nth(1).get_attribute("id")

    items.nth(0).get_by_test_id("mini-cart-remove").focus()
    page.keyboard.press("Enter")
    expect(items).to_have_count(2)
    assert page.evaluate(FOCUSED) == second  # the next line, still in the open mini cart

    for remaining in (2, 1):
        items.nth(0).get_by_test_id("mini-cart-remove").focus()
        page.keyboard.press("Enter")
        expect(items).to_have_count(remaining - 1)
    expect(page.get_by_test_id("mini-cart-dropdown")).to_be_visible()
    assert page.evaluate(FOCUSED) == "mini-cart-dropdown"  # none left: the panel itself


# --- 7: a stock warning has a row of its own ---------------------------------------------


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_stock_warning_takes_a_row_under_the_line_and_moves_nothing(
    sized_page, shop_url, viewport
):
    page = sized_page(viewport)
    product = ProductFactory(name="Hand-thrown Stoneware Vase", variants__stock_on_hand=2)
    add_to_cart(page, shop_url, product, quantity=2)
    page.goto(shop_url + "/cart/")
    name, plus = page.locator(".cart-item-name"), page.get_by_test_id("quantity-increase")
    name_before, plus_before = name.bounding_box(), plus.bounding_box()

    plus.click()

    warning = page.get_by_test_id("stock-warning")
    expect(warning).to_have_text("Only 2 left in stock")
    name_after, plus_after = name.bounding_box(), plus.bounding_box()
    assert name_after["width"] == pytest.approx(name_before["width"], abs=1)
    assert name_after["height"] == pytest.approx(name_before["height"], abs=1)
    assert (plus_after["x"], plus_after["y"]) == pytest.approx(
        (plus_before["x"], plus_before["y"]), abs=1
    )
    box, line = warning.bounding_box(), page.get_by_test_id("cart-item").bounding_box()
    assert box["y"] >= plus_after["y"] + plus_after["height"]  # under the line's controls
    assert box["width"] > 0.8 * line["width"]  # across the whole line


# --- 9: the add button -------------------------------------------------------------------


def test_a_refused_add_is_said_once_beside_the_button(page, shop_url):
    product = ProductFactory(name="Rare Vase", variants__stock_on_hand=2)
    page.goto(shop_url + product.get_absolute_url())

    page.get_by_test_id("quantity-input").fill("3")
    page.get_by_test_id("add-to-cart").click()

    expect(page.get_by_test_id("stock-error")).to_have_text("Only 2 left in stock")
    expect(page.get_by_test_id("toast")).to_have_count(0)
    expect(page.get_by_text("Only 2 left in stock")).to_have_count(1)


def test_add_to_cart_says_choose_a_size_and_adds_nothing_until_one_is_chosen(page, shop_url):
    tee = ProductFactory(name="Cotton Tee", variants=0)
    small = VariantFactory(product=tee, name="Small", option_values={"size": "S"})
    VariantFactory(product=tee, name="Large", option_values={"size": "L"})
    page.goto(shop_url + tee.get_absolute_url())
    button = page.get_by_test_id("add-to-cart")

    expect(button).to_have_text("Choose a size")
    expect(button).to_be_disabled()
    button.click(force=True)
    page.get_by_test_id("quantity-input").press("Enter")
    page.wait_for_timeout(500)
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
    expect(page.get_by_test_id("toast")).to_have_count(0)

    page.get_by_test_id(f"variant-{small.slug}").click()
    expect(button).to_have_text("Add to cart")
    button.click()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")


def test_a_double_click_on_add_to_cart_adds_one(page, shop_url):
    product = ProductFactory(name="Copper Kettle", variants__stock_on_hand=20)
    page.goto(shop_url + product.get_absolute_url())

    page.get_by_test_id("add-to-cart").dblclick()

    expect(page.get_by_test_id("cart-count")).to_have_text("1")
    expect(page.get_by_test_id("add-to-cart")).to_be_enabled()  # and ready for the next add
    page.reload()
    expect(page.get_by_test_id("cart-count")).to_have_text("1")


# --- 10: the mini cart ------------------------------------------------------------------


def test_the_mini_cart_lists_the_newest_lines_first(page, shop_url):
    for name in ("First", "Second", "Third", "Fourth", "Fifth"):
        add_to_cart(page, shop_url, ProductFactory(name=f"{name} Thing"))

    page.get_by_test_id("cart-icon").click()

    expect(page.get_by_test_id("mini-cart-item")).to_have_count(3)
    names = page.locator("[data-testid=mini-cart-item] .mini-cart-name").all_inner_texts()
    assert names == ["Fifth Thing", "Fourth Thing", "Third Thing"]
    expect(page.get_by_test_id("mini-cart-dropdown")).to_contain_text("+2 more items")
    page.goto(shop_url + "/cart/")  # the cart page keeps the order things were added in
    expect(page.locator(".cart-item-name").first).to_have_text("First Thing")


def test_opening_the_mini_cart_focuses_it_and_tabbing_out_closes_it(page, shop_url):
    add_to_cart(page, shop_url, ProductFactory(name="Copper Kettle"))
    dropdown = page.get_by_test_id("mini-cart-dropdown")

    page.get_by_test_id("cart-icon").focus()
    page.keyboard.press("Enter")
    expect(dropdown).to_be_visible()
    assert page.evaluate(f"{ACTIVE}.id") == "mini-cart-dropdown"
    expect(page.get_by_test_id("mini-cart-item")).to_have_count(1)

    for _ in range(10):  # Tab through the panel and out of it
        page.keyboard.press("Tab")
        if not page.evaluate(f"{ACTIVE}.closest('#header-cart')"):
            break
    expect(dropdown).to_be_hidden()

    page.get_by_test_id("cart-icon").click()  # Escape and a click outside still close it
    expect(dropdown).to_be_visible()
    page.keyboard.press("Escape")
    expect(dropdown).to_be_hidden()
    page.get_by_test_id("cart-icon").click()
    page.locator("footer").click()
    expect(dropdown).to_be_hidden()


def test_the_mini_cart_checkout_is_disabled_with_the_reason_when_the_cart_cannot_check_out(
    page, shop_url
):
    product = ProductFactory(name="Copper Kettle", variants__stock_on_hand=5)
    add_to_cart(page, shop_url, product)
    page.get_by_test_id("cart-icon").click()
    checkout = page.get_by_test_id("mini-cart-checkout")
    expect(checkout).to_be_enabled()

    Variant.objects.filter(product=product).update(stock_on_hand=0)
    page.reload()
    page.get_by_test_id("cart-icon").click()

    expect(checkout).to_be_disabled()
    reason = page.locator("#" + checkout.get_attribute("aria-describedby"))
    expect(reason).to_be_visible()
    expect(reason).to_contain_text("need your attention")
