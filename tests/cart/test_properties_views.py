"""Line properties and the cart note on the pages: each asked as a plain form post (redirect
and message) and with htmx (the changed partials)."""

import html
import json
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cart.models import Cart, CartLine
from tests.factories import (
    CartFactory,
    CartLineFactory,
    ProductFactory,
    ProductLineFieldFactory,
    UserFactory,
    VariantFactory,
)

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ON_CART_PAGE = {**HTMX, "HX-Current-URL": "http://testserver/cart/"}


@pytest.fixture
def knife():
    product = ProductFactory(name="Chef's Knife", variants=0)
    ProductLineFieldFactory(product=product, key="engraving", label="Engraving", max_length=20)
    ProductLineFieldFactory(
        product=product,
        key="gift_wrap",
        label="Gift wrap",
        kind="choice",
        choices=["Kraft paper", "Linen cloth"],
    )
    return VariantFactory(product=product, stock_on_hand=10)


def add(client, variant, properties=None, headers=None, **extra):
    data = {"variant_id": variant.pk, "quantity": 1, **extra}
    data.update({f"properties[{k}]": v for k, v in (properties or {}).items()})
    return client.post("/cart/add/", data, headers=headers or {})


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_product_page_shows_each_line_field_as_an_input(client, knife):
    ProductLineFieldFactory(product=knife.product, key="monogram", label="Monogram", required=True)

    page = client.get(knife.product.get_absolute_url()).text

    engraving = re.search(r'<input[^>]*data-testid="line-property-engraving"[^>]*>', page)[0]
    assert 'name="properties[engraving]"' in engraving and 'maxlength="20"' in engraving
    assert "required" not in engraving
    assert re.search(r'<input[^>]*name="properties\[monogram\]"[^>]*required', page)
    select = r'<select[^>]*data-testid="line-property-gift_wrap".*?</select>'
    wrap = re.search(select, page, re.S)[0]
    assert '<option value="Kraft paper">Kraft paper</option>' in wrap
    assert '<label for="line-property-engraving">Engraving' in page


def test_a_product_without_line_fields_shows_no_inputs(client):
    variant = VariantFactory()

    assert "line-property-" not in client.get(variant.product.get_absolute_url()).text


def test_an_add_without_js_carries_the_properties_to_a_line_shown_on_the_cart_page(client, knife):
    back = knife.product.get_absolute_url()

    response = add(
        client, knife, {"engraving": " For Ada ", "gift_wrap": "Linen cloth"}, next=back
    )

    assert response.status_code == 302 and response.url == back
    assert messages_of(response) == ["Added to cart"]
    line = CartLine.objects.get()
    assert line.properties == {"engraving": "For Ada", "gift_wrap": "Linen cloth"}
    page = client.get("/cart/").text
    shown = re.search(r'<dl class="line-properties" data-testid="line-properties">.*?</dl>', page)
    assert shown, page
    text = re.sub(r"<[^>]+>", "", shown[0])
    assert text == "Engraving: For AdaGift wrap: Linen cloth"


def test_the_same_variant_with_other_properties_is_another_line(client, knife):
    add(client, knife, {"engraving": "For Ada"})
    add(client, knife, {"engraving": "For Grace"})
    add(client, knife, {"engraving": "For Ada"})

    assert sorted(CartLine.objects.values_list("properties__engraving", "quantity")) == [
        ("For Ada", 2),
        ("For Grace", 1),
    ]
    assert client.get("/cart/").text.count('data-testid="cart-item"') == 2


def test_an_add_with_htmx_shows_the_properties_in_the_mini_cart(client, knife):
    response = add(client, knife, {"engraving": "For Ada"}, headers=HTMX)

    assert response.status_code == 200
    assert 'data-testid="mini-cart-line-properties"' in response.text
    assert "For Ada" in response.text
    assert '"cart-changed"' in response["HX-Trigger-After-Swap"]


def test_a_value_over_its_length_is_refused_naming_the_field_and_adds_nothing(client, knife):
    back = knife.product.get_absolute_url()

    plain = add(client, knife, {"engraving": "x" * 21}, next=back)
    htmx = add(client, knife, {"engraving": "x" * 21}, headers=HTMX)

    assert plain.status_code == 302
    assert messages_of(plain) == ["Engraving can be at most 20 characters."]
    page = client.get(back).text
    assert re.search(r'data-testid="stock-error"[^>]*>Engraving can be at most 20', page)
    assert re.search(r'id="stock-error"[^>]*>Engraving can be at most 20 characters.<', htmx.text)
    assert not CartLine.objects.exists()


