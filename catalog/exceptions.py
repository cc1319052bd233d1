from django.utils.translation import gettext_lazy

from shop.exceptions import DomainError


class ProductNotFoundError(DomainError):
    http_status = 404
    code = "product_not_found"
    default_message = gettext_lazy("No product has that id.")


class VariantNotFoundError(DomainError):
    """No variant has that id, or a shopper may not buy it (a draft product's)."""

    http_status = 404
    code = "variant_not_found"
    default_message = gettext_lazy("Sorry, this item is no longer available.")


class CategoryNotFoundError(DomainError):
    field = "category"
    code = "category_not_found"
    default_message = gettext_lazy("No category has that slug or id.")


class SkuTakenError(DomainError):
    field = "sku"
    code = "sku_taken"

    def __init__(self, sku: str) -> None:
        super().__init__(
            gettext_lazy("SKU %(sku)s is already used by another variant.") % {"sku": sku}, sku=sku
        )


class DuplicateVariantNameError(DomainError):
    field = "variants"
    code = "duplicate_variant_name"
    default_message = gettext_lazy("Each variant of a product needs a different name.")


class ProductNeedsVariantError(DomainError):
    field = "variants"
    code = "product_needs_variant"
    default_message = gettext_lazy("A product needs at least one variant.")
