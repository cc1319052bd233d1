"""/account/points/: what a shopper sees of their points, as a page and as an htmx partial."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checkout import services as checkout_services
from loyalty import services
from loyalty.views import ENTRIES_PER_PAGE
from tests.loyalty.helpers import checkout, pay

pytestmark = pytest.mark.django_db


def paid_order(user, variant, quantity=1, made_available=False):
    order = pay(checkout(user, variant, quantity=quantity))
    if made_available:
        services.points_make_available_due(now=timezone.now() + timedelta(days=15))
    return order


def test_a_guest_is_sent_to_log_in(client):
    response = client.get("/account/points/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/account/points/")


def test_a_shopper_sees_balance_pending_and_one_entry_per_ledger_row(
    shopper_client, user, variant, give_points
):
    give_points(user, 120)
    old = paid_order(user, variant, quantity=2, made_available=True)
    new = paid_order(user, variant)

    page = shopper_client.get("/account/points/")

    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="points-balance">200<' in html
    assert 'data-testid="points-pending">40<' in html
    assert html.count('data-testid="points-entry"') == 4
    assert old.number in html and new.number in html
    assert "welcome gift" in html
    assert "$2.00" in html


def test_an_empty_ledger_says_how_points_are_earned(shopper_client):
    html = shopper_client.get("/account/points/").content.decode()

    assert 'data-testid="points-balance">0<' in html
    assert 'data-testid="points-empty"' in html


def test_a_refund_that_could_not_take_back_everything_says_so(shopper_client, user, variant):
    order = paid_order(user, variant, quantity=2, made_available=True)
    services.points_adjust(user_id=user.pk, points=-50, reason="spent")
    checkout_services.order_refund(order_id=order.pk)

    html = shopper_client.get("/account/points/").content.decode()

    assert "50 points already spent" in html
    assert 'data-testid="points-balance">0<' in html


def test_the_ledger_pages_and_htmx_gets_only_the_ledger(shopper_client, user):
    for n in range(ENTRIES_PER_PAGE + 1):
        services.points_adjust(user_id=user.pk, points=1, reason=f"gift {n}")

    plain = shopper_client.get("/account/points/?page=2")
    partial = shopper_client.get("/account/points/?page=2", headers={"HX-Request": "true"})

    assert plain.content.decode().count('data-testid="points-entry"') == 1
    assert "<html" in plain.content.decode()
    body = partial.content.decode()
    assert body.count('data-testid="points-entry"') == 1
    assert "<html" not in body and 'id="points-ledger"' in body
    assert "points-balance" not in body
    assert partial["Vary"] and "HX-Request" in partial["Vary"]


def test_only_the_shoppers_own_points_show(client, user, give_points):
    from tests.factories import UserFactory

    give_points(user, 99)
    client.force_login(UserFactory())

    html = client.get("/account/points/").content.decode()

    assert 'data-testid="points-balance">0<' in html
    assert "welcome gift" not in html


def test_the_account_menu_and_my_orders_link_to_the_points_page(shopper_client):
    for url in ("/", "/orders/"):
        html = shopper_client.get(url).content.decode()
        assert 'href="/account/points/"' in html


@pytest.mark.parametrize(
    ("language", "title", "pending"),
    [("de", "Meine Punkte", "Ausstehend"), ("ar", "نقاطي", "معلّقة")],
)
def test_the_points_page_speaks_the_shoppers_language(
    shopper_client, user, language, title, pending
):
    services.points_adjust(user_id=user.pk, points=3, reason="gift")
    shopper_client.cookies["django_language"] = language

    html = shopper_client.get("/account/points/").content.decode()

    assert title in html and pending in html
