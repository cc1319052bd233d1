"""Staff actions on orders and stock holds, and the packing slip: each needs its permission.

A staff member is tried twice: holding only the permission to see the list (the action is
neither offered nor run), then holding the action's own permission too.
"""

import pytest

from checkout import services
from checkout.models import Order
from inventory.models import StockReservation
from tests.factories import StaffFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

ORDERS = "/admin/checkout/order/"
RESERVATIONS = "/admin/inventory/stockreservation/"


def staff_with(client, *permissions):
    client.force_login(StaffFactory(is_superuser=False, permissions=permissions))
    return client


@pytest.fixture
def pending(variant):
    return start(guest_cart((variant, 1))).order


@pytest.fixture
def paid(pending):
    return services.order_mark_paid(order_id=pending.pk)


def _status(order):
    order.refresh_from_db()
    return order.status


ACTIONS = [
    ("mark_fulfilled", "checkout.fulfil_order", "paid", Order.Status.FULFILLED),
    ("refund", "checkout.refund_order", "paid", Order.Status.REFUNDED),
    ("cancel_unpaid", "checkout.cancel_order", "pending", Order.Status.CANCELLED),
]


@pytest.mark.parametrize(("action", "permission", "order_fixture", "after"), ACTIONS)
def test_an_order_action_is_refused_to_staff_who_may_only_view_orders(
    client, request, action, permission, order_fixture, after
):
    order = request.getfixturevalue(order_fixture)
    before = order.status
    staff_with(client, "checkout.view_order")

    listing = client.get(ORDERS)
    response = client.post(ORDERS, {"action": action, "_selected_action": [order.pk]})

    assert listing.status_code == 200 and f'value="{action}"' not in listing.text
    # Django answers with the list again (no action left to offer) or a redirect to it.
    assert response.status_code in (200, 302)
    assert _status(order) == before


@pytest.mark.parametrize(("action", "permission", "order_fixture", "after"), ACTIONS)
def test_an_order_action_is_refused_to_staff_without_permissions(
    client, request, action, permission, order_fixture, after
):
    order = request.getfixturevalue(order_fixture)
    before = order.status
    staff_with(client)

    response = client.post(ORDERS, {"action": action, "_selected_action": [order.pk]})

    assert response.status_code == 403
    assert _status(order) == before


@pytest.mark.parametrize(("action", "permission", "order_fixture", "after"), ACTIONS)
def test_an_order_action_runs_for_staff_holding_its_permission(
    client, request, action, permission, order_fixture, after
):
    order = request.getfixturevalue(order_fixture)
    staff_with(client, "checkout.view_order", permission)

    listing = client.get(ORDERS)
    response = client.post(ORDERS, {"action": action, "_selected_action": [order.pk]})

    assert f'value="{action}"' in listing.text
    assert response.status_code == 302
    assert _status(order) == after


def test_refunding_needs_the_refund_permission_not_just_another_action(client, paid):
    staff_with(client, "checkout.view_order", "checkout.change_order", "checkout.fulfil_order")

    client.post(ORDERS, {"action": "refund", "_selected_action": [paid.pk]})

    assert _status(paid) == Order.Status.PAID


def test_releasing_a_hold_needs_the_release_permission(client, pending):
    reservation = StockReservation.objects.get(order_id=pending.pk)
    form = {"action": "release", "_selected_action": [reservation.pk]}

    staff_with(client, "inventory.view_stockreservation", "inventory.change_stockreservation")
    refused = client.post(RESERVATIONS, form)
    assert refused.status_code in (200, 302)
    assert _status(pending) == Order.Status.PENDING_PAYMENT
    reservation.refresh_from_db()
    assert reservation.status == "active"

    staff_with(client, "inventory.view_stockreservation", "inventory.release_stockreservation")
    assert 'value="release"' in client.get(RESERVATIONS).text
    client.post(RESERVATIONS, form)
    assert _status(pending) == Order.Status.CANCELLED


def test_the_packing_slip_needs_permission_to_view_orders(client, paid):
    url = f"/admin/checkout/order/{paid.pk}/packing-slip/"

    refused = staff_with(client).get(url)
    shown = staff_with(client, "checkout.view_order").get(url)

    assert refused.status_code == 403 and "Grace Hopper" not in refused.text
    assert shown.status_code == 200 and "Grace Hopper" in shown.text


def test_orders_cannot_be_deleted_even_by_a_superuser(client, variant):
    order = start(guest_cart((variant, 1))).order
    client.force_login(StaffFactory(is_superuser=True))

    response = client.post(f"/admin/checkout/order/{order.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Order.objects.filter(pk=order.pk).exists()
