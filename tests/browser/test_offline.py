"""Cart changes on a flaky network (issue 17, point 4): what cannot reach the shop waits under
the offline banner and goes through, in order and exactly once, when the network is back."""

import pytest
from playwright.sync_api import expect

from cart.models import CartLine
from tests.factories import ProductFactory
from tests.helpers import add_to_cart

pytestmark = pytest.mark.browser

OFFLINE_TEXT = "Connection issue. Your cart will update when you're back online."


@pytest.fixture
def three_lines(page, shop_url):
    names = ("Oak Stool", "Linen Throw", "Clay Jug")
    for name in names:
        add_to_cart(page, shop_url, ProductFactory(name=name, variants__stock_on_hand=20))
    page.goto(shop_url + "/cart/")
    return names


def line(page, name):
    return page.get_by_test_id("cart-item").filter(has_text=name)


def quantities() -> dict[str, int]:
    return dict(CartLine.objects.values_list("product_name", "quantity"))


def test_changes_made_offline_are_applied_once_each_when_back_online(page, three_lines):
    line(page, "Oak Stool").get_by_test_id("quantity-increase").click()
    expect(page.get_by_test_id("cart-count")).to_have_text("4")

    page.context.set_offline(True)
    line(page, "Linen Throw").get_by_test_id("quantity-increase").click()
    banner = page.get_by_test_id("offline-banner")
    expect(banner).to_be_visible()
    expect(banner).to_have_text(OFFLINE_TEXT)
    line(page, "Clay Jug").get_by_test_id("remove-item").click()
    expect(page.get_by_test_id("error-banner")).to_be_hidden()
    assert quantities() == {"Oak Stool": 2, "Linen Throw": 1, "Clay Jug": 1}

    page.context.set_offline(False)

    expect(banner).to_be_hidden()
    expect(page.get_by_test_id("cart-item")).to_have_count(2)
    expect(line(page, "Linen Throw").get_by_test_id("item-quantity")).to_have_value("2")
    expect(page.get_by_test_id("cart-count")).to_have_text("4")
    assert quantities() == {"Oak Stool": 2, "Linen Throw": 2}
    page.reload()
    expect(line(page, "Oak Stool").get_by_test_id("item-quantity")).to_have_value("2")
    expect(line(page, "Linen Throw").get_by_test_id("item-quantity")).to_have_value("2")
    expect(page.get_by_test_id("cart-item")).to_have_count(2)


def test_a_burst_of_three_changes_cut_off_midway_lands_each_once(page, three_lines):
    page.evaluate(
        """() => {
            const lines = document.querySelectorAll("#cart-body [data-testid=cart-item]");
            lines[0].querySelector("[data-testid=quantity-increase]").click();
            lines[1].querySelector("[data-testid=quantity-increase]").click();
            lines[2].querySelector("[data-testid=remove-item]").click();
        }"""
    )
    page.context.set_offline(True)
    page.wait_for_timeout(300)
    page.context.set_offline(False)

    expect(page.get_by_test_id("offline-banner")).to_be_hidden()
    expect(page.get_by_test_id("cart-item")).to_have_count(2)
    expect(page.get_by_test_id("cart-count")).to_have_text("4")
    assert sorted(quantities().values()) == [2, 2]
    page.reload()
    expect(page.get_by_test_id("cart-count")).to_have_text("4")


def test_a_change_whose_answer_was_lost_is_sent_again_and_applied_once(page, three_lines):
    lost = []

    def lose_the_first_answer(route):
        if lost:
            route.continue_()
            return
        route.fetch()  # the shop applies the change ...
        lost.append(route.request.url)
        route.abort("internetdisconnected")  # ... and its answer never arrives

    page.route("**/cart/lines/*/", lose_the_first_answer)
    line(page, "Oak Stool").get_by_test_id("quantity-increase").click()

    expect(page.get_by_test_id("cart-count")).to_have_text("4")
    expect(line(page, "Oak Stool").get_by_test_id("item-quantity")).to_have_value("2")
    expect(page.get_by_test_id("offline-banner")).to_be_hidden()
    assert lost
    assert quantities() == {"Oak Stool": 2, "Linen Throw": 1, "Clay Jug": 1}
