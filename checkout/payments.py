"""Payment providers: Stripe Checkout, or the local test page where no money moves.

The only module that imports `stripe`. Every Stripe call goes through here, errors are
turned into PaymentProviderError alike, and amounts become minor units here. None of these
functions may be called while holding a row lock.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import stripe
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy

from checkout.models import Order
from shop.exceptions import DomainError
from shop.money import currency_exponent

logger = logging.getLogger(__name__)

# Stripe refuses a Checkout Session that expires sooner than this.
STRIPE_MIN_SESSION_LIFETIME = timedelta(minutes=30, seconds=60)


class PaymentProviderError(DomainError):
    http_status = 503
    code = "payment_unavailable"
    default_message = gettext_lazy(
        "We could not reach the payment provider. Nothing was charged; please try again."
    )


class InvalidWebhookError(Exception):
    """The webhook's payload or signature does not check out."""


@dataclass(frozen=True)
class PaymentSession:
    id: str
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class SessionState:
    id: str
    status: str  # open | complete | expired
    payment_status: str  # paid | unpaid | no_payment_required
    payment_intent: str
    amount_total: Decimal | None = None  # what the session charges, in major units
    currency: str = ""  # upper case, as orders keep it

    @property
    def is_paid(self) -> bool:
        return self.status == "complete" and self.payment_status in {"paid", "no_payment_required"}


def uses_stripe() -> bool:
    return settings.PAYMENT_BACKEND == "stripe"


def test_payments_allowed() -> bool:
    """Whether the test backend (no money moves) may take orders; under production settings
    only with ALLOW_TEST_PAYMENTS=true."""
    return settings.ALLOW_TEST_PAYMENTS


def backend_refusal() -> str | None:
    """Why the configured backend may not take a payment here, in words for the operator;
    None when it may."""
    if uses_stripe():
        if not settings.STRIPE_SECRET_KEY:
            return "PAYMENT_BACKEND is 'stripe' but STRIPE_SECRET_KEY is not set"
        return None
    if not test_payments_allowed():
        return (
            "PAYMENT_BACKEND is 'test' (a page where anyone can pay without money moving) but "
            "ALLOW_TEST_PAYMENTS is not true: set the Stripe keys, or ALLOW_TEST_PAYMENTS=true "
            "for a demo shop"
        )
    return None


def backend_ensure_ready() -> None:
    """Refuse to open a payment the configured backend may not take. Raises
    PaymentProviderError, and logs why for the operator."""
    refusal = backend_refusal()
    if refusal:
        logger.error("Payments refused: %s", refusal)
        raise PaymentProviderError()


def session_lifetime_end(requested: datetime) -> datetime:
    """When a payment session for a reservation ending at `requested` can end."""
    if not uses_stripe():
        return requested
    return max(requested, timezone.now() + STRIPE_MIN_SESSION_LIFETIME)


def to_minor_units(amount: Decimal, currency: str) -> int:
    return int((amount / currency_exponent(currency)).to_integral_value())


def from_minor_units(amount, currency: str) -> Decimal | None:
    """Stripe's integer amount in the currency's minor units as a Decimal; None if absent."""
    if not currency or isinstance(amount, bool) or not isinstance(amount, int):
        return None
    return Decimal(amount) * currency_exponent(currency)


def _session_state(obj: dict) -> SessionState:
    currency = str(obj.get("currency") or "").upper()
    return SessionState(
        id=obj.get("id") or "",
        status=obj.get("status") or "",
        payment_status=obj.get("payment_status") or "",
        payment_intent=_id_of(obj.get("payment_intent")),
        amount_total=from_minor_units(obj.get("amount_total"), currency),
        currency=currency,
    )


# Connect and read timeouts for each call to Stripe (the library's default read timeout is
# 80 s): with its two retries a call ends well inside the API's Idempotency-Key claim timeout,
# so a slow Stripe never lets a retried checkout start over while the first still runs.
STRIPE_TIMEOUT = (5, 15)


def _client() -> stripe.StripeClient:
    base = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base,
        max_network_retries=2,
        http_client=stripe.new_default_http_client(timeout=STRIPE_TIMEOUT),
    )


