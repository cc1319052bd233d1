"""GET /api/v1/loyalty/: a shopper's points for API clients."""

import pytest

from loyalty import services
from tests.conftest import token_headers
from tests.factories import UserFactory
from tests.loyalty.helpers import checkout, pay

pytestmark = pytest.mark.django_db


def test_anonymous_gets_401_problem(api):
    response = api.get("/api/v1/loyalty/")

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")


def test_a_shopper_gets_balance_pending_and_the_ledger(api, user, variant):
    services.points_adjust(user_id=user.pk, points=200, reason="welcome")
    order = pay(checkout(user, variant, redeem=150))  # 40.00 - 1.50 earns 38

    response = api.get("/api/v1/loyalty/", headers=token_headers(user))

    assert response.status_code == 200
    body = response.json()
    assert (body["balance"], body["pending"]) == (50, 38)
    assert [(e["kind"], e["points"], e["order_number"]) for e in body["entries"]] == [
        ("earned", 38, order.number),
        ("redeemed", -150, order.number),
        ("adjusted", 200, None),
    ]
    assert all(e["created_at"] for e in body["entries"])


def test_a_shopper_without_points_gets_zeros_and_nothing_is_created(api, user):
    from loyalty.models import PointsAccount

    response = api.get("/api/v1/loyalty/", headers=token_headers(user))

    assert response.json() == {"balance": 0, "pending": 0, "entries": []}
    assert not PointsAccount.objects.exists()


def test_another_shoppers_points_never_show(api, user):
    services.points_adjust(user_id=user.pk, points=200, reason="welcome")

    response = api.get("/api/v1/loyalty/", headers=token_headers(UserFactory()))

    assert response.json()["balance"] == 0
