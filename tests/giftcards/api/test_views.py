"""Gift cards in the JSON API: the balance check, staff issuing and disabling, and paying
with cards through POST checkout."""

from decimal import Decimal

import pytest

from checkout.models import Order
from giftcards.models import GiftCard, GiftCardEntry
from tests.conftest import token_headers
from tests.factories import StaffFactory, UserFactory, VariantFactory, gift_card

pytestmark = pytest.mark.django_db

NOT_FOUND = "We could not find a gift card with that code"
CHECKOUT = {
    "email": "ada@example.com",
    "shipping_address": {
        "name": "Ada Lovelace",
        "line1": "12 St James's Square",
        "city": "London",
        "postal_code": "SW1Y 4JH",
        "country": "GB",
    },
    "shipping_method": "standard",
}


def staff_with(*codenames):
    return StaffFactory(is_superuser=False, permissions=[f"giftcards.{c}" for c in codenames])


def guest_cart_token(api, price="40.00", quantity=1) -> str:
    variant = VariantFactory(price=price, stock_on_hand=10)
    response = api.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": quantity}, format="json"
    )
    return response.json()["token"]


def test_the_balance_is_what_can_still_be_spent_in_any_way_the_code_is_typed(api):
    issued = gift_card("50.00")
    GiftCard.objects.filter(pk=issued.card.pk).update(held=Decimal("20.00"))

    for typed in (
        issued.code,
        issued.code.lower().replace("-", ""),
        issued.code.replace("-", " "),
    ):
        response = api.get(f"/api/v1/gift-cards/{typed}/")
        assert response.status_code == 200
        assert response.json() == {"balance": "30.00", "currency": "USD", "expires_at": None}


@pytest.mark.parametrize("state", ["unknown", "disabled", "expired", "malformed"])
def test_unknown_disabled_and_expired_codes_answer_alike(api, state):
    issued = gift_card("50.00")
    code = issued.code
    if state == "unknown":
        code = "AAAA-BBBB-CCCC-DDDD"
    elif state == "disabled":
        GiftCard.objects.filter(pk=issued.card.pk).update(disabled=True)
    elif state == "expired":
        GiftCard.objects.filter(pk=issued.card.pk).update(expires_at="2000-01-01T00:00Z")
    else:
        code = "x" * 40

    response = api.get(f"/api/v1/gift-cards/{code}/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["code"] == "gift_card_not_found"
    assert response.json()["detail"] == NOT_FOUND


def test_balance_checks_are_rate_limited_per_client(api, settings):
    settings.RATE_LIMIT_GIFT_CARD = "3/min"

    answers = [api.get("/api/v1/gift-cards/AAAA-BBBB-CCCC-DDDD/").status_code for _ in range(4)]

    assert answers == [404, 404, 404, 429]


def test_staff_issue_a_card_and_see_its_whole_code_once(api):
    headers = token_headers(staff_with("add_giftcard"))

    response = api.post(
        "/api/v1/admin/gift-cards/",
        {"balance": "75.00", "note": "apology", "expires_at": "2030-01-01T00:00:00Z"},
        format="json",
        headers=headers,
    )

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "code", "balance", "currency", "expires_at"}
    assert (body["balance"], body["currency"]) == ("75.00", "USD")
    card = GiftCard.objects.get(pk=body["id"])
    assert card.last_four == body["code"][-4:]
    assert api.get(f"/api/v1/gift-cards/{body['code']}/").json()["balance"] == "75.00"
    assert GiftCardEntry.objects.get(card=card).reason == "apology"


def test_issuing_twice_with_one_idempotency_key_issues_one_card(api):
    headers = {**token_headers(staff_with("add_giftcard")), "Idempotency-Key": "issue-1"}

    first = api.post(
        "/api/v1/admin/gift-cards/", {"balance": "5.00"}, format="json", headers=headers
    )
    again = api.post(
        "/api/v1/admin/gift-cards/", {"balance": "5.00"}, format="json", headers=headers
    )

    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert GiftCard.objects.count() == 1


@pytest.mark.parametrize(
    "body", [{}, {"balance": "0"}, {"balance": "-1"}, {"balance": "abc"}, {"balance": "20000"}]
)
def test_issuing_refuses_a_bad_balance(api, body):
    response = api.post(
        "/api/v1/admin/gift-cards/",
        body,
        format="json",
        headers=token_headers(staff_with("add_giftcard")),
    )

    assert response.status_code == 400
    assert "balance" in response.json()["errors"]
    assert not GiftCard.objects.exists()


def test_staff_endpoints_are_for_staff_with_the_permission(api):
    issued = gift_card("10.00")
    url = f"/api/v1/admin/gift-cards/{issued.card.pk}/"

    assert (
        api.post("/api/v1/admin/gift-cards/", {"balance": "5"}, format="json").status_code == 401
    )
    assert api.patch(url, {"disabled": True}, format="json").status_code == 401
    shopper = token_headers(UserFactory())
    assert (
        api.post("/api/v1/admin/gift-cards/", {"balance": "5"}, format="json", headers=shopper)
    ).status_code == 403
    no_permission = token_headers(StaffFactory(is_superuser=False))
    assert (
        api.patch(url, {"disabled": True}, format="json", headers=no_permission).status_code == 403
    )
    assert GiftCard.objects.count() == 1 and not GiftCard.objects.get().disabled


