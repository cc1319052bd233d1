"""The funnel report and order reconciliation are staff pages with their own permissions:
reading needs permission to view carts or orders, applying a reconciliation to change orders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.models import Order
from tests.factories import StaffFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

REPORT = "/admin/cart/cart/report/"
RECONCILIATION = "/admin/checkout/order/reconciliation/"


def staff_with(client, *permissions):
    client.force_login(StaffFactory(is_superuser=False, permissions=permissions))
    return client


@pytest.fixture
def late_order(shipping_methods):
    order = start(guest_cart((VariantFactory(stock_on_hand=5), 1))).order
    Order.objects.filter(pk=order.pk).update(expires_at=timezone.now() - timedelta(minutes=5))
    return order


def test_the_cart_report_needs_permission_to_view_carts(client):
    refused = staff_with(client).get(REPORT)
    not_carts = staff_with(client, "checkout.view_order").get(REPORT)
    shown = staff_with(client, "cart.view_cart").get(REPORT)

    assert refused.status_code == not_carts.status_code == 403
    assert shown.status_code == 200 and 'data-figure="orders_paid"' in shown.text


def test_reconciliation_needs_permission_to_view_orders(client, late_order):
    refused = staff_with(client, "cart.view_cart").get(RECONCILIATION)
    shown = staff_with(client, "checkout.view_order").get(RECONCILIATION)

    assert refused.status_code == 403 and late_order.number not in refused.text
    assert shown.status_code == 200 and late_order.number in shown.text


def test_applying_a_reconciliation_needs_permission_to_change_orders(client, late_order):
    for permissions in [(), ("checkout.view_order",)]:
        response = staff_with(client, *permissions).post(RECONCILIATION, {"order": late_order.pk})

        assert response.status_code == 403, permissions
        late_order.refresh_from_db()
        assert late_order.status == Order.Status.PENDING_PAYMENT

    response = staff_with(client, "checkout.view_order", "checkout.change_order").post(
        RECONCILIATION, {"order": late_order.pk}
    )

    assert response.status_code == 302
    late_order.refresh_from_db()
    assert late_order.status == Order.Status.CANCELLED
