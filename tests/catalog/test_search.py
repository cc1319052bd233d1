"""Product search (issue 14, point 19): ranked full-text search with trigram similarity on
PostgreSQL, a plain match on SQLite, the vector kept in step with the catalog."""

from decimal import Decimal

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog import search, selectors, services
from catalog.models import Product, Variant
from tests.factories import CategoryFactory, ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db


def names(query: str, **kwargs) -> list[str]:
    return [product.name for product in selectors.product_list(query=query, **kwargs)]


@pytest.fixture
def desk():
    tech = CategoryFactory(name="Desk & Tech", slug="desk-tech")
    lamps = CategoryFactory(name="Lamps", slug="lamps")
    ProductFactory(
        name="Noise-Cancelling Headphones",
        description="Over-ear headphones with 30 hours of battery.",
        category=tech,
        variants__sku="DSK-01-BLACK",
    )
    ProductFactory(name="Leather Laptop Sleeve", description="Full-grain leather.", category=tech)
    ProductFactory(name="Linen Shade", description="A drum shade in washed linen.", category=lamps)
    ProductFactory(name="Bulb Pack", description="Warm bulbs for any lamp.", category=tech)
    ProductFactory(name="Architect Desk Lamp", description="Adjustable.", category=tech)


@pytest.mark.postgres
def test_a_misspelt_name_still_finds_the_product(desk):
    assert names("hedphones") == ["Noise-Cancelling Headphones"]
    assert names("headphnes") == ["Noise-Cancelling Headphones"]
    assert names("archtect") == ["Architect Desk Lamp"]


@pytest.mark.postgres
def test_results_are_ranked_name_then_category_then_description(desk):
    # "lamp" is the name of one, the category ("Lamps") of another, in the description of a
    # third; the laptop sleeve only looks a little like it and is not a match.
    assert names("lamp") == ["Architect Desk Lamp", "Linen Shade", "Bulb Pack"]


@pytest.mark.postgres
def test_words_are_stemmed_and_all_of_them_count(desk):
    assert names("lamps") == ["Architect Desk Lamp", "Linen Shade", "Bulb Pack"]
    assert names("washed linen shade") == ["Linen Shade"]


@pytest.mark.postgres
def test_a_sku_finds_its_product_first(desk):
    assert names("DSK-01-BLACK") == ["Noise-Cancelling Headphones"]
    assert names("dsk-01-black") == ["Noise-Cancelling Headphones"]


@pytest.mark.postgres
def test_another_sort_overrides_relevance(desk):
    assert names("lamp", sort="featured") == ["Architect Desk Lamp", "Bulb Pack", "Linen Shade"]


def _vector_matches(product: Product, words: str, config: str = "english") -> bool:
    return Product.objects.filter(
        pk=product.pk, search_vector=SearchQuery(words, config=config)
    ).exists()


@pytest.mark.postgres
def test_the_vector_follows_products_variants_and_categories():
    category = CategoryFactory(name="Kitchen")
    product = ProductFactory(name="Copper Kettle", category=category, variants=0)
    variant = VariantFactory(product=product, name="Large", sku="KIT-7")
    assert _vector_matches(product, "kettle") and _vector_matches(product, "kitchen")
    assert _vector_matches(product, "KIT-7", config="simple")

    product.name = "Brass Kettle"
    product.save()
    category.name = "Cookware"
    category.save()
    variant.sku = "KIT-8"
    variant.save()
    other = VariantFactory(product=product, name="Small", sku="KIT-9")

    assert _vector_matches(product, "brass") and _vector_matches(product, "cookware")
    assert not _vector_matches(product, "kitchen")
    assert _vector_matches(product, "KIT-8", config="simple")
    assert not _vector_matches(product, "KIT-7", config="simple")
    assert _vector_matches(product, "KIT-9", config="simple")

    services.variant_update(variant_id=other.pk, status=Variant.Status.ARCHIVED)
    assert not _vector_matches(product, "KIT-9", config="simple")
    variant.delete()
    assert not _vector_matches(product, "KIT-8", config="simple")


@pytest.mark.postgres
def test_a_stock_or_price_change_leaves_the_vector_alone():
    variant = VariantFactory(product=ProductFactory(name="Copper Kettle", variants=0))

    with CaptureQueriesContext(connection) as price_change:
        services.variant_update(variant_id=variant.pk, price=Decimal("12.00"))
    with CaptureQueriesContext(connection) as rename:
        variant.name = "Large"
        variant.save()

    def rewrites_vector(queries) -> bool:
        return any(q["sql"].startswith("UPDATE") and "search_vector" in q["sql"] for q in queries)

    assert not rewrites_vector(price_change.captured_queries)
    assert rewrites_vector(rename.captured_queries)


@pytest.mark.postgres
def test_the_vector_has_a_gin_index_and_trigrams_are_installed():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_product_search'"
        )
        [(definition,)] = cursor.fetchall()
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchall() == [(1,)]
    assert "USING gin (search_vector)" in definition


@pytest.mark.postgres
def test_the_backfill_fills_every_product(desk):
    Product.objects.update(search_vector=None)

    updated = services.product_search_update(products=Product.objects.all())

    assert updated == 5
    assert not Product.objects.filter(search_vector=None).exists()


def test_without_postgresql_search_is_a_plain_match(desk, monkeypatch):
    monkeypatch.setattr(search, "full_text_search_available", lambda: False)

    assert names("hedphones") == []
    assert names("phones") == ["Noise-Cancelling Headphones"]
    # Name matches first, then the rest by name.
    assert names("lamp") == ["Architect Desk Lamp", "Bulb Pack", "Linen Shade"]
    assert names("DSK-01-BLACK") == ["Noise-Cancelling Headphones"]