def test_staff_disable_and_enable_a_card(api):
    issued = gift_card("10.00")
    headers = token_headers(staff_with("change_giftcard"))
    url = f"/api/v1/admin/gift-cards/{issued.card.pk}/"

    disabled = api.patch(url, {"disabled": True}, format="json", headers=headers)
    assert disabled.status_code == 200
    assert disabled.json()["disabled"] is True
    assert api.get(f"/api/v1/gift-cards/{issued.code}/").status_code == 404
    enabled = api.patch(url, {"disabled": False}, format="json", headers=headers)
    assert enabled.json()["disabled"] is False
    assert list(GiftCardEntry.objects.filter(card=issued.card).values_list("kind", flat=True)) == [
        "issued",
        "disabled",
        "enabled",
    ]


@pytest.mark.parametrize(
    ("url", "body", "status"),
    [
        ("/api/v1/admin/gift-cards/999999/", {"disabled": True}, 404),
        (f"/api/v1/admin/gift-cards/{2**63}/", {"disabled": True}, 404),
        ("/api/v1/admin/gift-cards/1/", {"disabled": "maybe"}, 400),
        ("/api/v1/admin/gift-cards/1/", {}, 400),
    ],
)
def test_disabling_an_unknown_card_or_with_bad_input(api, url, body, status):
    gift_card("10.00")
    response = api.patch(
        url, body, format="json", headers=token_headers(staff_with("change_giftcard"))
    )

    assert response.status_code == status


def test_a_checkout_paid_in_part_by_a_card_shows_it_and_stripe_is_due_the_rest(api):
    issued = gift_card("15.00")
    token = guest_cart_token(api)

    response = api.post(
        "/api/v1/checkout/",
        {**CHECKOUT, "gift_cards": [issued.code.lower()]},
        format="json",
        headers={"X-Cart-Token": token},
    )

    assert response.status_code == 201
    order = Order.objects.get(pk=response.json()["order_id"])
    assert (order.total, order.gift_card_total, order.amount_due) == (
        Decimal("45.00"),
        Decimal("15.00"),
        Decimal("30.00"),
    )
    assert "/checkout/pay/" in response.json()["payment_url"]


def test_a_checkout_paid_in_full_by_cards_is_paid_at_once_and_listed_with_its_cards(api):
    user = UserFactory()
    headers = token_headers(user)
    issued = gift_card("100.00")
    variant = VariantFactory(price="40.00", stock_on_hand=10)
    api.post("/api/v1/cart/items/", {"variant_id": variant.pk}, format="json", headers=headers)

    started = api.post(
        "/api/v1/checkout/",
        {**CHECKOUT, "gift_cards": [issued.code]},
        format="json",
        headers=headers,
    )

    assert started.status_code == 201
    assert "/checkout/success/?order=" in started.json()["payment_url"]
    order = api.get(f"/api/v1/orders/{started.json()['order_id']}/", headers=headers).json()
    assert order["status"] == "paid"
    assert (order["total"], order["gift_card_total"], order["amount_due"]) == (
        "45.00",
        "45.00",
        "0.00",
    )
    assert order["claims"] == [
        {
            "kind": "tender",
            "source": "gift_card",
            "reference": issued.masked,
            "amount": "45.00",
            "points": 0,
        }
    ]


def test_a_card_spent_by_another_checkout_is_a_409_naming_it(api):
    issued = gift_card("45.00")
    first = api.post(
        "/api/v1/checkout/",
        {**CHECKOUT, "gift_cards": [issued.code]},
        format="json",
        headers={"X-Cart-Token": guest_cart_token(api)},
    )
    assert first.status_code == 201

    second = api.post(
        "/api/v1/checkout/",
        {**CHECKOUT, "gift_cards": [issued.code]},
        format="json",
        headers={"X-Cart-Token": guest_cart_token(api)},
    )

    assert second.status_code == 409
    problem = second.json()
    assert problem["code"] == "gift_card_balance_insufficient"
    assert issued.masked in problem["detail"]
    assert Order.objects.count() == 1


@pytest.mark.parametrize(
    ("gift_cards", "status", "code"),
    [
        (["AAAA-BBBB-CCCC-DDDD"], 400, "invalid_gift_card"),
        (["x" * 41], 400, "invalid"),
        ("ABCD", 400, "invalid"),
        ([f"C{n}" for n in range(6)], 400, "invalid"),
        (["ABC\x00D"], 400, "invalid"),
    ],
)
def test_checkout_refuses_bad_gift_card_input_clearly(api, gift_cards, status, code):
    response = api.post(
        "/api/v1/checkout/",
        {**CHECKOUT, "gift_cards": gift_cards},
        format="json",
        headers={"X-Cart-Token": guest_cart_token(api)},
    )

    assert response.status_code == status
    assert response.json()["code"] == code
    assert not Order.objects.exists()
