"""The demo catalog `manage.py seed_demo` loads: created once, never overwriting staff changes.

Its pictures are drawn on the machine (catalog/demo_images.py): a still life of each product."""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.text import slugify

from catalog.demo_images import render_product_image
from catalog.models import Category, Product, ProductImage, ProductLineField, Variant

# The demo categories' names in the shop's other languages (staff edit them in admin).
CATEGORY_TRANSLATIONS = {
    "Kitchen": {"de": "Küche", "ar": "المطبخ"},
    "Home": {"de": "Wohnen", "ar": "المنزل"},
    "Outdoors": {"de": "Draußen", "ar": "في الهواء الطلق"},
    "Apparel": {"de": "Bekleidung", "ar": "الملابس"},
    "Desk & Tech": {"de": "Schreibtisch & Technik", "ar": "المكتب والتقنية"},
}

# (category name, code, colour, description, products)
# product: (name, description, option, [(variant name, price, compare-at or None)])
CATALOG = [
    (
        "Kitchen",
        "KIT",
        (196, 94, 62),
        "Tools and tableware for everyday cooking.",
        [
            (
                "Aurora Espresso Machine",
                "A 15-bar pump espresso machine with a steam wand and a stainless steel body.",
                None,
                [("Default", "499.99", "579.00")],
            ),
            (
                "Chef's Knife 8 inch",
                "Forged German steel with a full tang and a pakkawood handle.",
                None,
                [("Default", "89.00", None)],
            ),
            (
                "Cast Iron Skillet",
                "Pre-seasoned cast iron that goes from the hob to the oven.",
                "size",
                [("10 inch", "39.95", None), ("12 inch", "49.95", None)],
            ),
            (
                "Pour-Over Coffee Set",
                "Glass carafe, ceramic dripper and 100 paper filters.",
                None,
                [("Default", "45.00", None)],
            ),
            (
                "Stoneware Dinner Plates",
                "A set of four reactive-glaze plates, dishwasher safe.",
                "colour",
                [("Sand", "64.00", None), ("Slate", "64.00", None), ("Sage", "64.00", None)],
            ),
            (
                "Linen Tea Towels",
                "Two stonewashed linen towels that dry glasses without lint.",
                "colour",
                [("Natural", "24.00", None), ("Charcoal", "24.00", None)],
            ),
            (
                "Stand Mixer",
                "A 5-quart tilt-head mixer with a dough hook, whisk and paddle.",
                "colour",
                [
                    ("Cream", "349.00", "399.00"),
                    ("Graphite", "349.00", None),
                    ("Red", "359.00", None),
                ],
            ),
            (
                "Bamboo Cutting Board",
                "End-grain bamboo, gentle on knives, with a juice groove.",
                "size",
                [("Medium", "29.00", None), ("Large", "39.00", None)],
            ),
        ],
    ),
    (
        "Home",
        "HOM",
        (82, 120, 160),
        "Textiles, light and comfort for every room.",
        [
            (
                "Merino Wool Throw",
                "A soft 130 x 180 cm throw woven from merino wool.",
                "colour",
                [("Oat", "119.00", None), ("Indigo", "119.00", None), ("Rust", "119.00", None)],
            ),
            (
                "Linen Duvet Cover",
                "Washed European linen with corozo buttons.",
                "size",
                [("Single", "129.00", None), ("Double", "159.00", None), ("King", "189.00", None)],
            ),
            (
                "Stoneware Table Lamp",
                "A hand-thrown lamp base with a linen shade; bulb included.",
                None,
                [("Default", "98.00", None)],
            ),
            (
                "Soy Wax Candle",
                "A 60-hour candle in a reusable amber jar.",
                "scent",
                [
                    ("Cedar", "22.00", None),
                    ("Fig", "22.00", None),
                    ("Sea Salt", "22.00", None),
                    ("Lavender", "22.00", None),
                ],
            ),
            (
                "Down Pillow",
                "Responsibly sourced down in a cotton sateen shell.",
                "size",
                [("Standard", "69.00", None), ("King", "89.00", None)],
            ),
            (
                "Cotton Bath Towel",
                "600 gsm long-staple cotton towel.",
                "colour",
                [("White", "32.00", None), ("Fog", "32.00", None)],
            ),
            (
                "Walnut Wall Clock",
                "A silent sweep movement in a solid walnut face.",
                None,
                [("Default", "75.00", None)],
            ),
            (
                "Jute Area Rug",
                "Hand-braided natural jute.",
                "size",
                [("120 x 180 cm", "149.00", None), ("160 x 230 cm", "229.00", None)],
            ),
        ],
    ),
    (
        "Outdoors",
        "OUT",
        (70, 130, 90),
        "Gear for trails, camps and rainy commutes.",
        [
            (
                "Trail Daypack 24L",
                "A light daypack with a ventilated back panel and a rain cover.",
                "colour",
                [("Moss", "89.00", None), ("Black", "89.00", None)],
            ),
            (
                "Insulated Water Bottle",
                "Double-wall steel keeps drinks cold for 24 hours.",
                "capacity",
                [("500 ml", "29.00", None), ("750 ml", "34.00", None), ("1 litre", "39.00", None)],
            ),
            (
                "Camping Hammock",
                "Parachute nylon hammock with tree straps, holds 180 kg.",
                None,
                [("Default", "59.00", None)],
            ),
            (
                "Two-Person Tent",
                "A 2.1 kg freestanding tent with two doors and vestibules.",
                None,
                [("Default", "279.00", "329.00")],
            ),
            (
                "Carbon Trekking Poles",
                "A pair of collapsible carbon poles with cork grips.",
                None,
                [("Default", "119.00", None)],
            ),
            (
                "Rechargeable Headlamp",
                "400 lumens with a red night mode and USB-C charging.",
                None,
                [("Default", "44.00", None)],
            ),
            (
                "Packable Rain Jacket",
                "A 2.5-layer waterproof shell that packs into its pocket.",
                "size",
                [
                    ("S", "149.00", None),
                    ("M", "149.00", None),
                    ("L", "149.00", None),
                    ("XL", "149.00", None),
                ],
            ),
            (
                "Compact Camp Stove",
                "A canister stove that boils a litre in four minutes.",
                None,
                [("Default", "54.00", None)],
            ),
        ],
    ),
    (
        "Apparel",
        "APP",
        (120, 90, 150),
        "Clothes made to be worn for years.",
        [
            (
                "Merino Crew Sweater",
                "Fine-gauge merino, warm without bulk.",
                "size",
                [
                    ("S", "110.00", None),
                    ("M", "110.00", None),
                    ("L", "110.00", None),
                    ("XL", "110.00", None),
                ],
            ),
            (
                "Organic Cotton Tee",
                "A heavyweight tee cut from organic cotton jersey.",
                "size",
                [("S", "32.00", None), ("M", "32.00", None), ("L", "32.00", None)],
            ),
            (
                "Selvedge Denim Jeans",
                "14 oz selvedge denim, straight leg.",
                "waist",
                [
                    ("30", "165.00", None),
                    ("32", "165.00", None),
                    ("34", "165.00", None),
                    ("36", "165.00", None),
                ],
            ),
            (
                "Canvas Sneakers",
                "Vulcanised rubber soles with an organic canvas upper.",
                "size",
                [("EU 40", "79.00", None), ("EU 42", "79.00", None), ("EU 44", "79.00", None)],
            ),
            (
                "Leather Belt",
                "Vegetable-tanned leather with a solid brass buckle.",
                "size",
                [("S", "58.00", None), ("M", "58.00", None), ("L", "58.00", None)],
            ),
            (
                "Wool Beanie",
                "A ribbed beanie knitted from lambswool.",
                None,
                [("Default", "28.00", None)],
            ),
            (
                "Rain Boots",
                "Natural rubber boots with a cushioned insole.",
                "size",
                [("EU 38", "95.00", None), ("EU 41", "95.00", None), ("EU 44", "95.00", None)],
            ),
            (
                "Everyday Socks 3-Pack",
                "Combed cotton socks with a reinforced heel.",
                "size",
                [("S/M", "18.00", None), ("L/XL", "18.00", None)],
            ),
        ],
    ),
    (
        "Desk & Tech",
        "DSK",
        (60, 70, 90),
        "A calmer, tidier desk.",
        [
            (
                "Noise-Cancelling Headphones",
                "Over-ear headphones with 30 hours of battery.",
                "colour",
                [("Black", "249.00", "299.00"), ("Silver", "249.00", None)],
            ),
            (
                "Mechanical Keyboard",
                "A 75% aluminium keyboard with hot-swap switches.",
                "switch",
                [("Brown", "139.00", None), ("Red", "139.00", None), ("Blue", "139.00", None)],
            ),
            (
                "Wireless Charging Pad",
                "A 15 W charging pad wrapped in wool felt.",
                None,
                [("Default", "39.00", None)],
            ),
            (
                "Leather Laptop Sleeve",
                "Full-grain leather with a felt lining.",
                "size",
                [("13 inch", "79.00", None), ("15 inch", "89.00", None)],
            ),
            (
                "Oak Monitor Stand",
                "Solid oak riser with room for a keyboard below.",
                None,
                [("Default", "119.00", None)],
            ),
            (
                "Architect Desk Lamp",
                "An adjustable LED lamp with a dimmer.",
                "colour",
                [("White", "129.00", None), ("Black", "129.00", None)],
            ),
            (
                "Portable Speaker",
                "A splash-proof speaker with 12 hours of play.",
                None,
                [("Default", "99.00", None)],
            ),
            (
                "Dot Grid Notebook Set",
                "Three A5 notebooks with lay-flat binding.",
                None,
                [("Default", "26.00", None)],
            ),
        ],
    ),
]

