from easy_thumbnails.files import generate_all_aliases

from catalog.models import Product
from catalog.selectors import category_nav_invalidate
from catalog.services import product_search_update

# The fields a product's search vector is made of, per model: a save that names other
# fields only (a stock or price change) leaves the vector alone.
PRODUCT_SEARCH_FIELDS = {"name", "description", "category", "category_id"}
VARIANT_SEARCH_FIELDS = {"name", "sku", "status", "product", "product_id"}
CATEGORY_SEARCH_FIELDS = {"name"}


def catalog_changed(sender, **kwargs) -> None:
    """Forget the cached header categories when staff change what is on sale."""
    category_nav_invalidate()


def _touches(update_fields, fields: set[str]) -> bool:
    return update_fields is None or bool(fields.intersection(update_fields))


def product_search_refresh(sender, instance, update_fields=None, **kwargs) -> None:
    """Keep a product's search vector in step with its name, description and category."""
    if _touches(update_fields, PRODUCT_SEARCH_FIELDS):
        product_search_update(products=Product.objects.filter(pk=instance.pk))


def variant_search_refresh(sender, instance, update_fields=None, **kwargs) -> None:
    """Keep the product's search vector in step with its variants' SKUs and names (saved or
    deleted)."""
    if _touches(update_fields, VARIANT_SEARCH_FIELDS):
        product_search_update(products=Product.objects.filter(pk=instance.product_id))


def category_search_refresh(sender, instance, update_fields=None, **kwargs) -> None:
    """Keep the search vectors of a category's products in step with its name."""
    if _touches(update_fields, CATEGORY_SEARCH_FIELDS):
        product_search_update(products=Product.objects.filter(category_id=instance.pk))


def product_image_thumbnails(sender, fieldfile, **kwargs) -> None:
    """Make a newly saved product image's thumbnails now, so pages never wait for them."""
    generate_all_aliases(fieldfile, include_global=False)
