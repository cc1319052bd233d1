"""The claims apps above checkout hold on an order: discounts that lower its total (loyalty
points) and tenders that pay part of it (gift cards). Checkout asks for them through the
signals in checkout/signals.py and keeps the sums on the order; each app keeps its own holds.

Order of a checkout's money: the quote (promo, shipping), then the discounts (points, capped at
the merchandise after promo discounts), then tax on what is left (points lower the taxable
amount, like any discount the shop gives), then the tenders, each paying at most what is left.
`order.total = order.amount_due + order.gift_card_total` always; Stripe charges `amount_due`.
"""

from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal

from django.dispatch import Signal

from checkout.calculations import split_tax
from checkout.models import Order
from checkout.signals import (
    order_claims_refund,
    order_claims_release,
    order_claims_take,
    order_discounts_hold,
    order_paid,
    order_tenders_hold,
)
from shop.exceptions import DomainError
from shop.money import ZERO, Totals, quantize_money, totals_for

DISCOUNT = "discount"
TENDER = "tender"
# Cards a shopper may apply to one checkout.
MAX_GIFT_CARDS = 5


@dataclass(frozen=True)
class ClaimsRequest:
    """What the shopper asked for at checkout: gift card codes as typed, points to redeem."""

    gift_cards: tuple[str, ...] = ()
    redeem_points: int = 0

    def __bool__(self) -> bool:
        return bool(self.gift_cards or self.redeem_points)


NO_CLAIMS = ClaimsRequest()


@dataclass(frozen=True)
class ClaimLine:
    """An order line as tenders see it: its variant and its amount with its share of tax."""

    variant_id: int | None
    amount: Decimal


@dataclass(frozen=True)
class Claim:
    """One claim an app holds on an order, as checkout shows and sums it.

    `source` names the app's kind of claim ("gift_card", "points"), `reference` what the
    shopper recognises ("•••• WXYZ"; the full code never), `code` what the shopper typed (only
    in previews, so a page can offer to remove it; never stored), `points` the points redeemed.
    """

    kind: str
    source: str
    reference: str
    amount: Decimal
    points: int = 0
    code: str = field(default="", compare=False)

    def stored(self) -> dict:
        """The claim as the order keeps it (Order.claims): no code, the amount as text."""
        data = asdict(self)
        data.pop("code")
        data["amount"] = str(self.amount)
        return data


@dataclass(frozen=True)
class ClaimsResult:
    discounts: tuple[Claim, ...] = ()
    tenders: tuple[Claim, ...] = ()
    errors: tuple[DomainError, ...] = ()

    @property
    def points_redeemed(self) -> int:
        return sum(claim.points for claim in self.discounts)

    @property
    def points_discount(self) -> Decimal:
        return quantize_money(sum((claim.amount for claim in self.discounts), ZERO))

    @property
    def tender_total(self) -> Decimal:
        return quantize_money(sum((claim.amount for claim in self.tenders), ZERO))


def _collect(signal: Signal, *, preview: bool, kind: str, room: Decimal, **kwargs):
    """Ask every receiver; each claim is capped by what is left of `room`. In a preview a
    receiver's DomainError is collected for the page to show; otherwise it propagates."""
    send = signal.send_robust if preview else signal.send
    claims, errors = [], []
    left = room
    for _receiver, response in send(sender=Order, room=room, **kwargs):
        if isinstance(response, DomainError):
            errors.append(response)
            continue
        if isinstance(response, Exception):
            raise response
        for claim in response or ():
            if claim.kind != kind or claim.amount <= 0:
                continue
            amount = min(quantize_money(claim.amount), left)
            left -= amount
            claims.append(replace(claim, amount=amount))
    return tuple(claims), tuple(errors)


def discounts_hold(*, order, request: ClaimsRequest, user, email: str, room: Decimal, preview):
    """Ask the apps above checkout for the discounts the shopper asked for (held unless a
    preview). Returns (claims, errors)."""
    if not request:
        return (), ()
    return _collect(
        order_discounts_hold,
        preview=preview,
        kind=DISCOUNT,
        room=room,
        order=order,
        request=request,
        user=user,
        email=email,
    )


def tenders_hold(
    *, order, request: ClaimsRequest, user, email: str, room: Decimal, lines, preview
):
    """Ask the apps above checkout for the tenders the shopper asked for (held unless a
    preview), each paying at most what is left of `room`. Returns (claims, errors)."""
    if not request or room <= 0:
        return (), ()
    return _collect(
        order_tenders_hold,
        preview=preview,
        kind=TENDER,
        room=room,
        order=order,
        request=request,
        user=user,
        email=email,
        lines=tuple(lines),
    )


@dataclass(frozen=True)
class ClaimedTotals:
    """A quote with the claims applied: the order's money, every part of it."""

    result: ClaimsResult
    totals: Totals
    line_taxes: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        return self.totals.total

    @property
    def gift_card_total(self) -> Decimal:
        return self.result.tender_total

    @property
    def amount_due(self) -> Decimal:
        return self.totals.total - self.result.tender_total


def claims_apply(*, order, quote, request: ClaimsRequest, user, email: str, preview: bool):
    """Apply what the shopper asked for to a checkout quote: discounts first (up to the
    merchandise after promo discounts), tax on what is left, then tenders (up to the total).
    Held for `order` inside the caller's transaction, or only priced when `preview` (then a
    receiver's refusal is in `result.errors` instead of raised). Returns ClaimedTotals."""
    discounts, refused = discounts_hold(
        order=order,
        request=request,
        user=user,
        email=email,
        room=quote.subtotal - quote.discount_total,
        preview=preview,
    )
    totals = totals_for(
        subtotal=quote.subtotal,
        discount_total=quote.discount_total,
        shipping=quote.shipping_total,
        points_discount=sum((claim.amount for claim in discounts), ZERO),
    )
    lines = quote.cart.lines
    taxes = tuple(
        split_tax(line_totals=[line.line_total for line in lines], tax=totals.estimated_tax)
    )
    tenders, refused_tenders = tenders_hold(
        order=order,
        request=request,
        user=user,
        email=email,
        room=totals.total,
        lines=[
            ClaimLine(variant_id=line.variant_id, amount=line.line_total + tax)
            for line, tax in zip(lines, taxes, strict=True)
        ],
        preview=preview,
    )
    result = ClaimsResult(discounts=discounts, tenders=tenders, errors=refused + refused_tenders)
    return ClaimedTotals(result=result, totals=totals, line_taxes=taxes)


def claims_take(order) -> str | None:
    """Take the order's held claims as it is paid; the first reason one cannot be, or None."""
    if not order.claims:
        return None
    for _receiver, reason in order_claims_take.send(sender=type(order), order=order):
        if reason:
            return str(reason)
    return None


def claims_release(order, *, reason: str) -> None:
    """Release the held claims of an order that ended unpaid."""
    if order.claims:
        order_claims_release.send(sender=type(order), order=order, reason=reason)


def claims_refund(order) -> None:
    """Give back what a refunded order spent and take back what it earned."""
    order_claims_refund.send(sender=type(order), order=order)


def order_paid_announce(order) -> None:
    """Tell the apps above checkout that an order was just paid."""
    order_paid.send(sender=type(order), order=order)
