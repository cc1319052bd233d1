"""Back-in-stock alerts, price-drop alerts and the shopper's notification settings.

Above checkout: inventory says when stock may have come back (its `stock_changed` signal,
after commit; alerts/receivers.py), and Celery jobs (alerts/tasks.py) do the sending, every
email once (shop.services.email_send_once), through the outbox (shop/outbox.py). Who wants
which email is recovery's EmailOptOut: one row per address and kind, written by the
unsubscribe link in every email and by /account/notifications/.
"""

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from alerts.exceptions import StockAlertLinkError, VariantInStockError
from alerts.models import PriceWatch, StockAlert
from cart.models import WishlistItem
from catalog.exceptions import VariantNotFoundError
from catalog.models import Product, Variant
from catalog.selectors import is_sellable
from inventory.selectors import available_by_variant
from recovery.models import EmailOptOut
from recovery.selectors import email_opted_out, email_opted_out_kinds
from recovery.services import email_opt_out_set
from shop.models import SentEmail, User, normalize_email
from shop.outbox import task_send_after_commit
from shop.services import email_send_once

logger = logging.getLogger(__name__)

MAX_ID = 2**63 - 1
CONFIRMATION_TASK = "alerts.tasks.stock_alert_confirmation_send_task"
NOTIFY_TASK = "alerts.tasks.stock_alerts_notify_task"
SEND_TASK = "alerts.tasks.stock_alerts_send_task"
PRICE_DROP_TASK = "alerts.tasks.price_drop_digest_send_task"
CONFIRM_SALT = "alerts.stock-alert-confirm"
# How many back-in-stock emails one task sends: a popular variant's thousands of waiting
# shoppers become many small tasks, each retried alone if mail fails midway.
STOCK_ALERT_BATCH_SIZE = 100
PREFERENCE_KINDS = (
    EmailOptOut.Kind.BACK_IN_STOCK,
    EmailOptOut.Kind.PRICE_DROP,
    EmailOptOut.Kind.CART_REMINDERS,
)


# ---------------------------------------------------------------------------
# Back in stock
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StockAlertRequest:
    alert: StockAlert
    created: bool
    confirmed: bool  # False: a guest's address, a confirmation link was emailed
    muted: bool  # the address turned back-in-stock alerts off: nothing will be sent


def _sellable_variant(variant_id: int) -> Variant:
    if not 0 < variant_id <= MAX_ID:
        raise VariantNotFoundError()
    variant = Variant.objects.select_related("product").filter(pk=variant_id).first()
    if variant is None or not is_sellable(variant):
        raise VariantNotFoundError()
    return variant


@transaction.atomic
def stock_alert_request(
    *, variant_id: int, user: User | None = None, email: str = "", site_url: str = ""
) -> StockAlertRequest:
    """Ask to be emailed once when an out-of-stock variant is back: for a shopper, to their
    account's address at once; for a guest, to `email` once confirmed from the link emailed
    now. Asking again adds nothing (a guest's unconfirmed ask sends the link again).

    Raises VariantNotFoundError, VariantInStockError (it can be bought now).
    """
    variant = _sellable_variant(variant_id)
    if available_by_variant([variant.pk]).get(variant.pk, 0) > 0:
        raise VariantInStockError()
    address = normalize_email(user.email if user is not None else email)
    now = timezone.now()
    waiting = StockAlert.objects.filter(variant=variant, email=address, ended_at__isnull=True)
    alert = waiting.select_for_update().first()
    created = alert is None
    if created:
        try:
            with transaction.atomic():
                alert = StockAlert.objects.create(
                    variant=variant,
                    user=user,
                    email=address,
                    site_url=site_url,
                    # A shopper's own address counts as theirs, as for cart reminders.
                    confirmed_at=now if user is not None else None,
                )
        except IntegrityError:  # the same ask, sent twice at once
            alert = waiting.get()
            created = False
    if user is not None and alert.confirmed_at is None:  # a guest's ask with their address
        alert.user, alert.confirmed_at = user, now
        alert.save(update_fields=["user", "confirmed_at"])
    if alert.confirmed_at is None:
        task_send_after_commit(CONFIRMATION_TASK, alert_id=alert.pk)
    return StockAlertRequest(
        alert=alert,
        created=created,
        confirmed=alert.confirmed_at is not None,
        muted=user is not None
        and email_opted_out(email=address, kind=EmailOptOut.Kind.BACK_IN_STOCK),
    )


def _address_digest(alert: StockAlert) -> str:
    return salted_hmac(CONFIRM_SALT, alert.email).hexdigest()[:32]


def stock_alert_confirmation_token(alert: StockAlert) -> str:
    """The signed part of the link that confirms a guest's back-in-stock alert."""
    return signing.dumps({"alert": alert.pk, "address": _address_digest(alert)}, salt=CONFIRM_SALT)