def test_a_missing_required_field_is_refused_naming_it(client, knife):
    ProductLineFieldFactory(product=knife.product, key="monogram", label="Monogram", required=True)

    response = add(client, knife, {"engraving": "For Ada"}, headers=HTMX)

    assert "Please fill in Monogram." in response.text
    assert not Cart.objects.exists()


def test_a_choice_that_is_not_offered_is_refused(client, knife):
    response = add(client, knife, {"gift_wrap": "Gold foil"}, headers=HTMX)

    assert "Please choose one of the options for Gift wrap." in response.text
    assert not CartLine.objects.exists()


def test_undo_of_a_removed_engraved_line_brings_its_properties_back(client, knife):
    add(client, knife, {"engraving": "For Ada"})
    line = CartLine.objects.get()

    removed = client.post(f"/cart/lines/{line.pk}/remove/", headers=ON_CART_PAGE)

    hidden = re.search(r'name="properties" value="([^"]*)"', removed.text)[1]
    assert json.loads(html.unescape(hidden)) == {"engraving": "For Ada"}
    client.post(
        "/cart/restore/",
        {"variant_id": knife.pk, "quantity": 1, "properties": html.unescape(hidden)},
        headers=HTMX,
    )
    assert CartLine.objects.get().properties == {"engraving": "For Ada"}


@pytest.mark.parametrize("properties", ["{", "[1]", "[" * 3000])
def test_an_undo_with_broken_properties_restores_nothing(client, knife, properties):
    response = client.post(
        "/cart/restore/",
        {"variant_id": knife.pk, "quantity": 1, "properties": properties},
        headers=HTMX,
    )

    assert "Nothing to restore" in response.text
    assert not CartLine.objects.exists()


def test_cart_page_queries_stay_flat_with_engraved_lines():
    user = UserFactory()
    counts = []
    for size in (1, 10):
        Cart.objects.all().delete()
        cart = CartFactory(user=user)
        for n in range(size):
            CartLineFactory(cart=cart, properties={"engraving": f"No. {n}"})
        from django.test import Client

        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get("/cart/").text
        assert page.count('data-testid="line-properties"') == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


# --- the note ----------------------------------------------------------------------------


def test_the_cart_page_shows_the_note_form_only_with_lines(client, knife):
    assert 'data-testid="cart-note"' not in client.get("/cart/").text

    add(client, knife)
    page = client.get("/cart/").text

    textarea = re.search(r'<textarea[^>]*data-testid="cart-note"[^>]*>', page)[0]
    assert 'maxlength="500"' in textarea and 'name="note"' in textarea
    assert 'hx-trigger="input changed delay:600ms, change"' in textarea


def test_a_note_posted_without_js_is_saved_and_shown(client, knife):
    add(client, knife)

    response = client.post("/cart/note/", {"note": "Please leave it by the door."})

    assert response.status_code == 302 and response.url == "/cart/"
    assert messages_of(response)[-1] == "Note saved."
    assert Cart.objects.get().note == "Please leave it by the door."
    assert ">Please leave it by the door.</textarea>" in client.get("/cart/").text


def test_a_note_typed_with_htmx_answers_a_status_line(client, knife):
    add(client, knife)

    response = client.post("/cart/note/", {"note": "Gift"}, headers=HTMX)

    assert response.status_code == 200
    assert response.text.strip() == '<span class="note-saved">Note saved.</span>'
    assert Cart.objects.get().note == "Gift"


def test_a_note_over_500_characters_is_refused_and_the_old_one_kept(client, knife):
    add(client, knife)
    client.post("/cart/note/", {"note": "Short"})

    plain = client.post("/cart/note/", {"note": "x" * 501})
    htmx = client.post("/cart/note/", {"note": "x" * 501}, headers=HTMX)

    assert messages_of(plain)[-1] == "Your note can be at most 500 characters."
    assert "Your note can be at most 500 characters." in htmx.text
    assert 'class="field-error"' in htmx.text
    assert Cart.objects.get().note == "Short"


def test_a_shoppers_note_goes_to_their_own_cart(client, knife):
    user = UserFactory()
    client.force_login(user)
    add(client, knife)

    client.post("/cart/note/", {"note": "Ring twice"}, headers=HTMX)

    assert Cart.objects.get(user=user).note == "Ring twice"
