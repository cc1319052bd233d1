"""The seam through which apps above checkout (gift cards, loyalty points) hold, take, release
and refund their claims on an order: proved here with a test app's receivers, so checkout's
side holds whatever those apps do."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from cart import services as cart_services
from cart.selectors import cart_summary
from checkout import services
from checkout.claims import DISCOUNT, TENDER, Claim, ClaimsRequest, claims_apply
from checkout.fetch import checkout_quote_load
from checkout.models import Order
from checkout.signals import (
    order_claims_refund,
    order_claims_release,
    order_claims_take,
    order_discounts_hold,
    order_paid,
    order_tenders_hold,
)
from inventory.models import StockReservation
from shop.exceptions import DomainError
from tests.checkout.fake_stripe import session_event, signed_webhook
from tests.helpers import WEBHOOK_SECRET, guest_cart, start

pytestmark = pytest.mark.django_db


class VoucherSpentError(DomainError):
    http_status = 409
    code = "voucher_spent"


@dataclass
class Vouchers:
    """A test app above checkout: "points" lower the total by 0.01 each, "VOUCHER-<amount>"
    codes pay part of it, and every call is written down."""

    events: list[tuple[str, int | None]] = field(default_factory=list)
    held: dict[int, str] = field(default_factory=dict)  # order id -> held, taken, released
    refuse_hold: bool = False
    refuse_take: str | None = None

    def discounts(self, sender, order, request, user, email, room, **kwargs):
        self.events.append(("discounts", order.pk if order else None))
        if not request.redeem_points:
            return None
        if order is not None:
            self.held[order.pk] = "held"
        return [
            Claim(
                kind=DISCOUNT,
                source="points",
                reference=f"{request.redeem_points} points",
                amount=Decimal(request.redeem_points) / 100,
                points=request.redeem_points,
            )
        ]

    def tenders(self, sender, order, request, user, email, room, lines, **kwargs):
        self.events.append(("tenders", order.pk if order else None))
        if self.refuse_hold:
            raise VoucherSpentError("Voucher •••• 0001 no longer has enough on it.")
        claims = [
            Claim(
                kind=TENDER,
                source="voucher",
                reference=f"•••• {code[-4:]}",
                amount=Decimal(code[8:]),
                code=code,
            )
            for code in request.gift_cards
        ]
        if order is not None and claims:
            self.held[order.pk] = "held"
        return claims

    def take(self, sender, order, **kwargs):
        self.events.append(("take", order.pk))
        if self.refuse_take:
            return self.refuse_take
        self.held[order.pk] = "taken"
        return None

    def release(self, sender, order, reason, **kwargs):
        self.events.append((f"release:{reason}", order.pk))
        if self.held.get(order.pk) == "held":
            self.held[order.pk] = "released"

    def refund(self, sender, order, **kwargs):
        self.events.append(("refund", order.pk))
        self.held[order.pk] = "refunded"

    def paid(self, sender, order, **kwargs):
        self.events.append(("paid", order.pk))

    def kinds(self, order_id) -> list[str]:
        return [kind for kind, pk in self.events if pk == order_id]


@pytest.fixture(autouse=True)
def _no_tax(settings):
    settings.TAX_RATE = Decimal("0")


@pytest.fixture
def vouchers():
    """The test app, alone on checkout's claim signals (the shop's own apps step aside)."""
    app = Vouchers()
    pairs = [
        (order_discounts_hold, app.discounts),
        (order_tenders_hold, app.tenders),
        (order_claims_take, app.take),
        (order_claims_release, app.release),
        (order_claims_refund, app.refund),
        (order_paid, app.paid),
    ]
    saved = {}
    for signal, receiver in pairs:
        saved[signal] = signal.receivers
        signal.receivers = []
        signal.sender_receivers_cache.clear()
        signal.connect(receiver, dispatch_uid=f"test-vouchers-{id(receiver)}")
    yield app
    for signal, _receiver in pairs:
        signal.receivers = saved[signal]
        signal.sender_receivers_cache.clear()


def pay_on_test_page(order) -> Order:
    return services.local_payment_complete(order_id=order.pk, succeed=True)


def test_without_claims_asked_for_the_apps_are_not_asked_and_the_card_pays_it_all(
    vouchers, variant
):
    order = start(guest_cart((variant, 1))).order

    assert vouchers.events == []
    assert (order.total, order.amount_due, order.gift_card_total, order.claims) == (
        Decimal("45.00"),
        Decimal("45.00"),
        Decimal("0.00"),
        [],
    )


def test_points_lower_the_taxable_total_and_a_tender_pays_part_of_it(vouchers, variant, settings):
    settings.TAX_RATE = Decimal("0.10")
    owner = guest_cart((variant, 2))  # 80.00 of merchandise, 15.00 express shipping

    order = start(
        owner,
        shipping_method_code="express",
        claims=ClaimsRequest(gift_cards=("VOUCHER-20.00",), redeem_points=1000),
    ).order

    # subtotal - points + shipping, then tax on that: (80 - 10 + 15) * 1.10
    assert order.points_redeemed == 1000
    assert order.points_discount == Decimal("10.00")
    assert order.tax_total == Decimal("8.50")
    assert order.total == Decimal("93.50")
    assert order.gift_card_total == Decimal("20.00")
    assert order.amount_due == Decimal("73.50")
    assert order.total == order.amount_due + order.gift_card_total
    assert sum(line.tax for line in order.lines.all()) == order.tax_total
    assert [(c["kind"], c["reference"], c["amount"]) for c in order.claims] == [
        ("discount", "1000 points", "10.00"),
        ("tender", "•••• 0.00", "20.00"),
    ]
    assert vouchers.held[order.pk] == "held"


def test_points_never_take_more_than_the_merchandise_and_tenders_never_more_than_the_total(
    vouchers, variant
):
    order = start(
        guest_cart((variant, 1)),
        claims=ClaimsRequest(gift_cards=("VOUCHER-30.00", "VOUCHER-3.00"), redeem_points=9000),
    ).order

    assert order.points_discount == Decimal("40.00")  # the whole merchandise, not 90.00
    assert order.total == Decimal("5.00")  # shipping only
    assert order.gift_card_total == Decimal("5.00")
    assert order.amount_due == Decimal("0.00")


def test_the_expected_total_is_compared_with_the_total_after_points(vouchers, variant):
    owner = guest_cart((variant, 1))

    order = start(
        owner, claims=ClaimsRequest(redeem_points=500), expected_total=Decimal("40.00")
    ).order

    assert order.total == Decimal("40.00")


def test_a_tender_paying_part_is_taken_when_the_rest_is_paid(vouchers, variant):
    order = start(
        guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=("VOUCHER-10.00",))
    ).order
    assert order.status == Order.Status.PENDING_PAYMENT

    paid = pay_on_test_page(order)

    assert paid.status == Order.Status.PAID
    assert vouchers.held[order.pk] == "taken"
    assert vouchers.kinds(order.pk)[-2:] == ["take", "paid"]


def test_tenders_paying_everything_pay_the_order_at_once_without_a_payment_session(
    vouchers, variant, fake_stripe, django_capture_on_commit_callbacks
):
    owner = guest_cart((variant, 2))  # 80.00, shipping free over 75.00

    with django_capture_on_commit_callbacks(execute=True):
        started = start(owner, claims=ClaimsRequest(gift_cards=("VOUCHER-50.00", "VOUCHER-40.00")))

    order = started.order
    assert order.status == Order.Status.PAID
    assert (order.total, order.gift_card_total, order.amount_due) == (
        Decimal("80.00"),
        Decimal("80.00"),
        Decimal("0.00"),
    )
    assert [c["amount"] for c in order.claims] == ["50.00", "30.00"]
    assert started.payment_url == f"http://shop.test:8000/checkout/success/?order={order.number}"
    assert fake_stripe.calls("POST", "/v1/checkout/sessions") == []
    assert not order.payment_session_id
    variant.refresh_from_db()
    assert variant.stock_on_hand == 8  # stock taken
    assert vouchers.held[order.pk] == "taken"
    assert "paid" in vouchers.kinds(order.pk)
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]  # the confirmation


def end_by_cancel(order, owner):
    services.order_cancel(order_id=order.pk, reason="abandoned")


def end_by_expiry(order, owner):
    services.orders_expire_due(now=order.expires_at + timezone.timedelta(seconds=1))


def end_by_replacement(order, owner):
    start(owner)


def end_by_cart_change(order, owner):
    line = cart_summary(owner=owner).lines[0]
    cart_services.cart_set_line_quantity(owner=owner, line_id=line.id, quantity=2, source="test")


def end_by_failed_payment(order, owner):
    services.local_payment_complete(order_id=order.pk, succeed=False)


@pytest.mark.parametrize(
    ("end", "reason"),
    [
        (end_by_cancel, "abandoned"),
        (end_by_expiry, "expired"),
        (end_by_replacement, "replaced"),
        (end_by_cart_change, "cart_changed"),
        (end_by_failed_payment, "payment_failed"),
    ],
)
def test_every_ending_of_an_unpaid_order_releases_its_claims_once(vouchers, variant, end, reason):
    owner = guest_cart((variant, 1))
    order = start(
        owner, claims=ClaimsRequest(gift_cards=("VOUCHER-10.00",), redeem_points=100)
    ).order

    end(order, owner)
    services.order_cancel(order_id=order.pk, reason="again")  # a second ending: nothing more

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert vouchers.held[order.pk] == "released"
    assert vouchers.kinds(order.pk).count(f"release:{reason}") == 1
    assert not [k for k in vouchers.kinds(order.pk) if k.startswith("release:again")]


def test_a_refusal_at_hold_leaves_nothing_held(vouchers, variant):
    vouchers.refuse_hold = True
    owner = guest_cart((variant, 1))

    with pytest.raises(VoucherSpentError) as refused:
        start(owner, claims=ClaimsRequest(gift_cards=("VOUCHER-10.00",)))

    assert "•••• 0001" in refused.value.message
    assert not Order.objects.exists()
    assert not StockReservation.objects.exists()


def test_a_payment_whose_claims_can_no_longer_be_taken_is_refunded_and_the_stock_kept(
    vouchers, variant, django_capture_on_commit_callbacks
):
    order = start(
        guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=("VOUCHER-10.00",))
    ).order
    vouchers.refuse_take = "voucher •••• 0001 was spent"

    with django_capture_on_commit_callbacks(execute=True):
        paid = pay_on_test_page(order)

    paid.refresh_from_db()
    assert paid.status == Order.Status.REFUNDED  # its payment went back, the claims never left
    assert paid.cancel_reason == "refunded_payment"
    assert "paid after voucher •••• 0001 was spent" in paid.history.last().note
    variant.refresh_from_db()
    assert variant.stock_on_hand == 10
    assert "paid" not in vouchers.kinds(order.pk)


def test_a_refund_gives_back_the_claims_first_then_only_what_stripe_charged(
    vouchers, variant, fake_stripe
):
    order = start(
        guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=("VOUCHER-10.00",))
    ).order
    [call] = fake_stripe.calls("POST", "/v1/checkout/sessions")
    session = fake_stripe.complete(order.payment_session_id)
    assert session["amount_total"] == 3500  # 45.00 less the voucher's 10.00
    services.order_mark_paid(session_id=session["id"], payment_intent=session["payment_intent"])

    services.order_refund(order_id=order.pk)
    services.order_refund(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert vouchers.kinds(order.pk).count("refund") == 1
    [refund] = fake_stripe.refunds
    assert refund["payment_intent"] == session["payment_intent"]
    assert call["form"]["metadata"]["gift_cards"] == "•••• 0.00: 10.00"
    assert call["form"]["metadata"]["gift_card_total"] == "10.00"


def test_an_order_paid_only_by_claims_is_refunded_without_stripe(vouchers, variant, fake_stripe):
    order = start(
        guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=("VOUCHER-90.00",))
    ).order

    services.order_refund(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert vouchers.held[order.pk] == "refunded"
    assert fake_stripe.refunds == []


def test_the_webhook_pays_a_session_charging_what_the_tenders_leave(
    vouchers, variant, fake_stripe, client
):
    order = start(
        guest_cart((variant, 1)), claims=ClaimsRequest(gift_cards=("VOUCHER-10.00",))
    ).order
    session = fake_stripe.complete(order.payment_session_id)
    payload, signature = signed_webhook(
        session_event("evt_v", "checkout.session.completed", session), WEBHOOK_SECRET
    )

    response = client.post(
        "/checkout/webhook/stripe/",
        payload,
        content_type="application/json",
        headers={"Stripe-Signature": signature},
    )

    assert response.json() == {"status": "paid"}
    assert vouchers.held[order.pk] == "taken"


def test_a_preview_prices_the_claims_without_holding_and_collects_refusals(vouchers, variant):
    owner = guest_cart((variant, 1))
    quote = checkout_quote_load(cart=cart_summary(owner=owner), shipping_method_code="standard")

    claimed = claims_apply(
        order=None,
        quote=quote,
        request=ClaimsRequest(gift_cards=("VOUCHER-10.00",), redeem_points=200),
        user=None,
        email="",
        preview=True,
    )
    assert (claimed.total, claimed.gift_card_total, claimed.amount_due) == (
        Decimal("43.00"),
        Decimal("10.00"),
        Decimal("33.00"),
    )
    assert claimed.result.tenders[0].code == "VOUCHER-10.00"
    assert vouchers.held == {}

    vouchers.refuse_hold = True
    refused = claims_apply(
        order=None,
        quote=quote,
        request=ClaimsRequest(gift_cards=("VOUCHER-10.00",)),
        user=None,
        email="",
        preview=True,
    )
    assert [error.code for error in refused.result.errors] == ["voucher_spent"]
    assert refused.amount_due == Decimal("45.00")
