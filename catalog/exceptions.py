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


class LinePropertyError(DomainError):
    """A line property a shopper gave does not fit the product's line field: the error names
    the field as `properties.<key>`."""

    code = "invalid_line_property"

    def __init__(self, message: str, *, key: str, **details) -> None:
        super().__init__(message, key=key, **details)
        self.key = key
        self.field = f"properties.{key}"


class LinePropertyRequiredError(LinePropertyError):
    code = "property_required"


class LinePropertyTooLongError(LinePropertyError):
    code = "property_too_long"


class LinePropertyChoiceError(LinePropertyError):
    code = "property_invalid_choice"


class LinePropertyTextError(LinePropertyError):
    code = "property_invalid"


class LinePropertyUnknownError(LinePropertyError):
    code = "property_unknown"


class LineFieldInvalidError(DomainError):
    field = "line_fields"
    code = "invalid_line_field"
    default_message = gettext_lazy("These line fields are not valid.")
