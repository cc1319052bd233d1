"""Languages: complete compiled catalogs for German and Arabic, a switcher, money per locale."""

import re
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from tests.factories import ProductFactory, VariantFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("language", ["de", "ar"])
def test_each_catalog_is_complete_and_compiled(language):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    with open(folder / "django.po", "rb") as po_file:
        po = read_po(po_file, locale=language)
    with open(folder / "django.mo", "rb") as mo_file:
        mo = read_mo(mo_file)

    messages = [m for m in po if m.id]
    assert len(messages) > 300
    assert [
        m.id
        for m in messages
        if m.fuzzy or not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ] == []

    def ids(catalog):
        return {tuple(m.id) if isinstance(m.id, list | tuple) else m.id for m in catalog if m.id}

    assert ids(messages) == ids(mo), "run `make messages` to compile"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "add_label", "price", "direction"),
    [
        ("en", "Add to cart", "$499.99", "ltr"),
        ("de", "In den Warenkorb", "499,99\xa0$", "ltr"),
        ("ar", "أضف إلى السلة", "499.99", "rtl"),
    ],
)
def test_pages_speak_the_chosen_language(client, language, add_label, price, direction):
    product = ProductFactory(variants=0)
    VariantFactory(product=product, price="499.99")
    client.cookies["django_language"] = language

    page = client.get(product.get_absolute_url()).text

    assert re.search(rf'<html lang="{language}[^"]*" dir="{direction}"', page)
    assert add_label in page
    assert price in page
    assert 'data-testid="cart-count">0<' in page  # plain digits in every language


@pytest.mark.django_db
def test_the_language_switcher_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/products/"})

    assert response.status_code == 302 and response.url == "/products/"
    assert client.cookies["django_language"].value == "de"
    assert "Alle Produkte" in client.get("/products/").text


@pytest.mark.django_db
def test_shopper_facing_errors_are_friendly_in_every_language(client):
    variant = VariantFactory(stock_on_hand=3)
    client.cookies["django_language"] = "de"

    response = client.post(
        "/cart/add/", {"variant_id": variant.pk, "quantity": 5}, headers={"HX-Request": "true"}
    )

    assert "Only 3 left in stock" not in response.text
    assert "3" in re.search(r'data-testid="stock-error"[^>]*>([^<]+)<', response.text).group(1)
