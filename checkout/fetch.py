"""Load what a checkout needs once, and quote it: the numbers the shopper confirms."""

from dataclasses import dataclass, field
from decimal import Decimal

from cart.selectors import CartSummary, untaxed_total
from checkout.calculations import discount_for, shipping_for
from checkout.models import PromoCode, ShippingMethod
from checkout.promotions import promo_find, promo_refusal, promo_uses
from shop.money import ZERO, totals_for
from shop.translations import localized


@dataclass(frozen=True)
class ShippingOption:
    code: str
    name: str
    base_price: Decimal
    free_over: Decimal | None
    price: Decimal  # for this cart: nothing when over the free threshold
    name_translations: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        return localized(self.name, self.name_translations)


@dataclass(frozen=True)
class CheckoutQuote:
    cart: CartSummary
    shipping_options: tuple[ShippingOption, ...]
    shipping: ShippingOption | None
    promo: PromoCode | None
    promo_code: str
    promo_error: str | None
    subtotal: Decimal
    discount_total: Decimal
    shipping_total: Decimal
    estimated_tax: Decimal
    total: Decimal

    @property
    def currency(self) -> str:
        return self.cart.currency


def shipping_methods() -> list[ShippingMethod]:
    """The shipping methods shoppers may choose, cheapest first."""
    return list(ShippingMethod.objects.filter(is_active=True))


def requires_shipping(cart: CartSummary) -> bool:
    """Whether anything in the cart is sent by post; an order of only gift cards (or other
    lines that need no shipping) is charged no shipping."""
    return not cart.lines or any(line.requires_shipping for line in cart.lines)


def checkout_quote(
    *,
    cart: CartSummary,
    methods: list[ShippingMethod],
    shipping_method_code: str = "",
    promo: PromoCode | None = None,
    promo_code: str = "",
    uses: tuple[int, int] = (0, 0),
) -> CheckoutQuote:
    """Quote a cart: promo discount, shipping and tax, from already-loaded parts (no queries)."""
    subtotal = cart.subtotal
    promo_error = None
    discount = ZERO
    if promo_code:
        promo_error = promo_refusal(
            promo=promo, subtotal=subtotal, uses=uses[0], customer_uses=uses[1]
        )
        if promo_error is None:
            discount = discount_for(kind=promo.kind, value=promo.value, subtotal=subtotal)
    ships = requires_shipping(cart)
    options = tuple(
        ShippingOption(
            code=method.code,
            name=method.name,
            name_translations=method.name_translations,
            base_price=method.price,
            free_over=method.free_over,
            price=shipping_for(
                price=method.price,
                free_over=method.free_over,
                discounted_subtotal=subtotal - discount,
            )
            if ships
            else ZERO,
        )
        for method in methods
    )
    chosen = next((o for o in options if o.code == shipping_method_code), None)
    if chosen is None and options and not shipping_method_code:
        chosen = options[0]
    totals = totals_for(
        subtotal=subtotal,
        discount_total=discount,
        shipping=chosen.price if chosen else ZERO,
        untaxed=untaxed_total(cart.lines),
    )
    return CheckoutQuote(
        cart=cart,
        shipping_options=options,
        shipping=chosen,
        promo=promo if promo_error is None and promo_code else None,
        promo_code=promo_code.strip().upper(),
        promo_error=promo_error,
        subtotal=totals.subtotal,
        discount_total=totals.discount_total,
        shipping_total=totals.shipping,
        estimated_tax=totals.estimated_tax,
        total=totals.total,
    )


def checkout_quote_load(
    *,
    cart: CartSummary,
    shipping_method_code: str = "",
    promo_code: str = "",
    email: str = "",
    user=None,
) -> CheckoutQuote:
    """Load the shipping methods and promo a quote needs, then quote (for pages and the API)."""
    promo = promo_find(promo_code) if promo_code else None
    uses = promo_uses(promo=promo, email=email, user=user) if promo else (0, 0)
    return checkout_quote(
        cart=cart,
        methods=shipping_methods(),
        shipping_method_code=shipping_method_code,
        promo=promo,
        promo_code=promo_code,
        uses=uses,
    )
