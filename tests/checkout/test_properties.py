"""Line properties and the cart note go with the order: its lines, the checkout page, the
confirmation email, the packing slip, the admin, the pages and API of orders, and the
Stripe Checkout Session's metadata (within Stripe's limits)."""

import re
from types import SimpleNamespace

import pytest
from django.core import mail

from cart import services as cart_services
from cart.selectors import CartOwner
from checkout import payments, services
from checkout.models import Order
from tests.conftest import token_headers
from tests.factories import ProductLineFieldFactory, StaffFactory, UserFactory, VariantFactory
from tests.helpers import start

pytestmark = pytest.mark.django_db

ADA = {"engraving": "For Ada"}


@pytest.fixture
def knife():
    variant = VariantFactory(price="40.00", stock_on_hand=10)
    ProductLineFieldFactory(product=variant.product, key="engraving", label="Engraving")
    return variant


def engraved_cart(knife, owner=None, note="Leave it by the door."):
    """A cart with 1 engraved and 2 plain of `knife`, and a note."""
    change = cart_services.cart_add_lines(
        owner=owner or CartOwner(), items=[(knife.pk, 1, ADA), (knife.pk, 2)], source="test"
    )
    owner = owner or CartOwner(token=change.summary.token)
    cart_services.cart_note_set(owner=owner, note=note, source="test")
    return owner


def test_the_order_keeps_each_lines_properties_and_the_note(knife):
    order = start(engraved_cart(knife)).order

    assert order.note == "Leave it by the door."
    assert [(line.quantity, line.properties) for line in order.lines.all()] == [(1, ADA), (2, {})]
    assert order.lines.first().properties_display == [
        {"key": "engraving", "label": "Engraving", "value": "For Ada"}
    ]


def test_the_checkout_page_shows_properties_under_the_line_and_the_note(client, knife):
    client.post("/cart/add/", {"variant_id": knife.pk, "properties[engraving]": "For Ada"})
    client.post("/cart/note/", {"note": "Gift, no invoice"})

    page = client.get("/checkout/").text

    summary = re.search(r'<aside class="cart-summary checkout-summary".*?</aside>', page, re.S)[0]
    assert 'data-testid="line-properties"' in summary
    assert re.search(r"<dt>Engraving:</dt> <dd>For Ada</dd>", summary)
    assert re.search(r'data-testid="checkout-note">.*Gift, no invoice', summary)


def test_the_confirmation_email_lists_properties_and_the_note(
    knife, django_capture_on_commit_callbacks
):
    order = start(engraved_cart(knife)).order

    with django_capture_on_commit_callbacks(execute=True):
        services.local_payment_complete(order_id=order.pk, succeed=True)

    [email] = mail.outbox
    assert "    Engraving: For Ada\n" in email.body
    assert "Your note:\nLeave it by the door." in email.body
    html = email.alternatives[0][0]
    assert "Engraving: For Ada" in html and "Leave it by the door." in html


def test_the_packing_slip_and_the_admin_show_properties_and_the_note(client, knife):
    order = start(engraved_cart(knife)).order
    client.force_login(StaffFactory(is_superuser=True))

    slip = client.get(f"/admin/checkout/order/{order.pk}/packing-slip/").text
    change = client.get(f"/admin/checkout/order/{order.pk}/change/").text

    assert re.search(r"Engraving: <strong>For Ada</strong>", slip)
    assert "Note from the shopper" in slip and "Leave it by the door." in slip
    assert "Engraving: For Ada" in change and "Leave it by the door." in change
    cart_page = client.get(f"/admin/cart/cart/{order.cart_id}/change/").text
    assert "Engraving: For Ada" in cart_page


def test_my_order_and_the_confirmation_page_show_properties_and_the_note(client, knife):
    user = UserFactory()
    client.force_login(user)
    client.post("/cart/add/", {"variant_id": knife.pk, "properties[engraving]": "For Ada"})
    client.post("/cart/note/", {"note": "Ring twice"})
    order = start(CartOwner(user=user), email=user.email).order
    services.local_payment_complete(order_id=order.pk, succeed=True)

    detail = client.get(f"/orders/{order.number}/").text
    success = client.get(f"/checkout/success/?order={order.number}").text

    for page in (detail, success):
        assert re.search(r"<dt>Engraving:</dt> <dd>For Ada</dd>", page)
        assert re.search(r'data-testid="order-note">.*Ring twice', page)


def test_the_orders_api_shows_properties_on_lines_and_the_note(api, knife):
    user = UserFactory()
    owner = engraved_cart(knife, owner=CartOwner(user=user), note="Ring twice")
    order = start(owner, email=user.email).order

    body = api.get(f"/api/v1/orders/{order.pk}/", headers=token_headers(user)).json()

    assert body["note"] == "Ring twice"
    assert [line["properties"] for line in body["lines"]] == [ADA, {}]


def test_the_stripe_session_carries_the_note_and_properties(fake_stripe, knife):
    order = start(engraved_cart(knife)).order

    [call] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    form = call["form"]
    assert form["metadata"] == {
        "order_id": str(order.pk),
        "order_number": order.number,
        "note": "Leave it by the door.",
        "line1_engraving": "For Ada",
    }
    engraved, plain = form["line_items"]["0"], form["line_items"]["1"]
    assert engraved["price_data"]["product_data"]["description"] == "Engraving: For Ada"
    assert engraved["price_data"]["product_data"]["metadata"] == {
        "engraving": "For Ada",
        "sku": knife.sku,
    }
    assert "description" not in plain["price_data"]["product_data"]
    # The payment intent names only the order, as before.
    assert form["payment_intent_data"]["metadata"] == {
        "order_id": str(order.pk),
        "order_number": order.number,
    }


def test_session_metadata_stays_within_stripes_limits():
    order = SimpleNamespace(
        pk=7, number="NW-AAAA-BBBB", note="n" * 600, claims=[], points_redeemed=0
    )
    lines = [
        SimpleNamespace(properties={f"field_{k:02d}_" + "k" * 20: "v" * 500 for k in range(5)})
        for _ in range(12)
    ]  # 60 properties, keys of 29 characters

    metadata = payments.session_metadata(order, lines)

    assert len(metadata) == 50
    assert all(len(key) <= 40 for key in metadata)
    assert all(len(value) <= 500 for value in metadata.values())
    assert metadata["note"].endswith("…")
    assert metadata["properties_omitted"] == str(60 - 46)
    assert "line1_field_00_kkkkkkkkkkkkkkkkkkkk" in metadata
    assert "line12_field_04_kkkkkkkkkkkkkkkkkkkk" not in metadata


def test_an_order_without_properties_or_note_keeps_the_plain_metadata():
    order = SimpleNamespace(pk=7, number="NW-AAAA-BBBB", note="", claims=[], points_redeemed=0)

    assert payments.session_metadata(order, [SimpleNamespace(properties={})]) == {
        "order_id": "7",
        "order_number": "NW-AAAA-BBBB",
    }


def test_a_note_changed_during_checkout_ends_it_so_the_order_never_pays_an_old_note(knife):
    owner = engraved_cart(knife)
    order = start(owner).order

    cart_services.cart_note_set(owner=owner, note="Changed my mind", source="test")

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert start(owner).order.note == "Changed my mind"