@dataclass(frozen=True)
class StockAlertConfirmation:
    alert: StockAlert
    in_stock: bool  # back already: its email is on its way


def _alert_from_token(token: str, *, lock: bool) -> StockAlert:
    max_age = timedelta(days=settings.STOCK_ALERT_CONFIRM_DAYS)
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
        alert_id, digest = int(data["alert"]), str(data["address"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise StockAlertLinkError() from exc
    alerts = StockAlert.objects.select_related("variant__product")
    if lock:
        alerts = alerts.select_for_update(of=("self",))
    alert = alerts.filter(pk=alert_id, ended_at__isnull=True).first()
    if alert is None or not constant_time_compare(digest, _address_digest(alert)):
        raise StockAlertLinkError()
    return alert


def stock_alert_read(*, token: str) -> StockAlert:
    """The waiting alert a confirmation link names, without confirming it (mail scanners open
    links). Raises StockAlertLinkError for a tampered, expired, used or unknown link."""
    return _alert_from_token(token, lock=False)


@transaction.atomic
def stock_alert_confirm(*, token: str) -> StockAlertConfirmation:
    """Confirm a guest's alert from the emailed link (again: nothing changes). Confirming is
    the address owner asking: back-in-stock alerts to it are allowed again if they were
    turned off. A variant back already gets its email now.

    Raises StockAlertLinkError for a tampered, expired, used or unknown link.
    """
    alert = _alert_from_token(token, lock=True)
    if alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.save(update_fields=["confirmed_at"])
        email_opt_out_set(email=alert.email, kind=EmailOptOut.Kind.BACK_IN_STOCK, opted_out=False)
    in_stock = available_by_variant([alert.variant_id]).get(alert.variant_id, 0) > 0
    if in_stock:
        task_send_after_commit(NOTIFY_TASK, variant_ids=[alert.variant_id])
    return StockAlertConfirmation(alert=alert, in_stock=in_stock)


def _waiting_alerts():
    return StockAlert.objects.filter(ended_at__isnull=True, confirmed_at__isnull=False)


@transaction.atomic
def stock_alerts_notify_later(*, variant_ids: list[int]) -> bool:
    """Queue the job that emails the alerts of these variants if they are back, when anyone
    confirmed waits for one of them; returns whether it was queued."""
    if not _waiting_alerts().filter(variant_id__in=variant_ids).exists():
        return False
    task_send_after_commit(NOTIFY_TASK, variant_ids=list(variant_ids))
    return True


def stock_alerts_notify(
    *, variant_ids: list[int] | None = None, batch_size: int = STOCK_ALERT_BATCH_SIZE
) -> int:
    """End the confirmed alerts of the variants (all, without `variant_ids`) that can be
    bought again, and queue their emails, `batch_size` per task, each alert once however
    often this runs. Unconfirmed alerts keep waiting. Returns how many were queued."""
    waiting = _waiting_alerts()
    if variant_ids is not None:
        waiting = waiting.filter(variant_id__in=variant_ids)
    candidates = sorted(set(waiting.values_list("variant_id", flat=True)))
    if not candidates:
        return 0
    sellable = set(
        Variant.objects.filter(
            pk__in=candidates,
            status=Variant.Status.ACTIVE,
            product__status=Product.Status.ACTIVE,
        ).values_list("pk", flat=True)
    )
    back = [
        pk for pk, left in available_by_variant(candidates).items() if left > 0 and pk in sellable
    ]
    queued = 0
    while back:
        with transaction.atomic():
            # Alerts another run is ending right now are skipped, not waited for.
            ids = list(
                waiting.filter(variant_id__in=back)
                .order_by("pk")
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                break
            StockAlert.objects.filter(pk__in=ids).update(ended_at=timezone.now())
            task_send_after_commit(SEND_TASK, alert_ids=ids)
        queued += len(ids)
    if queued:
        logger.info("Queued %d back-in-stock emails", queued)
    return queued


def stock_alert_recipient(alert: StockAlert) -> str:
    return alert.user.email if alert.user_id else alert.email


def stock_alerts_send(*, alert_ids: list[int], send) -> int:
    """Email each ended alert of the batch with `send(alert)`, once however often this runs,
    never to an address that turned back-in-stock alerts off since. Returns how many went."""
    sent = 0
    alerts = StockAlert.objects.filter(pk__in=alert_ids, ended_at__isnull=False).select_related(
        "variant__product", "user"
    )
    for alert in alerts.order_by("pk"):
        if email_opted_out(
            email=stock_alert_recipient(alert), kind=EmailOptOut.Kind.BACK_IN_STOCK
        ):
            continue
        sent += email_send_once(
            kind="stock_alert", object_id=alert.pk, send=lambda alert=alert: send(alert)
        )
    return sent


# ---------------------------------------------------------------------------
# Price drops
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceDrop:
    watch_id: int
    variant: Variant
    was: Decimal
    now: Decimal


def _drop_factor() -> Decimal:
    return 1 - Decimal(settings.PRICE_DROP_ALERT_PERCENT) / 100


def price_watch_start(*, user_id: int, variant_id: int) -> None:
    """Remember what a variant costs now, as the price a shopper who wished for it knows."""
    price = Variant.objects.filter(pk=variant_id).values_list("price", flat=True).first()
    if price is not None:
        PriceWatch.objects.get_or_create(
            user_id=user_id, variant_id=variant_id, defaults={"price": price}
        )


def price_watches_sync() -> None:
    """Watch every shopper's wishlist item not watched yet (at its price now), and forget the
    watches of items no longer wished for."""
    on_wishlist = WishlistItem.objects.filter(user=OuterRef("user"), variant=OuterRef("variant"))
    PriceWatch.objects.exclude(Exists(on_wishlist)).delete()
    watched = PriceWatch.objects.filter(user=OuterRef("user"), variant=OuterRef("variant"))
    unwatched = (
        WishlistItem.objects.filter(user__isnull=False)
        .exclude(Exists(watched))
        .values_list("user_id", "variant_id", "variant__price")
    )
    PriceWatch.objects.bulk_create(
        [PriceWatch(user_id=u, variant_id=v, price=p) for u, v, p in unwatched],
        ignore_conflicts=True,
    )


def _dropped():
    on_wishlist = WishlistItem.objects.filter(user=OuterRef("user"), variant=OuterRef("variant"))
    return PriceWatch.objects.filter(
        Exists(on_wishlist),
        variant__price__lte=F("price") * _drop_factor(),
        variant__status=Variant.Status.ACTIVE,
        variant__product__status=Product.Status.ACTIVE,
        user__is_active=True,
    )


def price_drops_for(*, user_id: int) -> list[PriceDrop]:
    """The shopper's wishlist variants now at least PRICE_DROP_ALERT_PERCENT below the price
    they last knew."""
    watches = _dropped().filter(user_id=user_id).select_related("variant__product")
    return [
        PriceDrop(watch_id=w.pk, variant=w.variant, was=w.price, now=w.variant.price)
        for w in watches.order_by("variant__product__name", "variant_id")
    ]


def price_drop_email_kind(day: date) -> str:
    return f"price_drop:{day.isoformat()}"


def price_drops_queue(*, now=None) -> int:
    """Queue one price-drop email for each shopper whose wishlist has a drop, at most one a
    day, never to one who turned price-drop alerts off. Returns how many were queued."""
    price_watches_sync()
    day = timezone.localdate(now)
    sent_today = SentEmail.objects.filter(kind=price_drop_email_kind(day)).values("object_id")
    opted_out = EmailOptOut.objects.filter(kind=EmailOptOut.Kind.PRICE_DROP).values("email")
    user_ids = list(
        _dropped()
        .exclude(user_id__in=sent_today)
        .exclude(user__email__in=opted_out)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    with transaction.atomic():
        for user_id in user_ids:
            task_send_after_commit(PRICE_DROP_TASK, user_id=user_id, day=day.isoformat())
    if user_ids:
        logger.info("Queued %d price-drop emails", len(user_ids))
    return len(user_ids)


def price_drop_digest_send(*, user_id: int, day: str, send) -> bool:
    """Email a shopper their wishlist's price drops with `send(user, drops)`, once for `day`
    however often this runs; the prices told become the ones they know, so a drop is told
    once. Returns whether it went now (nothing to tell, or alerts turned off: False)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or email_opted_out(email=user.email, kind=EmailOptOut.Kind.PRICE_DROP):
        return False
    drops = price_drops_for(user_id=user.pk)
    if not drops:
        return False

    def deliver() -> None:
        send(user, drops)
        for drop in drops:
            PriceWatch.objects.filter(pk=drop.watch_id).update(
                price=drop.now, updated_at=timezone.now()
            )

    return email_send_once(
        kind=price_drop_email_kind(date.fromisoformat(day)), object_id=user.pk, send=deliver
    )


# ---------------------------------------------------------------------------
# Preferences
# ---------------------------------------------------------------------------


def notification_preferences_get(*, user: User) -> dict[str, bool]:
    """Which emails the shopper wants, by kind (all, until they say otherwise)."""
    opted_out = email_opted_out_kinds(email=user.email)
    return {kind: kind not in opted_out for kind in PREFERENCE_KINDS}


@transaction.atomic
def notification_preferences_set(*, user: User, wanted: dict[str, bool]) -> dict[str, bool]:
    """Turn each kind of email to the shopper's address on or off, as the unsubscribe links
    do; kinds not named stay as they are. Returns the settings now."""
    for kind in PREFERENCE_KINDS:
        if kind in wanted:
            email_opt_out_set(email=user.email, kind=kind, opted_out=not wanted[kind])
    return notification_preferences_get(user=user)