# Stock that makes the demo show each stock state: (product, variant) -> stock on hand.
SPECIAL_STOCK = {
    ("Stand Mixer", "Red"): 3,
    ("Trail Daypack 24L", "Moss"): 2,
    ("Merino Crew Sweater", "XL"): 4,
    ("Mechanical Keyboard", "Blue"): 1,
    ("Packable Rain Jacket", "XL"): 0,
}


# What shoppers may say about an item when adding it: product -> line fields.
LINE_FIELDS = {
    "Chef's Knife 8 inch": [
        {
            "key": "engraving",
            "label": "Engraving",
            "kind": ProductLineField.Kind.TEXT,
            "required": False,
            "max_length": 20,
        },
    ],
    "Soy Wax Candle": [
        {
            "key": "gift_wrap",
            "label": "Gift wrap",
            "kind": ProductLineField.Kind.CHOICE,
            "required": False,
            "choices": ["Kraft paper and twine", "Linen cloth"],
        },
    ],
}


@dataclass
class SeedResult:
    categories: int = 0
    products: int = 0
    variants: int = 0
    images: int = 0
    line_fields: int = 0

    @property
    def created_anything(self) -> bool:
        return bool(
            self.categories or self.products or self.variants or self.images or self.line_fields
        )


def _sku(code: str, product_index: int, variant_name: str) -> str:
    return f"{code}-{product_index:02d}-{slugify(variant_name).upper()[:12] or 'STD'}"


