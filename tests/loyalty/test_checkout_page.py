"""Points on the checkout page: offered to signed-in shoppers who have some, applied to the
summary (plain and htmx) without holding anything, held when the checkout starts."""

import re
from decimal import Decimal

import pytest

from checkout.models import Order
from loyalty import services
from loyalty.models import PointsEntry
from tests.loyalty.helpers import account_of

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "standard",
}
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _tax(settings):
    settings.TAX_RATE = Decimal("0.10")


@pytest.fixture
def shopper(client, user, variant):
    client.force_login(user)
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1})
    return client


def with_points(user, points):
    services.points_adjust(user_id=user.pk, points=points, reason="welcome")


def form(user, **fields):
    return {**FORM, "email": user.email, **fields}


def test_a_shopper_with_points_is_offered_them(shopper, user):
    with_points(user, 750)

    text = shopper.get("/checkout/").text

    assert 'data-testid="points-redeem-input"' in text
    assert 'data-testid="points-apply"' in text
    assert "You have 750 points to spend, worth $7.50." in text
    assert 'data-testid="points-applied"' not in text


def test_no_points_field_without_points_or_for_a_guest(shopper, client, user, variant):
    assert 'data-testid="points-redeem-input"' not in shopper.get("/checkout/").text

    client.logout()
    client.post("/cart/add/", {"variant_id": variant.pk})
    assert 'data-testid="points-redeem-input"' not in client.get("/checkout/").text


@pytest.mark.parametrize("htmx", [False, True])
def test_applying_points_lowers_the_summary_and_holds_nothing(shopper, user, htmx):
    with_points(user, 750)

    response = shopper.post(
        "/checkout/",
        form(user, redeem_points="500", action="update"),
        headers=HTMX if htmx else {},
    )

    text = response.text
    assert response.status_code == 200
    assert ("<html" in text) is not htmx
    applied = re.search(r'data-testid="points-applied">(.*?)</div>', text, re.S).group(1)
    assert "500 points" in applied and "−$5.00" in applied
    # 40.00 - 5.00 + 5.00 shipping, tax 10% on 40.00
    assert re.search(r'data-testid="checkout-total">\$44\.00<', text)
    assert 'name="expected_total" value="44.00"' in text
    assert 'value="500"' in text
    assert not Order.objects.exists()
    assert account_of(user).balance == 750


def test_asking_for_more_than_the_merchandise_applies_only_that_much(shopper, user):
    with_points(user, 10_000)

    text = shopper.post("/checkout/", form(user, redeem_points="9000", action="update")).text

    applied = re.search(r'data-testid="points-applied">(.*?)</div>', text, re.S).group(1)
    assert "4,000 points" in applied or "4000 points" in applied
    assert "−$40.00" in applied


@pytest.mark.parametrize("htmx", [False, True])
def test_more_points_than_the_balance_says_so_and_applies_none(shopper, user, htmx):
    with_points(user, 100)

    text = shopper.post(
        "/checkout/",
        form(user, redeem_points="101", action="update"),
        headers=HTMX if htmx else {},
    ).text

    assert re.search(r'data-testid="points-error"[^>]*>You do not have that many points', text)
    assert 'data-testid="points-applied"' not in text
    assert re.search(r'data-testid="checkout-total">\$49\.50<', text)


def test_a_number_that_is_not_whole_is_shown_on_the_field(shopper, user):
    with_points(user, 100)

    text = shopper.post("/checkout/", form(user, redeem_points="-3", action="pay")).text

    assert 'data-testid="points-error"' in text
    assert not Order.objects.exists()


def test_continuing_to_payment_holds_the_points_and_the_order_shows_them(shopper, user):
    with_points(user, 750)

    response = shopper.post(
        "/checkout/", form(user, redeem_points="500", expected_total="44.00", action="pay")
    )

    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.points_redeemed, order.points_discount, order.total) == (
        500,
        Decimal("5.00"),
        Decimal("44.00"),
    )
    assert PointsEntry.objects.get(kind="held").order == order
    assert account_of(user).balance == 250
    pay_page = shopper.post(response.url, {"outcome": "pay"}, follow=True)
    assert 'data-testid="order-confirmation"' in pay_page.text
    detail = shopper.get(f"/orders/{order.number}/").text
    assert 'data-testid="order-points-discount"' in detail and "500 points" in detail


def test_points_spent_elsewhere_since_the_preview_refuse_the_start(shopper, user):
    with_points(user, 750)
    services.points_adjust(user_id=user.pk, points=-700, reason="spent elsewhere")

    response = shopper.post(
        "/checkout/", form(user, redeem_points="500", expected_total="44.00", action="pay")
    )

    assert response.status_code == 200
    assert "You do not have that many points" in response.text
    assert not Order.objects.exists()
    assert account_of(user).balance == 50
