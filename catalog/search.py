"""Product search: on PostgreSQL, full-text search over a weighted vector kept on each product
plus trigram similarity for misspelt names, ranked by relevance; elsewhere (SQLite under
`make run`) a plain case-insensitive match."""

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from catalog.models import Category, Product, Variant

# Product text is English; the config stems it ("lamps" finds "lamp") and drops stop words.
SEARCH_CONFIG = "english"
# How close a name's best-matching word must be: "hedphones" is 0.8 of "headphones",
# "kettel" 0.57 of "kettle", while "lamp" is only 0.4 of "laptop".
NAME_SIMILARITY = 0.5


def full_text_search_available() -> bool:
    """Answer whether the database ranks searches (PostgreSQL) or only matches text."""
    return connection.vendor == "postgresql"


def _active_variants_text(field: str, variant_model) -> Subquery:
    return Subquery(
        variant_model.objects.filter(product_id=OuterRef("pk"), status=Variant.Status.ACTIVE)
        .order_by()
        .values("product_id")
        .annotate(text=StringAgg(field, delimiter=" "))
        .values("text")
    )


def product_search_vector(*, category_model=Category, variant_model=Variant) -> Combinable:
    """The weighted search vector of a product row, for an UPDATE of `search_vector`: its name
    and its active variants' SKUs (A), its category's name (B), its description and variant
    names (C). SKUs use the `simple` config so no stemming ever changes them.

    The models can be a migration's historical ones.
    """
    category_name = Subquery(
        category_model.objects.filter(pk=OuterRef("category_id")).values("name")[:1]
    )
    return (
        SearchVector("name", weight="A", config=SEARCH_CONFIG)
        + SearchVector(_active_variants_text("sku", variant_model), weight="A", config="simple")
        + SearchVector(category_name, weight="B", config=SEARCH_CONFIG)
        + SearchVector("description", weight="C", config=SEARCH_CONFIG)
        + SearchVector(
            _active_variants_text("name", variant_model), weight="C", config=SEARCH_CONFIG
        )
    )


def products_matching(products: QuerySet[Product], query: str) -> QuerySet[Product]:
    """Keep the products that match `query` (a non-empty string without NUL) and annotate each
    with `relevance`, higher for a better match."""
    sku_match = Exists(
        Variant.objects.filter(
            product_id=OuterRef("pk"), status=Variant.Status.ACTIVE, sku__iexact=query
        )
    )
    if not full_text_search_available():
        return products.filter(
            Q(name__icontains=query)
            | Q(description__icontains=query)
            | Q(category__name__icontains=query)
            | sku_match
            | Exists(
                Variant.objects.filter(
                    product_id=OuterRef("pk"),
                    status=Variant.Status.ACTIVE,
                    name__icontains=query,
                )
            )
        ).annotate(
            relevance=Case(
                When(sku_match, then=Value(2.0)),
                When(name__icontains=query, then=Value(1.0)),
                default=Value(0.0),
            )
        )
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
    return (
        products.annotate(
            text_rank=Coalesce(
                SearchRank(F("search_vector"), search_query), Value(0.0), output_field=FloatField()
            ),
            name_similarity=TrigramWordSimilarity(query, "name"),
            sku_rank=Case(When(sku_match, then=Value(2.0)), default=Value(0.0)),
        )
        .filter(
            Q(search_vector=search_query)
            | Q(name_similarity__gte=NAME_SIMILARITY)
            | Q(name__icontains=query)
            | sku_match
        )
        .annotate(relevance=F("text_rank") + F("name_similarity") + F("sku_rank"))
    )
