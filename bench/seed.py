"""Seed the bench database: at least 1,000 variants whose stock never runs out.

Run by bench/run.py with the bench environment; writes the catalog the load reads to
the JSON file given as the first argument.
"""

import json
import sys
from decimal import Decimal

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402

from catalog.models import Category, Product, Variant  # noqa: E402
from catalog.services import product_search_update  # noqa: E402

PRODUCTS = 400
VARIANTS_PER_PRODUCT = 3
STOCK = 1_000_000_000


@transaction.atomic
def seed() -> list[dict]:
    call_command("seed_demo", verbosity=0)
    categories = list(Category.objects.all())
    Variant.objects.update(stock_on_hand=STOCK)
    existing = Product.objects.filter(slug__startswith="bench-").count()
    for i in range(existing, PRODUCTS):
        product = Product.objects.create(
            name=f"Bench Product {i:04d}",
            slug=f"bench-{i:04d}",
            description="A product made for the benchmark.",
            status=Product.Status.ACTIVE,
            category=categories[i % len(categories)],
        )
        Variant.objects.bulk_create(
            Variant(
                product=product,
                name=name,
                slug=name.lower(),
                sku=f"BENCH-{i:04d}-{name[0]}",
                price=Decimal("10.00") + i % 90,
                stock_on_hand=STOCK,
                option_values={"size": name},
                position=n,
            )
            for n, name in enumerate(["Small", "Medium", "Large"][:VARIANTS_PER_PRODUCT])
        )
    # bulk_create sends no signals: give the products' search vectors their SKUs.
    product_search_update(products=Product.objects.filter(slug__startswith="bench-"))
    return [
        {"slug": slug, "variant_id": variant_id}
        for slug, variant_id in Variant.objects.filter(product__slug__startswith="bench-")
        .order_by("pk")
        .values_list("product__slug", "pk")
    ]


if __name__ == "__main__":
    catalog = seed()
    total = Variant.objects.count()
    with open(sys.argv[1], "w") as out:
        json.dump({"variants_total": total, "items": catalog}, out)
    print(f"bench catalog: {total} variants, {len(catalog)} used by the load")
