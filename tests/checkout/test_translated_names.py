"""Shipping methods and order statuses in the shopper's language (issue 14, point 12)."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from checkout.models import Order, ShippingMethod
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Grace Hopper",
    "line1": "1 Main St",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
    "shipping_method": "express",
    "action": "pay",
}


def test_the_checkout_page_names_shipping_methods_in_the_shoppers_language(client, variant):
    client.post("/cart/add/", {"variant_id": variant.pk})

    client.cookies["django_language"] = "de"
    german = client.get("/checkout/").text
    client.cookies["django_language"] = "ar"
    arabic = client.get("/checkout/").text
    client.cookies["django_language"] = "en"
    english = client.get("/checkout/").text

    assert "Standardversand (3–5 Werktage)" in german
    assert "Expressversand (nächster Werktag)" in german
    assert "Express (next working day)" not in german
    assert "الشحن السريع (يوم العمل التالي)" in arabic
    assert "Express (next working day)" in english


def test_an_order_page_shows_its_shipping_method_and_history_in_the_shoppers_language(
    client, variant
):
    user = UserFactory()
    client.force_login(user)
    client.post("/cart/add/", {"variant_id": variant.pk})
    client.post(client.post("/checkout/", {**FORM, "email": user.email}).url, {"outcome": "pay"})
    order = Order.objects.get(user=user)
    client.cookies["django_language"] = "de"

    page = client.get(f"/orders/{order.number}/").text
    history = re.search(r'<ol class="history">(.*?)</ol>', page, re.S).group(1)

    assert re.search(r"Versand\s*<span[^>]*>Expressversand \(nächster Werktag\)</span>", page)
    assert "Wartet auf Zahlung" in history and "Bezahlt" in history
    assert "pending_payment" not in history and ": paid" not in history
    # Staff read the order as it was placed, in the shop's own language.
    assert order.shipping_method_name == "Express (next working day)"


def test_staff_enter_a_translated_name_for_a_shipping_method(staff_client):
    method = ShippingMethod.objects.get(code="express")
    form = staff_client.get(f"/admin/checkout/shippingmethod/{method.pk}/change/").text
    assert 'name="name_de"' in form and 'value="Expressversand (nächster Werktag)"' in form

    response = staff_client.post(
        f"/admin/checkout/shippingmethod/{method.pk}/change/",
        {
            "code": "express",
            "name": "Express",
            "name_de": "Express (morgen da)",
            "name_ar": "",
            "price": "15.00",
            "free_over": "",
            "is_active": "on",
            "position": "1",
        },
    )

    assert response.status_code == 302
    method.refresh_from_db()
    assert method.name == "Express"
    assert method.name_translations == {"de": "Express (morgen da)"}


def test_the_api_names_shipping_methods_in_the_requests_language(api):
    english = api.get("/api/v1/checkout/shipping-methods/").json()
    german = api.get("/api/v1/checkout/shipping-methods/", HTTP_ACCEPT_LANGUAGE="de").json()

    assert [m["name"] for m in english] == [
        "Standard (3–5 working days)",
        "Express (next working day)",
    ]
    assert [m["name"] for m in german] == [
        "Standardversand (3–5 Werktage)",
        "Expressversand (nächster Werktag)",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_migration_translates_the_shops_own_methods_and_keeps_everything_else():
    executor = MigrationExecutor(connection)
    before = [("checkout", "0006_order_promo_over_limit")]
    executor.migrate(before)
    try:
        apps = executor.loader.project_state(before).apps
        Method = apps.get_model("checkout", "ShippingMethod")
        OldOrder = apps.get_model("checkout", "Order")
        Method.objects.all().delete()
        Method.objects.create(code="standard", name="Standard (3–5 working days)", price=5)
        Method.objects.create(code="express", name="Express delivery", price=15)
        old = OldOrder.objects.create(
            number="NW-OLD1-0001",
            email="old@example.com",
            subtotal=Decimal("10.00"),
            total=Decimal("15.00"),
            shipping_method_code="standard",
            shipping_method_name="Standard (3–5 working days)",
            ship_name="Old Customer",
            ship_line1="1 Main St",
            ship_city="Springfield",
            ship_postal_code="12345",
            ship_country="US",
            payment_backend="test",
            expires_at="2026-01-01T00:00:00Z",
        )
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    standard = ShippingMethod.objects.get(code="standard")
    renamed = ShippingMethod.objects.get(code="express")
    order = Order.objects.get(pk=old.pk)
    assert standard.name == "Standard (3–5 working days)"
    assert standard.name_translations["de"] == "Standardversand (3–5 Werktage)"
    assert (renamed.name, renamed.name_translations) == ("Express delivery", {})
    assert order.shipping_method_name == "Standard (3–5 working days)"
    assert order.shipping_method_name_translations["ar"] == "الشحن العادي (من 3 إلى 5 أيام عمل)"
    assert order.status == Order.Status.PENDING_PAYMENT
