from decimal import Decimal

from catalog.models import ProductLineField
from giftcards.models import GiftCardVariant
from giftcards.services import IssuedGiftCard, gift_card_issue
from tests.factories.catalog import ProductFactory, ProductLineFieldFactory, VariantFactory


def gift_card(balance="50.00", **options) -> IssuedGiftCard:
    """A card issued by staff, with its code (grouped) as it was handed out."""
    return gift_card_issue(balance=Decimal(balance), **options)


def gift_card_variant(price="25.00", **options):
    """A gift card product: a variant sold as a card, asking for the recipient and a message."""
    product = ProductFactory(variants=0, name="Gift card")
    ProductLineFieldFactory(
        product=product,
        key="recipient_email",
        label="Recipient's email",
        required=True,
        max_length=254,
        kind=ProductLineField.Kind.TEXT,
    )
    ProductLineFieldFactory(
        product=product, key="message", label="Message", max_length=300, position=2
    )
    variant = VariantFactory(
        product=product, name=f"{price}", price=Decimal(price), stock_on_hand=1000
    )
    GiftCardVariant.objects.create(variant=variant, **options)
    return variant
