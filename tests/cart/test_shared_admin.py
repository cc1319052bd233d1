"""Assisted sales in admin (issue 15, point 3): staff holding "Can make assisted-sale links"
pick variants, quantities and line properties for a customer and get a shared cart's link;
the shared carts list, ending links, and the funnel report's shared-cart figures."""

import re

import pytest
from django.utils import timezone

from cart import services
from cart.models import SharedCart
from cart.selectors import CartOwner
from tests.factories import ProductFactory, ProductLineFieldFactory, StaffFactory, VariantFactory

pytestmark = pytest.mark.django_db

SALE = "/admin/cart/sharedcart/assisted-sale/"
MAKE = "cart.assisted_sale_sharedcart"


def staff_with(client, *permissions):
    client.force_login(StaffFactory(is_superuser=False, permissions=permissions))
    return client


@pytest.fixture
def knife():
    product = ProductFactory(name="Chef's Knife", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    return VariantFactory(product=product, name="8 inch", stock_on_hand=10)


def sale(*lines, label=""):
    """The assisted-sale form's fields for these (variant, quantity, properties text) lines."""
    data = {
        "label": label,
        "lines-TOTAL_FORMS": "6",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
    }
    for i, (variant, quantity, properties) in enumerate(lines):
        data[f"lines-{i}-variant"] = variant.pk
        data[f"lines-{i}-quantity"] = quantity
        data[f"lines-{i}-properties"] = properties
    return data


def test_the_assisted_sale_page_needs_its_own_permission(client, knife):
    for permissions in [(), ("cart.view_sharedcart", "cart.change_sharedcart")]:
        staff_with(client, *permissions)

        assert client.get(SALE).status_code == 403, permissions
        assert client.post(SALE, sale((knife, 1, ""))).status_code == 403, permissions
    assert not SharedCart.objects.exists()

    page = staff_with(client, MAKE).get(SALE)

    assert page.status_code == 200
    assert page.text.count('data-testid="assisted-sale-line"') == 6
    assert "admin/js/autocomplete.js" in page.text


def test_staff_make_a_link_for_a_customer_and_see_it_to_copy(client, knife):
    mug = VariantFactory(product=ProductFactory(name="Stone Mug", variants=0))
    staff_with(client, MAKE)

    response = client.post(
        SALE, sale((knife, 2, "engraving: For Ada"), (mug, 1, ""), label="Ada Lovelace")
    )

    shared = SharedCart.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/cart/sharedcart/{shared.pk}/change/"
    assert (shared.kind, shared.label) == ("assisted", "Ada Lovelace")
    assert [(line.variant, line.quantity, line.properties) for line in shared.lines.all()] == [
        (knife, 2, {"engraving": "For Ada"}),
        (mug, 1, {}),
    ]
    page = client.get(response.url).text
    url = re.search(r'data-testid="share-cart-url"[^>]*value="([^"]+)"', page)[1]
    assert url == f"http://testserver/cart/shared/{shared.token}/"
    assert "Link made: copy it and send it to the customer." in page
    visitor_page = client.get(url)
    assert visitor_page.status_code == 200 and "Picked for you at" in visitor_page.text
    assert "Ada Lovelace" not in visitor_page.text


def test_a_refusal_shows_on_its_line_and_nothing_is_made(client, knife):
    staff_with(client, MAKE)

    too_long = client.post(SALE, sale((knife, 1, "engraving: " + "x" * 21)))
    unknown_key = client.post(SALE, sale((knife, 1, "colour: red")))
    malformed = client.post(SALE, sale((knife, 1, "just text")))
    nothing = client.post(SALE, sale())

    assert too_long.status_code == 200
    assert "Engraving can be at most 20 characters." in too_long.text
    assert "This item has no option called “colour”." in unknown_key.text
    assert "Write each property as key: value." in malformed.text
    assert "Pick at least one variant." in nothing.text
    assert not SharedCart.objects.exists()


def test_the_add_button_leads_to_the_assisted_sale(client):
    staff_with(client, MAKE)

    response = client.get("/admin/cart/sharedcart/add/")
    listing = client.get("/admin/cart/sharedcart/")

    assert response.status_code == 302 and response.url == SALE
    assert listing.status_code == 200
    assert staff_with(client).get("/admin/cart/sharedcart/add/").status_code == 403


def test_staff_end_links_with_the_change_permission(client, knife):
    change = services.cart_add_line(
        owner=CartOwner(), variant_id=knife.pk, quantity=1, source="test"
    )
    link = services.cart_share(owner=CartOwner(token=change.summary.token), source="test")
    data = {"action": "expire_links", "_selected_action": [link.shared_cart_id]}

    staff_with(client, "cart.view_sharedcart").post("/admin/cart/sharedcart/", data)
    assert SharedCart.objects.get().expires_at > timezone.now()

    staff_with(client, "cart.view_sharedcart", "cart.change_sharedcart").post(
        "/admin/cart/sharedcart/", data
    )
    assert SharedCart.objects.get().expires_at <= timezone.now()
    assert client.get(link.path).status_code == 404


def test_the_funnel_report_shows_shares_opens_and_adds(client, knife):
    change = services.cart_add_line(
        owner=CartOwner(), variant_id=knife.pk, quantity=1, source="test"
    )
    link = services.cart_share(owner=CartOwner(token=change.summary.token), source="test")
    client.get(link.path)
    client.post(link.path + "add/")

    page = staff_with(client, "cart.view_cart").get("/admin/cart/cart/report/").text

    assert re.search(r'data-figure="carts_shared">1<', page)
    assert re.search(r'data-figure="shared_carts_opened">1<', page)
    assert re.search(r'data-figure="shared_carts_added">1<', page)
