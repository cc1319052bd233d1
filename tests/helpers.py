"""Helpers shared by tests in several folders: carts, checkouts, threads, the browser."""

import threading

from django.db import connection
from playwright.sync_api import Page, expect

from cart import services as cart_services
from cart.selectors import CartOwner
from checkout import services

ADDRESS = services.ShippingAddress(
    name="Grace Hopper", line1="1 Main St", city="Springfield", postal_code="12345", country="US"
)
BASE_URL = "http://shop.test:8000"
WEBHOOK_SECRET = "whsec_test_secret"


def guest_cart(*items) -> CartOwner:
    """A guest cart holding (variant, quantity) pairs."""
    owner = CartOwner()
    for variant, quantity in items:
        change = cart_services.cart_add_line(
            owner=owner, variant_id=variant.pk, quantity=quantity, source="test"
        )
        owner = CartOwner(token=change.summary.token)
    return owner


def start(owner, **overrides):
    """Start a checkout of the owner's cart with a valid address, as the checkout page would."""
    options = {
        "owner": owner,
        "email": "grace@example.com",
        "address": ADDRESS,
        "shipping_method_code": "standard",
        "base_url": BASE_URL,
        "source": "test",
        **overrides,
    }
    return services.checkout_start(**options)


def run_at_once(count, work):
    """Start `count` threads that call `work(i)` together; return what each raised, if anything."""
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def runner(i):
        try:
            barrier.wait()
            work(i)
        except BaseException as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def database_url() -> str:
    """The test database as a DATABASE_URL, for processes the tests start."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


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
