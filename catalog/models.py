from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from catalog.properties import (
    LINE_FIELD_KEY_MAX,
    LINE_FIELD_KEY_PATTERN,
    LINE_VALUE_CEILING,
    line_field_problem,
)
from shop.translations import localized

# The name a product's only variant gets when staff (or the staff API) give it none; shown
# to shoppers in their language.
DEFAULT_VARIANT_NAME = "Default"

NAME_TRANSLATIONS_HELP = _(
    "The name in the shop's other languages, by language code; a language without one "
    "shows the name."
)


def variant_label(name: str) -> str:
    """Return a variant's name as shoppers see it beside the product's: none for the default
    one (whatever the language)."""
    if name.strip().casefold() == DEFAULT_VARIANT_NAME.casefold():
        return ""
    return variant_display_name(name)


def variant_slug(name: str) -> str:
    """Return the slug a variant with this name gets: its name slugified."""
    return slugify(name)[:120] or "default"


def variant_display_name(name: str) -> str:
    """The variant name a shopper reads: the default variant's in their language."""
    if name == DEFAULT_VARIANT_NAME:
        return pgettext("name of a product's only variant", "Default")
    return name


class Category(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_translations = models.JSONField(
        _("translated names"), default=dict, blank=True, help_text=NAME_TRANSLATIONS_HELP
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        return localized(self.name, self.name_translations)


class OptionName(models.Model):
    """What an option of variants (a key of `Variant.option_values`, such as "size") is called
    in each language; a key without a row is shown as written."""

    key = models.CharField(
        _("option"),
        max_length=50,
        unique=True,
        help_text=_(
            "The key as written in variants’ option values, e.g. “colour”; "
            "shoppers in English read it as written."
        ),
    )
    name_translations = models.JSONField(
        _("translated names"), default=dict, blank=True, help_text=NAME_TRANSLATIONS_HELP
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("option name")
        verbose_name_plural = _("option names")

    def __str__(self) -> str:
        return self.key

    def save(self, *args, **kwargs) -> None:
        self.key = self.key.strip().lower()
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The option's name in the active language."""
        return localized(self.key, self.name_translations)


class Product(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="products",
        null=True,
        blank=True,
    )
    position = models.PositiveIntegerField(
        _("position"),
        default=0,
        help_text=_("Lower numbers come first when shoppers sort by “Featured”."),
    )
    # Kept by catalog.services.product_search_update on PostgreSQL; empty elsewhere.
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        indexes = [
            models.Index(fields=["status", "category"]),
            # Made on PostgreSQL only (the migration skips it elsewhere).
            GinIndex(fields=["search_vector"], name="catalog_product_search"),
        ]

    def __str__(self) -> str:
        return self.name


class ProductImage(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="products/")
    alt_text = models.CharField(_("alternative text"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("product image")
        verbose_name_plural = _("product images")

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class Variant(models.Model):
    """What a shopper buys: carts, stock and prices live here, never on the product."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    name = models.CharField(_("name"), max_length=100)
    # Always the slugified name, so `variant-<slug>` test ids and ?variant= links are stable.
    slug = models.SlugField(_("slug"), max_length=120, editable=False)
    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    compare_at_price = models.DecimalField(
        _("compare-at price"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The former or list price, shown struck through when higher than the price."),
    )
    stock_on_hand = models.IntegerField(_("stock on hand"), default=0)
    # Facts checkout prices by (set by the app that sells the variant, e.g. gift cards): an
    # order with no line to ship is charged no shipping; a line not taxable adds no tax.
    requires_shipping = models.BooleanField(
        _("requires shipping"),
        default=True,
        help_text=_("Off for what is not sent by post (gift cards): no shipping charged."),
    )
    taxable = models.BooleanField(
        _("taxable"),
        default=True,
        help_text=_("Off for what is not taxed when sold (gift cards)."),
    )
    option_values = models.JSONField(
        _("option values"),
        default=dict,
        blank=True,
        help_text=_('What sets this variant apart, e.g. {"size": "M", "colour": "Blue"}.'),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "slug"], name="catalog_variant_slug_per_product"
            ),
            models.CheckConstraint(
                condition=Q(stock_on_hand__gte=0), name="catalog_variant_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0), name="catalog_variant_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(compare_at_price__isnull=True) | Q(compare_at_price__gte=0),
                name="catalog_variant_compare_at_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} – {self.name}" if self.name else self.product.name

    def save(self, *args, **kwargs) -> None:
        self.slug = variant_slug(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.slug = variant_slug(self.name)
        siblings = Variant.objects.filter(product_id=self.product_id, slug=self.slug)
        if self.product_id and siblings.exclude(pk=self.pk).exists():
            raise ValidationError(
                {"name": _("This product already has a variant with this name.")}
            )

    @property
    def display_name(self) -> str:
        """The name in the active language (the default variant's is translated)."""
        return variant_display_name(self.name)

    @property
    def is_on_sale(self) -> bool:
        return self.compare_at_price is not None and self.compare_at_price > self.price


class ProductLineField(models.Model):
    """What a shopper may or must say about one item they buy (an engraving, a gift wrap):
    each add carries the values as the line's properties."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        CHOICE = "choice", _("Choice")

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="line_fields")
    key = models.CharField(
        _("key"),
        max_length=LINE_FIELD_KEY_MAX,
        validators=[
            RegexValidator(
                LINE_FIELD_KEY_PATTERN,
                _("Lower-case letters, digits and underscores, starting with a letter."),
            )
        ],
        help_text=_("How apps and orders name it, e.g. engraving."),
    )
    label = models.CharField(_("label"), max_length=100, help_text=_("What shoppers read."))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    required = models.BooleanField(_("required"), default=False)
    max_length = models.PositiveIntegerField(
        _("max length"),
        default=100,
        validators=[MinValueValidator(1), MaxValueValidator(LINE_VALUE_CEILING)],
        help_text=_("The most characters a shopper may type (text fields)."),
    )
    choices = models.JSONField(
        _("choices"), default=list, blank=True, help_text=_("The options (choice fields).")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("line field")
        verbose_name_plural = _("line fields")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "key"], name="catalog_line_field_key_per_product"
            ),
            models.CheckConstraint(
                condition=Q(max_length__gte=1, max_length__lte=LINE_VALUE_CEILING),
                name="catalog_line_field_max_length_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        super().clean()
        problem = line_field_problem(kind=self.kind, choices=self.choices)
        if problem:
            raise ValidationError({"choices": problem})
