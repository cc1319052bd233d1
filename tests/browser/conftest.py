import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def shop_url(live_server, transactional_db):
    """The live server's address; tests using it see committed data."""
    return live_server.url


def log_in(page: Page, shop_url: str, email: str, password: str) -> None:
    page.goto(shop_url + "/login/")
    page.get_by_test_id("email-input").fill(email)
    page.get_by_test_id("password-input").fill(password)
    page.get_by_test_id("login-button").click()
    expect(page.get_by_test_id("logout-button")).to_be_visible()


def add_to_cart(page: Page, shop_url: str, product, quantity: int = 1, variant=None) -> None:
    """Open the product page and add, waiting until the badge has moved."""
    page.goto(shop_url + product.get_absolute_url())
    before = int(page.get_by_test_id("cart-count").inner_text())
    if variant is not None:
        page.get_by_test_id(f"variant-{variant.slug}").click()
    page.get_by_test_id("quantity-input").fill(str(quantity))
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text(str(before + quantity))
