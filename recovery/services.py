"""What happens to carts left alone: expiry, abandoned-cart reminders, recovery links and
unsubscribes. Called by Celery tasks (recovery/tasks.py) and by the pages the emails link to.

Above cart and checkout: a cart with a checkout in progress is neither expired nor reminded.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cart.live import carts_live_announce_expired
from cart.locks import lock_cart
from cart.models import Cart, CartEvent, CartLine
from cart.selectors import CartOwner, CartSummary, cart_load_lines, cart_summary_build
from cart.services import (
    cart_event_record,
    cart_merge,
    cart_token_rotate,
    kept_items_forget,
)
from checkout.models import Order, OrderLine
from recovery.exceptions import RecoveryLinkError
from recovery.links import (
    RecoveryLink,
    recovery_link_opens,
    recovery_link_read,
    reminder_email_address,
    unsubscribe_link_read,
)
from recovery.models import EmailOptOut
from recovery.selectors import email_opted_out
from shop.models import normalize_email
from shop.outbox import task_send_after_commit

logger = logging.getLogger(__name__)

PAID = [Order.Status.PAID, Order.Status.FULFILLED]
REMINDER_TASK = "recovery.tasks.cart_reminder_send_task"


def _pending_checkout():
    return Exists(Order.objects.filter(cart=OuterRef("pk"), status=Order.Status.PENDING_PAYMENT))


# ---------------------------------------------------------------------------
# Expiry
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpiryResult:
    carts: int
    batches: int


def carts_expire_idle(*, now=None, batch_size: int = 1000) -> ExpiryResult:
    """Expire open carts idle longer than their time to live, never one with a checkout in
    progress; in batches, each its own transaction, so no run ever loads every cart.

    Guests' carts live GUEST_CART_TTL_DAYS, shoppers' USER_CART_TTL_DAYS. Writes one
    cart_expired event per cart (with why, not the lines: those stay on the cart). A guest's
    saved items and wishlist go with their cart; a shopper's belong to the user and stay.
    """
    now = now or timezone.now()
    guest_before = now - timedelta(days=settings.GUEST_CART_TTL_DAYS)
    user_before = now - timedelta(days=settings.USER_CART_TTL_DAYS)
    idle = (
        Cart.objects.filter(status=Cart.Status.OPEN)
        .filter(
            Q(user__isnull=True, last_activity_at__lt=guest_before)
            | Q(user__isnull=False, last_activity_at__lt=user_before)
        )
        .exclude(_pending_checkout())
    )
    carts = batches = 0
    while True:
        with transaction.atomic():
            # Carts being written right now are skipped; the next run takes them.
            batch = list(
                idle.order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", "user_id", "last_activity_at", "token", "version")[:batch_size]
            )
            if not batch:
                break
            Cart.objects.filter(pk__in=[pk for pk, *_ in batch]).update(
                status=Cart.Status.EXPIRED, updated_at=now
            )
            kept_items_forget(cart_ids=[pk for pk, user_id, *_ in batch if user_id is None])
            CartEvent.objects.bulk_create(
                CartEvent(
                    type=CartEvent.Type.CART_EXPIRED,
                    cart_id=pk,
                    user_id=user_id,
                    created_at=now,
                    payload={
                        "cart_id": pk,
                        "logged_in": user_id is not None,
                        "idle_since": last_activity.isoformat(),
                        "ttl_days": settings.USER_CART_TTL_DAYS
                        if user_id
                        else settings.GUEST_CART_TTL_DAYS,
                        "source": "task",
                    },
                )
                for pk, user_id, last_activity, *_ in batch
            )
            carts_live_announce_expired(
                carts=[(user_id, token, version) for _pk, user_id, _at, token, version in batch]
            )
        carts += len(batch)
        batches += 1
    logger.info("Expired %d idle carts in %d batches", carts, batches)
    return ExpiryResult(carts=carts, batches=batches)


# ---------------------------------------------------------------------------
# Abandoned carts
# ---------------------------------------------------------------------------


def _bought_since(cart: Cart, email: str, variant_ids: list[int]) -> bool:
    buyer = Q(order__email__iexact=email)
    if cart.user_id:
        buyer |= Q(order__user_id=cart.user_id)
    return OrderLine.objects.filter(
        buyer,
        order__status__in=PAID,
        order__paid_at__gte=cart.last_activity_at,
        variant_id__in=variant_ids,
    ).exists()


def _email_confirmed(cart: Cart, email: str) -> bool:
    """A shopper's own address counts; an address a guest typed, only once an order's
    confirmation email went to it (anyone can type anyone's address)."""
    if cart.user_id is not None:
        return True
    return Order.objects.filter(email__iexact=email, paid_at__isnull=False).exists()


def carts_remind_abandoned(*, now=None, batch_size: int = 200) -> int:
    """Find carts with lines left alone for CART_ABANDON_AFTER_HOURS whose owner's email is
    known, record cart_abandoned once for each, and queue one reminder email, unless the
    address unsubscribed, is a guest's never confirmed by a paid order, or has since bought
    those items (the event records which). Returns how many were reminded."""
    now = now or timezone.now()
    abandoned = (
        Cart.objects.filter(
            status=Cart.Status.OPEN,
            reminded_at__isnull=True,
            last_activity_at__lt=now - timedelta(hours=settings.CART_ABANDON_AFTER_HOURS),
        )
        .filter(Q(user__isnull=False) | ~Q(email=""))
        .filter(Exists(CartLine.objects.filter(cart=OuterRef("pk"))))
        .exclude(_pending_checkout())
        .order_by("pk")
    )
    reminded = 0
    last_pk = 0
    while True:
        ids = list(abandoned.filter(pk__gt=last_pk).values_list("pk", flat=True)[:batch_size])
        if not ids:
            break
        last_pk = ids[-1]
        reminded += sum(_remind_one(cart_id, now) for cart_id in ids)
    logger.info("Sent %d abandoned-cart reminders", reminded)
    return reminded


@transaction.atomic
def _remind_one(cart_id: int, now) -> bool:
    cart = lock_cart(
        Cart.objects.filter(
            pk=cart_id, status=Cart.Status.OPEN, reminded_at__isnull=True
        ).select_related("user")
    )
    if cart is None:  # changed or reminded since it was listed
        return False
    email = reminder_email_address(cart)
    lines = cart_load_lines(cart)
    summary = cart_summary_build(cart=cart, lines=lines)
    skip = None
    if email_opted_out(email=email, kind=EmailOptOut.Kind.CART_REMINDERS):
        skip = "unsubscribed"
    elif not _email_confirmed(cart, email):
        skip = "unconfirmed_email"
    elif _bought_since(
        cart, email, [line.variant_id for line in summary.lines if line.variant_id]
    ):
        skip = "bought_since"
    cart.reminded_at = now
    cart.save(update_fields=["reminded_at"])
    cart_event_record(
        event_type=CartEvent.Type.CART_ABANDONED,
        summary=summary,
        user=cart.user,
        source="task",
        change={"reminder": "skipped" if skip else "sent", "reason": skip or "", "email": email},
    )
    if skip:
        return False
    task_send_after_commit(REMINDER_TASK, cart_id=cart.pk)
    return True


@dataclass(frozen=True)
class Recovery:
    cart_id: int
    guest_token: str | None  # a guest cart this browser should now hold
    needs_login: bool  # the cart is a shopper's: it shows once they log in


@dataclass(frozen=True)
class RecoveryPreview:
    summary: CartSummary
    is_guest_cart: bool


def _recoverable(cart: Cart | None, link: RecoveryLink) -> Cart:
    """The cart a link may still bring back. Raises RecoveryLinkError."""
    if (
        cart is None
        or cart.status in {Cart.Status.CONVERTED, Cart.Status.MERGED}
        or not recovery_link_opens(link, cart)
    ):
        raise RecoveryLinkError()
    # A shopper has one open cart: an expired one cannot come back beside a newer one.
    if (
        cart.status == Cart.Status.EXPIRED
        and cart.user_id
        and Cart.objects.filter(user_id=cart.user_id, status=Cart.Status.OPEN).exists()
    ):
        raise RecoveryLinkError()
    return cart


def cart_recovery_preview(*, token: str) -> RecoveryPreview:
    """What a recovery link would bring back, without using it up (for the page that asks a
    logged-in visitor first). Raises RecoveryLinkError, as a used link would."""
    link = recovery_link_read(token)
    cart = _recoverable(Cart.objects.filter(pk=link.cart_id).first(), link)
    return RecoveryPreview(
        summary=cart_summary_build(cart=cart, lines=cart_load_lines(cart)),
        is_guest_cart=cart.user_id is None,
    )


@transaction.atomic
def cart_recover(*, token: str, owner: CartOwner, source: str) -> Recovery:
    """Bring a reminded cart back in whatever browser opened the link.

    An expired cart is reopened. A guest's cart gets a new token, so the link works once and
    the old token names the cart no more; it becomes this browser's cart, or is merged into
    the visitor's own when they are logged in (callers ask them first). A shopper's cart
    shows once they log in. Records cart_recovered. Raises RecoveryLinkError for a tampered,
    expired, used or unknown link."""
    link = recovery_link_read(token)
    cart = _recoverable(lock_cart(Cart.objects.filter(pk=link.cart_id)), link)
    cart.status = Cart.Status.OPEN
    cart.last_activity_at = timezone.now()
    cart.save(update_fields=["status", "last_activity_at"])
    summary = cart_summary_build(cart=cart, lines=cart_load_lines(cart))
    cart_event_record(
        event_type=CartEvent.Type.CART_RECOVERED,
        summary=summary,
        user=owner.user,
        source=source,
        change={"via": "reminder_link"},
    )
    if cart.user_id is not None:
        needs_login = owner.user is None or owner.user.pk != cart.user_id
        return Recovery(cart_id=cart.pk, guest_token=None, needs_login=needs_login)
    guest_token = cart_token_rotate(cart=cart)
    if owner.user is not None:
        cart_merge(user=owner.user, guest_token=guest_token, source=source)
        return Recovery(cart_id=cart.pk, guest_token=None, needs_login=False)
    return Recovery(cart_id=cart.pk, guest_token=guest_token, needs_login=False)


def email_unsubscribe(*, token: str) -> str:
    """Stop the kind of email a signed unsubscribe link names to its address; returns the
    address. Raises RecoveryLinkError for a tampered link."""
    email, kind = unsubscribe_link_read(token)
    email_opt_out_set(email=email, kind=kind, opted_out=True)
    return email


def email_opt_out_set(*, email: str, kind: str, opted_out: bool) -> None:
    """Stop (or allow again) emails of `kind` to `email`; saying the same twice is harmless."""
    email = normalize_email(email)
    if not opted_out:
        EmailOptOut.objects.filter(email=email, kind=kind).delete()
        return
    try:
        with transaction.atomic():
            EmailOptOut.objects.get_or_create(email=email, kind=kind)
    except IntegrityError:  # a double click raced itself
        pass