# Stripe's metadata limits: 50 keys, keys up to 40 characters, values up to 500.
METADATA_MAX_KEYS = 50
METADATA_KEY_MAX = 40
METADATA_VALUE_MAX = 500


def _metadata_value(text: str) -> str:
    if len(text) <= METADATA_VALUE_MAX:
        return text
    return text[: METADATA_VALUE_MAX - 1] + "…"


def session_metadata(order: Order, lines: list) -> dict[str, str]:
    """The Checkout Session's metadata: the order, the gift cards paying part of it (by their
    last four) and the points redeemed, the shopper's note and each line's
    properties as `line<n>_<key>` (n counts the order's lines from 1), within Stripe's
    limits; entries that do not fit are counted in `properties_omitted` (the order keeps
    them all, and each line item's product carries its own)."""
    metadata = {"order_id": str(order.pk), "order_number": order.number}
    tenders = [claim for claim in order.claims if claim.get("kind") == "tender"]
    if tenders:
        metadata["gift_cards"] = _metadata_value(
            "; ".join(f"{claim['reference']}: {claim['amount']}" for claim in tenders)
        )
        metadata["gift_card_total"] = str(order.gift_card_total)
    if order.points_redeemed:
        metadata["points_redeemed"] = str(order.points_redeemed)
    if order.note:
        metadata["note"] = _metadata_value(order.note)
    entries = [
        (f"line{n}_{key}"[:METADATA_KEY_MAX], _metadata_value(str(value)))
        for n, line in enumerate(lines, start=1)
        for key, value in sorted((line.properties or {}).items())
    ]
    room = METADATA_MAX_KEYS - len(metadata)
    if len(entries) > room:
        kept = entries[: room - 1]
        metadata.update(kept)
        metadata["properties_omitted"] = str(len(entries) - len(kept))
    else:
        metadata.update(entries)
    return metadata


def _line_items(order: Order, lines: list) -> list[dict]:
    currency = order.currency.lower()

    def item(name: str, amount: Decimal, quantity: int = 1, sku: str = "", line=None) -> dict:
        product_data = {"name": name}
        if sku:
            product_data["metadata"] = {"sku": sku}
        if line is not None and line.properties:
            # Shown to the shopper on Stripe's page, and kept with the line item.
            product_data["description"] = _metadata_value(
                " · ".join(f"{p['label']}: {p['value']}" for p in line.properties_display)
                or " · ".join(f"{k}: {v}" for k, v in sorted(line.properties.items()))
            )
            product_data["metadata"] = {
                **{
                    key[:METADATA_KEY_MAX]: _metadata_value(str(value))
                    for key, value in sorted(line.properties.items())
                },
                "sku": sku,
            }
        return {
            "quantity": quantity,
            "price_data": {
                "currency": currency,
                "unit_amount": to_minor_units(amount, order.currency),
                "product_data": product_data,
            },
        }

    items = [
        item(
            f"{line.product_name} – {line.variant_name}",
            line.unit_price,
            line.quantity,
            line.sku,
            line,
        )
        for line in lines
    ]
    if order.tax_total and not settings.PRICES_INCLUDE_TAX:
        items.append(item("Estimated tax", order.tax_total))
    return items


def _amount_due_item(order: Order, lines: list) -> dict:
    parts = [f"{line.quantity} × {line.product_name} – {line.variant_name}" for line in lines]
    parts += [f"{claim['reference']}: -{claim['amount']}" for claim in order.claims]
    return {
        "quantity": 1,
        "price_data": {
            "currency": order.currency.lower(),
            "unit_amount": to_minor_units(order.amount_due, order.currency),
            "product_data": {
                "name": f"Order {order.number}",
                "description": _metadata_value(" · ".join(parts)),
            },
        },
    }


