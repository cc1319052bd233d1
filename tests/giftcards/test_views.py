"""Gift card pages, plain and htmx: the balance page, and applying, removing and paying
with cards on the checkout page, then the order's pages."""

import re
from decimal import Decimal

import pytest

from checkout.models import Order
from giftcards.models import GiftCard
from tests.factories import gift_card

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
NOT_FOUND = "We could not find a gift card with that code"
ADDRESS = {
    "email": "guest@example.com",
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "standard",
}


def by_testid(html: str, name: str) -> list[str]:
    """The text inside each element with this test id (tags stripped)."""
    pattern = rf'data-testid="{name}"[^>]*>(.*?)</(?:p|li|strong|dd|div)>'
    return [
        " ".join(re.sub(r"<[^>]+>", " ", part).split()) for part in re.findall(pattern, html, re.S)
    ]


# --- the balance page -----------------------------------------------------------------


def test_the_balance_page_offers_the_form(client):
    html = client.get("/gift-cards/balance/").content.decode()

    assert 'data-testid="gift-card-code-input"' in html
    assert 'data-testid="gift-card-check"' in html


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_checking_a_code_shows_what_it_can_spend(client, headers):
    issued = gift_card("50.00")
    GiftCard.objects.filter(pk=issued.card.pk).update(held=Decimal("12.50"))

    response = client.post(
        "/gift-cards/balance/", {"code": issued.code.lower().replace("-", " ")}, **headers
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert by_testid(html, "gift-card-balance") == ["$37.50"]
    assert ("<html" in html) is (not headers)  # the partial alone for htmx


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
@pytest.mark.parametrize("state", ["unknown", "disabled", "expired"])
def test_unknown_disabled_and_expired_codes_read_alike(client, headers, state):
    issued = gift_card("50.00")
    code = issued.code
    if state == "unknown":
        code = "AAAA-BBBB-CCCC-DDDD"
    elif state == "disabled":
        GiftCard.objects.filter(pk=issued.card.pk).update(disabled=True)
    else:
        GiftCard.objects.filter(pk=issued.card.pk).update(expires_at="2000-01-01T00:00Z")

    html = client.post("/gift-cards/balance/", {"code": code}, **headers).content.decode()

    assert by_testid(html, "gift-card-error") == [NOT_FOUND]
    assert 'data-testid="gift-card-balance"' not in html


def test_an_empty_or_nul_code_is_asked_again(client):
    empty = client.post("/gift-cards/balance/", {"code": ""}).content.decode()
    nul = client.post("/gift-cards/balance/", {"code": "AB\x00CD"}).content.decode()

    assert by_testid(empty, "gift-card-error") == ["This field is required."]
    assert by_testid(nul, "gift-card-error") == ["Null characters are not allowed."]


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_the_balance_page_is_rate_limited(client, settings, headers):
    settings.RATE_LIMIT_GIFT_CARD = "2/min"

    answers = [
        client.post("/gift-cards/balance/", {"code": "AAAA-BBBB-CCCC-DDDD"}, **headers)
        for _ in range(3)
    ]

    assert [r.status_code for r in answers] == [200, 200, 429]
    assert answers[-1]["Retry-After"]


# --- the checkout page ----------------------------------------------------------------


@pytest.fixture
def shopper(client, variant):
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 1})
    return client


def apply(client, code, carried=(), headers=None, **extra):
    return client.post(
        "/checkout/",
        {
            **ADDRESS,
            "action": "apply_gift_card",
            "gift_card_code": code,
            "gift_cards": list(carried),
            **extra,
        },
        **(headers or {}),
    )


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_applying_a_card_shows_what_it_pays_and_what_is_left(shopper, headers):
    issued = gift_card("20.00")

    html = apply(shopper, issued.code.lower(), headers=headers).content.decode()

    assert by_testid(html, "gift-card-applied") == [f"Gift card {issued.masked} −$20.00"]
    assert by_testid(html, "checkout-total") == ["$45.00"]
    assert by_testid(html, "checkout-amount-due") == ["$25.00"]
    assert f'name="gift_cards" value="{issued.code.lower()}"' in html
    assert ("<html" in html) is (not headers)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_second_card_pays_what_the_first_leaves_and_either_can_be_removed(shopper, headers):
    first, second = gift_card("20.00"), gift_card("100.00")

    both = apply(shopper, second.code, carried=[first.code], headers=headers).content.decode()
    assert by_testid(both, "gift-card-applied") == [
        f"Gift card {first.masked} −$20.00",
        f"Gift card {second.masked} −$25.00",
    ]
    assert by_testid(both, "checkout-amount-due") == ["$0.00"]

    removed = shopper.post(
        "/checkout/",
        {**ADDRESS, "gift_cards": [first.code, second.code], "remove_gift_card": first.code},
        **headers,
    ).content.decode()
    assert by_testid(removed, "gift-card-applied") == [f"Gift card {second.masked} −$45.00"]
    assert not Order.objects.exists()  # removing only quotes again


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_unknown_card_is_refused_and_not_carried(shopper, headers):
    html = apply(shopper, "AAAA-BBBB-CCCC-DDDD", headers=headers).content.decode()

    assert by_testid(html, "gift-card-error") == [f"{NOT_FOUND} (ending DDDD)."]
    assert 'data-testid="gift-card-applied"' not in html
    assert 'name="gift_cards"' not in html


def test_applying_cards_at_checkout_is_rate_limited(shopper, settings):
    settings.RATE_LIMIT_GIFT_CARD = "2/min"

    answers = [apply(shopper, "AAAA-BBBB-CCCC-DDDD").status_code for _ in range(3)]

    assert answers == [200, 200, 429]


def test_paying_with_a_card_and_the_test_page_shows_the_cards_part_everywhere(shopper):
    issued = gift_card("20.00")

    started = shopper.post("/checkout/", {**ADDRESS, "action": "pay", "gift_cards": [issued.code]})

    order = Order.objects.get()
    assert started.status_code == 302 and "/checkout/pay/" in started["Location"]
    pay_page = shopper.get(started["Location"]).content.decode()
    assert by_testid(pay_page, "order-amount-due") == ["$25.00"]
    paid = shopper.post(started["Location"], {"outcome": "pay"})
    success = shopper.get(paid["Location"]).content.decode()
    assert by_testid(success, "order-gift-card") == [f"Gift card {issued.masked} −$20.00"]
    assert by_testid(success, "order-amount-due") == ["$25.00"]
    order.refresh_from_db()
    assert order.status == Order.Status.PAID


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_cards_paying_everything_skip_the_payment_page(shopper, headers):
    issued = gift_card("100.00")

    response = shopper.post(
        "/checkout/", {**ADDRESS, "action": "pay", "gift_cards": [issued.code]}, **headers
    )

    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    where = response["HX-Redirect"] if headers else response["Location"]
    assert where.endswith(f"/checkout/success/?order={order.number}")
    success = shopper.get(where).content.decode()
    assert 'data-testid="order-confirmation"' in success
    assert by_testid(success, "order-amount-due") == ["$0.00"]


def test_a_card_spent_meanwhile_stops_the_checkout_naming_it(shopper, variant):
    issued = gift_card("20.00")
    GiftCard.objects.filter(pk=issued.card.pk).update(held=Decimal("20.00"))

    response = shopper.post(
        "/checkout/", {**ADDRESS, "action": "pay", "gift_cards": [issued.code]}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert issued.masked in " ".join(by_testid(html, "checkout-error"))
    assert not Order.objects.exists()
