"""The demo gift card `manage.py seed_demo` creates: a product whose variants are sold as
gift cards, asking for the recipient's email and a message."""

from decimal import Decimal

from django.db import transaction

from catalog.demo import demo_image_ensure
from catalog.models import Category, Product, ProductLineField, Variant
from giftcards.models import GiftCardVariant

DEMO_SLUG = "gift-card"
AMOUNTS = ("25.00", "50.00", "100.00")
# A card has no shelf to run out from; stock still counts what may be sold.
STOCK = 10_000
LINE_FIELDS = [
    {
        "key": "recipient_email",
        "label": "Recipient's email",
        "kind": ProductLineField.Kind.TEXT,
        "required": True,
        "max_length": 254,
    },
    {
        "key": "message",
        "label": "Message",
        "kind": ProductLineField.Kind.TEXT,
        "required": False,
        "max_length": 300,
    },
]


@transaction.atomic
def demo_gift_card_ensure() -> Product:
    """Create the demo gift card product if missing (in Home when it exists); its variants
    are marked as gift cards. Changes staff made are left alone."""
    product, _created = Product.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            "name": "Gift Card",
            "description": "Emailed to whom you choose, with your message; spend it on "
            "anything in the shop except other gift cards.",
            "category": Category.objects.filter(slug="home").first(),
            "status": Product.Status.ACTIVE,
        },
    )
    for position, amount in enumerate(AMOUNTS):
        sku = f"GIFT-{amount.split('.')[0]}"
        variant = Variant.objects.filter(sku=sku).first() or Variant.objects.create(
            product=product,
            name=f"${amount.split('.')[0]}",
            sku=sku,
            price=Decimal(amount),
            stock_on_hand=STOCK,
            position=position,
        )
        GiftCardVariant.objects.get_or_create(variant=variant)
    for position, spec in enumerate(LINE_FIELDS):
        ProductLineField.objects.get_or_create(
            product=product, key=spec["key"], defaults={**spec, "position": position}
        )
    demo_image_ensure(product, (122, 84, 160))
    return product
