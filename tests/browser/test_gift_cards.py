"""A gift card's whole life in the browser: bought and paid on (fake) Stripe, emailed to its
recipient, spent in part beside Stripe paying for what cards may not, then its rest paying a
whole order with no Stripe at all."""

import re
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from checkout.models import Order
from tests.browser.test_accessibility import axe_violations
from tests.checkout.fake_stripe import FakeStripe
from tests.factories import ProductFactory, gift_card_variant
from tests.helpers import WEBHOOK_SECRET

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(transactional_db, shipping_methods, settings):
    settings.TAX_RATE = Decimal("0")
    return {
        "card": gift_card_variant("50.00"),
        "another_card": gift_card_variant("25.00"),
        "lamp": ProductFactory(name="Desk Lamp", variants__price="30.00"),
        "pencils": ProductFactory(name="Pencils", variants__price="10.00"),
    }


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe().start()
    settings.PAYMENT_BACKEND = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    yield fake
    fake.stop()


def fill_checkout(page, shop_url):
    page.goto(shop_url + "/checkout/")
    page.get_by_test_id("email-input").fill("buyer@example.com")
    page.get_by_label("Full name").fill("Grace Hopper")
    page.get_by_label("Address", exact=True).fill("1 Main St")
    page.get_by_label("City").fill("Springfield")
    page.get_by_label("Postal code").fill("12345")
    page.get_by_label("Country").select_option("US")


def pay_on_stripe(page, shop_url, fake_stripe) -> Order:
    """The shopper is on Stripe's page (stubbed): Stripe takes the money and sends them back."""
    page.wait_for_url(re.compile(r"/c/pay/cs_"))
    order = Order.objects.get(status=Order.Status.PENDING_PAYMENT)
    fake_stripe.complete(order.payment_session_id)
    page.goto(f"{shop_url}/checkout/success/?session_id={order.payment_session_id}")
    expect(page.get_by_test_id("order-confirmation")).to_be_visible()
    order.refresh_from_db()
    return order


def add_gift_card(page, shop_url, variant, recipient, message=""):
    page.goto(shop_url + variant.product.get_absolute_url())
    before = int(page.get_by_test_id("cart-count").inner_text())
    page.get_by_test_id("line-property-recipient_email").fill(recipient)
    if message:
        page.get_by_test_id("line-property-message").fill(message)
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text(str(before + 1))


def add(page, shop_url, product):
    page.goto(shop_url + product.get_absolute_url())
    before = int(page.get_by_test_id("cart-count").inner_text())
    page.get_by_test_id("add-to-cart").click()
    expect(page.get_by_test_id("cart-count")).to_have_text(str(before + 1))


def test_buy_a_card_receive_it_spend_part_beside_stripe_then_the_rest_alone(
    page, shop_url, shop, fake_stripe
):
    # Shoppers go to Stripe's own address (the only other one the shop's CSP lets a form
    # lead to); the browser is answered there by a stand-in.
    fake_stripe.page_base = "https://checkout.stripe.com"
    page.route("https://checkout.stripe.com/**", lambda route: route.fulfill(body="Stripe"))

    # 1. Buy a $50 gift card for a friend; Stripe takes the money.
    add_gift_card(page, shop_url, shop["card"], "friend@example.com", "Happy birthday, Ada!")
    fill_checkout(page, shop_url)
    page.get_by_test_id("checkout-submit").click()
    bought = pay_on_stripe(page, shop_url, fake_stripe)
    assert bought.status == Order.Status.PAID
    expect(page.get_by_test_id("order-line-gift-card")).to_contain_text("Gift card ••••")

    # 2. The friend's email holds the code, once.
    [email] = [m for m in mail.outbox if m.to == ["friend@example.com"]]
    assert "Happy birthday, Ada!" in email.body
    code = re.search(r"[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}", email.body).group(0)
    buyer_mail = next(m for m in mail.outbox if m.to == ["buyer@example.com"])
    assert f"•••• {code[-4:]}" in buyer_mail.body and code not in buyer_mail.body

    # 3. The card pays for the lamp and shipping; gift cards never pay for gift cards, so
    #    Stripe charges the $25 card in the same order.
    add(page, shop_url, shop["lamp"])
    add_gift_card(page, shop_url, shop["another_card"], "cousin@example.com")
    fill_checkout(page, shop_url)
    page.get_by_test_id("gift-card-input").fill(code.lower().replace("-", " "))
    page.get_by_test_id("gift-card-apply").click()
    applied = page.get_by_test_id("gift-card-applied")
    expect(applied).to_have_count(1)
    expect(applied).to_contain_text(f"•••• {code[-4:]}")
    expect(applied).to_contain_text("$35.00")
    expect(page.get_by_test_id("checkout-total")).to_have_text("$60.00")
    expect(page.get_by_test_id("checkout-amount-due")).to_have_text("$25.00")
    assert axe_violations(page, shop_url) == []
    page.get_by_test_id("checkout-submit").click()
    split = pay_on_stripe(page, shop_url, fake_stripe)
    assert (split.status, split.gift_card_total, split.amount_due) == (
        Order.Status.PAID,
        Decimal("35.00"),
        Decimal("25.00"),
    )
    session = fake_stripe.calls("POST", "/v1/checkout/sessions")[-1]["form"]
    assert f"•••• {code[-4:]}: 35.00" in session["metadata"]["gift_cards"]
    expect(page.get_by_test_id("order-amount-due")).to_have_text("$25.00")

    # 4. What is left ($15) checks out on the balance page...
    page.goto(shop_url + "/gift-cards/balance/")
    page.get_by_test_id("gift-card-code-input").fill(code)
    page.get_by_test_id("gift-card-check").click()
    expect(page.get_by_test_id("gift-card-balance")).to_have_text("$15.00")
    assert axe_violations(page, shop_url) == []

    # 5. ...and pays a whole order: no Stripe session at all.
    sessions_before = len(fake_stripe.calls("POST", "/v1/checkout/sessions"))
    add(page, shop_url, shop["pencils"])
    fill_checkout(page, shop_url)
    page.get_by_test_id("gift-card-input").fill(code)
    page.get_by_test_id("gift-card-apply").click()
    expect(page.get_by_test_id("gift-card-applied")).to_contain_text("$15.00")
    expect(page.get_by_test_id("checkout-amount-due")).to_have_text("$0.00")
    page.get_by_test_id("checkout-submit").click()

    expect(page.get_by_test_id("order-confirmation")).to_be_visible()
    number = page.get_by_test_id("order-number").inner_text()
    whole = Order.objects.get(number=number)
    assert (whole.status, whole.total, whole.gift_card_total, whole.amount_due) == (
        Order.Status.PAID,
        Decimal("15.00"),
        Decimal("15.00"),
        Decimal("0.00"),
    )
    assert len(fake_stripe.calls("POST", "/v1/checkout/sessions")) == sessions_before
    expect(page.get_by_test_id("cart-count")).to_have_text("0")