def session_create(
    order: Order, *, success_url: str, cancel_url: str, test_pay_url: str
) -> PaymentSession:
    """Open a payment session for an order: a Stripe Checkout Session, or the test page.
    Raises PaymentProviderError."""
    backend_ensure_ready()
    if not uses_stripe():
        return PaymentSession(
            id=f"test_{order.number}", url=test_pay_url, expires_at=order.expires_at
        )
    client = _client()
    currency = order.currency.lower()
    lines = list(order.lines.all())
    params: dict = {
        "mode": "payment",
        "customer_email": order.email,
        "client_reference_id": order.number,
        "metadata": session_metadata(order, lines),
        "payment_intent_data": {
            "metadata": {"order_id": str(order.pk), "order_number": order.number}
        },
        "line_items": _line_items(order, lines),
        "shipping_options": [
            {
                "shipping_rate_data": {
                    "type": "fixed_amount",
                    "display_name": order.shipping_method_name,
                    "fixed_amount": {
                        "amount": to_minor_units(order.shipping_total, order.currency),
                        "currency": currency,
                    },
                }
            }
        ],
        "success_url": f"{success_url}?session_id={{CHECKOUT_SESSION_ID}}",
        "cancel_url": cancel_url,
        "expires_at": int(order.expires_at.timestamp()),
    }
    if order.gift_card_total or order.points_discount:
        # Stripe charges only what gift cards and points leave: one line for that amount, as
        # neither a coupon nor line items can take a part of shipping and tax off.
        params["line_items"] = [_amount_due_item(order, lines)]
        del params["shipping_options"]
    try:
        if order.discount_total and "shipping_options" in params:
            coupon = client.v1.coupons.create(
                params={
                    "amount_off": to_minor_units(order.discount_total, order.currency),
                    "currency": currency,
                    "duration": "once",
                    "name": order.promo_code or "Discount",
                },
                options={"idempotency_key": f"order-{order.pk}-coupon"},
            )
            params["discounts"] = [{"coupon": coupon.id}]
        session = client.v1.checkout.sessions.create(
            params=params, options={"idempotency_key": f"order-{order.pk}-checkout-session"}
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a Checkout Session for %s: %s", order.number, exc)
        raise PaymentProviderError() from exc
    return PaymentSession(id=session.id, url=session.url, expires_at=order.expires_at)


def session_state(session_id: str) -> SessionState | None:
    """Ask Stripe how a Checkout Session stands; None for the test backend (it is local)."""
    if not uses_stripe() or not session_id.startswith("cs_"):
        return None
    try:
        session = _client().v1.checkout.sessions.retrieve(session_id)
    except stripe.StripeError as exc:
        logger.warning("Could not read Checkout Session %s: %s", session_id, exc)
        raise PaymentProviderError() from exc
    return _session_state(session.to_dict())


def session_expire(session_id: str) -> None:
    """End an open Checkout Session so it can no longer be paid (a no-op when it is not open)."""
    if not uses_stripe() or not session_id.startswith("cs_"):
        return
    try:
        _client().v1.checkout.sessions.expire(session_id)
    except stripe.InvalidRequestError as exc:
        # Already complete or expired: there is nothing left to end.
        logger.info("Checkout Session %s not expired: %s", session_id, exc.user_message or exc)
    except stripe.StripeError as exc:
        raise PaymentProviderError() from exc


def refund(order: Order) -> str:
    """Refund an order's payment in full; returns the refund's id."""
    if order.payment_backend != "stripe":
        return f"test_refund_{order.number}"
    try:
        result = _client().v1.refunds.create(
            params={
                "payment_intent": order.payment_intent_id,
                "metadata": {"order_number": order.number},
            },
            options={"idempotency_key": f"order-{order.pk}-refund"},
        )
    except stripe.StripeError as exc:
        logger.warning("Stripe refused the refund of %s: %s", order.number, exc)
        raise PaymentProviderError() from exc
    return result.id


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str
    session: SessionState
    # What the session's metadata claims, for the logs only: anyone who can create a session
    # on the account can write it, so the order is found by its own session id.
    claimed_order_id: str


def webhook_event(payload: bytes, signature: str) -> WebhookEvent:
    """Verify a Stripe webhook's signature and read the Checkout Session it is about."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise InvalidWebhookError("STRIPE_WEBHOOK_SECRET is not set")
    try:
        event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise InvalidWebhookError(str(exc)) from exc
    obj = event.data.object.to_dict()
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    return WebhookEvent(
        id=event.id,
        type=event.type,
        session=_session_state(obj),
        claimed_order_id=str(metadata.get("order_id", ""))[:40],
    )


def _id_of(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        return value
    return (value.get("id") if isinstance(value, dict) else getattr(value, "id", "")) or ""
