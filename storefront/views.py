from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog import selectors
from catalog.models import Category, Product
from inventory.selectors import (
    featured_products_with_stock,
    product_get_with_stock,
    product_list_with_stock,
    product_variant_choices,
)


@require_GET
def home(request):
    return render(
        request,
        "catalog/home.html",
        {"products": featured_products_with_stock(), "categories": selectors.category_list()},
    )


@require_GET
def product_list(request):
    query = request.GET.get("q", "")[:200]
    category_slug = request.GET.get("category", "")[:120]
    category = None
    if category_slug:
        try:
            category = selectors.category_get(slug=category_slug)
        except Category.DoesNotExist as exc:
            raise Http404("No such category") from exc
    sort = selectors.product_sort_resolve(sort=request.GET.get("sort", ""), query=query)
    products = product_list_with_stock(query=query, category_slug=category_slug, sort=sort)
    paginator = Paginator(products, settings.PRODUCTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    suggestions = []
    if not page.object_list:
        suggestions = [c for c in selectors.category_list() if c != category]
    return render(
        request,
        "catalog/product_list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=1),
            "query": query,
            "category": category,
            "category_slug": category_slug,
            "sort": sort,
            "sort_choices": selectors.product_sort_choices(query=query),
            "suggested_categories": suggestions,
        },
    )


@require_GET
def product_detail(request, slug: str):
    try:
        product = product_get_with_stock(slug=slug)
    except Product.DoesNotExist as exc:
        raise Http404("No such product") from exc
    choices = product_variant_choices(product=product)
    requested = request.GET.get("variant", "")
    selected = next((c for c in choices if c.variant.slug == requested), None)
    if selected is None and len(choices) == 1:
        selected = choices[0]
    prices = [choice.variant.price for choice in choices]
    return render(
        request,
        "catalog/product_detail.html",
        {
            "product": product,
            "choices": choices,
            "option_name": selectors.product_option_name(product=product),
            "selected": selected,
            "min_price": min(prices),
            "max_price": max(prices),
            "on_sale": any(choice.variant.is_on_sale for choice in choices),
            "images": list(product.images.all()),
            "max_quantity": settings.CART_MAX_LINE_QUANTITY,
            # A refused add is told beside its button here, not again as a toast.
            "stock_error_inline": True,
        },
    )