def _stock(product_name: str, variant_name: str, sku: str) -> int:
    if (product_name, variant_name) in SPECIAL_STOCK:
        return SPECIAL_STOCK[(product_name, variant_name)]
    return random.Random(sku).randint(12, 80)


@transaction.atomic
def demo_catalog_load() -> SeedResult:
    """Create whatever of the demo catalog is missing; existing rows are left as they are,
    but a demo category still without translated names gets them."""
    result = SeedResult()
    existing_skus = set(Variant.objects.values_list("sku", flat=True))
    for position, (cat_name, code, colour, cat_description, products) in enumerate(CATALOG):
        category, created = Category.objects.get_or_create(
            slug=slugify(cat_name),
            defaults={
                "name": cat_name,
                "name_translations": CATEGORY_TRANSLATIONS.get(cat_name, {}),
                "description": cat_description,
                "position": position,
            },
        )
        if (
            not category.name_translations
            and category.name == cat_name
            and cat_name in CATEGORY_TRANSLATIONS
        ):
            category.name_translations = CATEGORY_TRANSLATIONS.get(cat_name, {})
            category.save(update_fields=["name_translations"])
        result.categories += created
        for index, (name, description, option, variants) in enumerate(products, start=1):
            product, created = Product.objects.get_or_create(
                slug=slugify(name),
                defaults={
                    "name": name,
                    "description": description,
                    "category": category,
                    "status": Product.Status.ACTIVE,
                },
            )
            result.products += created
            for v_position, (v_name, price, compare_at) in enumerate(variants):
                sku = _sku(code, index, v_name)
                if sku in existing_skus:
                    continue
                Variant.objects.create(
                    product=product,
                    name=v_name,
                    sku=sku,
                    price=Decimal(price),
                    compare_at_price=Decimal(compare_at) if compare_at else None,
                    stock_on_hand=_stock(name, v_name, sku),
                    option_values={option: v_name} if option else {},
                    position=v_position,
                )
                result.variants += 1
            colour_name = variants[0][0] if option == "colour" else ""
            result.images += _ensure_image(product, colour, colour_name)
            for position, spec in enumerate(LINE_FIELDS.get(name, [])):
                _field, created = ProductLineField.objects.get_or_create(
                    product=product,
                    key=spec["key"],
                    defaults={**spec, "position": position},
                )
                result.line_fields += created
    return result


def demo_image_ensure(product: Product, backdrop: tuple[int, int, int]) -> int:
    """Give a demo product of another app (the gift card) its drawing, as the catalog's own
    get theirs; returns how many pictures were made."""
    return _ensure_image(product, backdrop, "")


def _image_path(name: str) -> str:
    return ProductImage._meta.get_field("image").generate_filename(None, name)


def _ensure_image(product: Product, backdrop: tuple[int, int, int], colour_name: str) -> int:
    """Give the product its drawing, unless it has a picture already. The initials-on-a-
    gradient picture earlier versions of the demo made (named after the slug alone) counts as
    none and is redrawn; a picture staff uploaded is left alone.

    The file is stored first and the row then names it, so its thumbnails are made when a
    page first shows them rather than all at once here (seeding stays quick)."""
    image = product.images.first()
    earlier_demo_picture = _image_path(f"{product.slug}.png")
    if (
        image is not None
        and image.image.name != earlier_demo_picture
        and default_storage.exists(image.image.name)
    ):
        return 0
    path = _image_path(f"{product.slug}-still-life.png")
    for stale in {path, earlier_demo_picture}:
        if default_storage.exists(stale):  # left from an earlier database: replace, don't pile up
            default_storage.delete(stale)
    path = default_storage.save(
        path, ContentFile(render_product_image(product.name, backdrop, colour_name))
    )
    if image is None:
        ProductImage.objects.create(product=product, image=path, alt_text=product.name)
    else:
        image.image = path
        image.save(update_fields=["image"])
    return 1
