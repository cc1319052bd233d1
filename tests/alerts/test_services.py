"""Back-in-stock and price-drop alerts as the shopper notices them: in their inbox, once."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from alerts import services
from alerts.exceptions import VariantInStockError
from alerts.models import StockAlert
from cart.models import Cart
from cart.selectors import CartOwner
from cart.services import wishlist_add
from catalog.exceptions import VariantNotFoundError
from catalog.models import Variant
from checkout.services import order_cancel
from inventory.services import stock_set
from recovery import services as recovery
from recovery.models import EmailOptOut
from shop.models import OutboxTask
from storefront.services import staff_variant_update
from tests.factories import CartFactory, CartLineFactory, UserFactory, VariantFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db

SITE = "http://shop.test"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.PRICE_DROP_ALERT_PERCENT = 5


def sold_out(**kwargs):
    return VariantFactory(stock_on_hand=0, **kwargs)


def to(address):
    return [m for m in mail.outbox if m.to == [address]]


def confirm_link(message) -> str:
    return re.search(r"/alerts/confirm/[^/\s]+/", message.body).group(0)


def restock(variant, quantity, callbacks):
    with callbacks(execute=True):
        stock_set(variant_id=variant.pk, quantity=quantity)


# --- back in stock -----------------------------------------------------------------------


def test_a_shopper_is_emailed_once_when_the_variant_comes_back(
    django_capture_on_commit_callbacks,
):
    variant = sold_out(product__name="Copper Kettle", name="Large")
    shopper = UserFactory(email="ada@example.com")
    result = services.stock_alert_request(variant_id=variant.pk, user=shopper)
    assert result.confirmed and result.created and not mail.outbox

    restock(variant, 4, django_capture_on_commit_callbacks)
    restock(variant, 9, django_capture_on_commit_callbacks)  # more stock: the alert has ended

    [email] = to("ada@example.com")
    assert "Copper Kettle is back in stock" in email.subject
    assert f"{SITE}/products/{variant.product.slug}/?variant=large" in email.body
    assert StockAlert.objects.get().ended_at is not None


def test_asking_twice_keeps_one_alert_and_an_in_stock_variant_is_refused():
    variant = sold_out()
    shopper = UserFactory()
    services.stock_alert_request(variant_id=variant.pk, user=shopper)
    again = services.stock_alert_request(variant_id=variant.pk, user=shopper)
    assert not again.created and StockAlert.objects.count() == 1

    with pytest.raises(VariantInStockError):
        services.stock_alert_request(variant_id=VariantFactory(stock_on_hand=3).pk, user=shopper)
    archived = sold_out(status=Variant.Status.ARCHIVED)
    with pytest.raises(VariantNotFoundError):
        services.stock_alert_request(variant_id=archived.pk, user=shopper)


def test_a_guest_is_never_emailed_before_confirming_and_once_after(
    django_capture_on_commit_callbacks,
):
    variant = sold_out(product__name="Copper Kettle")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.stock_alert_request(
            variant_id=variant.pk, email=" Grace@Example.com ", site_url="http://x"
        )
    assert not result.confirmed
    [confirmation] = to("grace@example.com")
    assert "confirm" in confirmation.subject.lower()

    restock(variant, 5, django_capture_on_commit_callbacks)
    assert len(to("grace@example.com")) == 1  # only the confirmation: it is not confirmed
    restock(variant, 0, django_capture_on_commit_callbacks)

    token = confirm_link(confirmation).split("/")[-2]
    services.stock_alert_confirm(token=token)
    services.stock_alert_confirm(token=token)  # a second click changes nothing
    restock(variant, 2, django_capture_on_commit_callbacks)

    assert [m.subject for m in to("grace@example.com")][1:] == [
        "Northwind Goods: Copper Kettle is back in stock"
    ]


def test_confirming_after_the_variant_is_back_sends_it_at_once(
    django_capture_on_commit_callbacks,
):
    variant = sold_out()
    result = services.stock_alert_request(variant_id=variant.pk, email="grace@example.com")
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=3)  # a sync no signal told of

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = services.stock_alert_confirm(
            token=services.stock_alert_confirmation_token(result.alert)
        )

    assert confirmed.in_stock
    assert ["back in stock" in m.subject for m in to("grace@example.com")] == [True]


def test_an_unsubscribed_address_gets_nothing(django_capture_on_commit_callbacks):
    variant = sold_out()
    shopper = UserFactory(email="ada@example.com")
    services.stock_alert_request(variant_id=variant.pk, user=shopper)
    EmailOptOut.objects.create(email="ada@example.com", kind="back_in_stock")

    restock(variant, 4, django_capture_on_commit_callbacks)

    assert not mail.outbox
    assert StockAlert.objects.get().ended_at is not None  # the alert is over all the same


def test_alerts_go_in_batches_each_email_once(django_capture_on_commit_callbacks):
    variant = sold_out()
    for _ in range(5):
        services.stock_alert_request(variant_id=variant.pk, user=UserFactory())
    stock_set(variant_id=variant.pk, quantity=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.stock_alerts_notify(batch_size=2) == 5
        assert services.stock_alerts_notify(batch_size=2) == 0  # the beat job, later

    batches = OutboxTask.objects.filter(name=services.SEND_TASK)
    assert sorted(len(row.kwargs["alert_ids"]) for row in batches) == [1, 2, 2]
    assert len(mail.outbox) == 5 and len({m.to[0] for m in mail.outbox}) == 5
    # A batch delivered twice sends nothing twice.
    from alerts.tasks import stock_alerts_send_task

    assert stock_alerts_send_task.apply(args=[batches[0].kwargs["alert_ids"]]).get() == 0
    assert len(mail.outbox) == 5


def test_stock_back_from_the_admin_the_staff_api_and_a_cancelled_order(
    django_capture_on_commit_callbacks, shipping_methods
):
    from_admin, from_api, from_cancel = VariantFactory.create_batch(3, stock_on_hand=0)
    shopper = UserFactory(email="ada@example.com")
    Variant.objects.filter(pk=from_cancel.pk).update(stock_on_hand=1)
    order = start(guest_cart((from_cancel, 1))).order  # holds the last one
    for variant in (from_admin, from_api, from_cancel):
        services.stock_alert_request(variant_id=variant.pk, user=shopper)

    with django_capture_on_commit_callbacks(execute=True):
        from_admin.stock_on_hand = 2
        from_admin.save()  # what the admin's forms do
    with django_capture_on_commit_callbacks(execute=True):
        staff_variant_update(variant_id=from_api.pk, stock=3)
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel(order_id=order.pk, reason="expired")

    assert len(to("ada@example.com")) == 3
    assert not StockAlert.objects.filter(ended_at__isnull=True).exists()


def test_every_alert_email_has_a_one_click_unsubscribe_that_needs_no_login(
    django_capture_on_commit_callbacks,
):
    variant = sold_out()
    services.stock_alert_request(variant_id=variant.pk, user=UserFactory(email="ada@example.com"))
    restock(variant, 1, django_capture_on_commit_callbacks)
    [email] = mail.outbox
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"{SITE}/cart/unsubscribe/")

    answer = Client(enforce_csrf_checks=True).post(url.removeprefix(SITE))

    assert answer.status_code == 200
    assert EmailOptOut.objects.filter(email="ada@example.com", kind="back_in_stock").exists()
    # Only that kind: cart reminders still go.
    assert not EmailOptOut.objects.filter(kind="cart_reminders").exists()


# --- price drops -------------------------------------------------------------------------


def wish(user, variant):
    wishlist_add(owner=CartOwner(user=user), variant_id=variant.pk, source="test")


def reprice(variant, price):
    staff_variant_update(variant_id=variant.pk, price=Decimal(price))


def queue(django_capture_on_commit_callbacks, now=None):
    with django_capture_on_commit_callbacks(execute=True):
        return services.price_drops_queue(now=now)


def test_a_drop_of_five_percent_is_emailed_once_a_day_listing_the_drops(
    django_capture_on_commit_callbacks,
):
    kettle = VariantFactory(price=Decimal("100.00"), product__name="Copper Kettle")
    mug = VariantFactory(price=Decimal("20.00"), product__name="Stoneware Mug")
    ada = UserFactory(email="ada@example.com")
    wish(ada, kettle)
    wish(ada, mug)
    reprice(kettle, "95.00")
    reprice(mug, "19.50")  # 2.5 %: under the threshold

    assert queue(django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert "Copper Kettle" in email.body and "$100.00 -> $95.00" in email.body
    assert "Stoneware Mug" not in email.body
    assert email.extra_headers["List-Unsubscribe"].startswith(f"<{SITE}/cart/unsubscribe/")

    # The same drop is told once; a new one the same day waits for tomorrow.
    assert queue(django_capture_on_commit_callbacks) == 0
    reprice(mug, "15.00")
    assert queue(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 1
    assert queue(django_capture_on_commit_callbacks, now=timezone.now() + timedelta(days=1)) == 1
    assert "Stoneware Mug" in mail.outbox[1].body and "Copper Kettle" not in mail.outbox[1].body


def test_a_small_drop_a_guest_wishlist_and_a_shopper_who_said_no_get_nothing(
    django_capture_on_commit_callbacks,
):
    variant = VariantFactory(price=Decimal("100.00"))
    ada, bob = UserFactory(), UserFactory()
    wish(ada, variant)
    wish(bob, variant)
    wishlist_add(owner=guest_cart(), variant_id=variant.pk, source="test")
    services.notification_preferences_set(user=bob, wanted={"price_drop": False})

    reprice(variant, "95.01")
    assert queue(django_capture_on_commit_callbacks) == 0
    reprice(variant, "80.00")
    assert queue(django_capture_on_commit_callbacks) == 1

    assert [m.to for m in mail.outbox] == [[ada.email]]


def test_small_drops_add_up_from_the_price_the_shopper_knew(django_capture_on_commit_callbacks):
    variant = VariantFactory(price=Decimal("100.00"))
    ada = UserFactory()
    wish(ada, variant)
    reprice(variant, "97.00")
    assert queue(django_capture_on_commit_callbacks) == 0
    reprice(variant, "94.00")
    assert queue(django_capture_on_commit_callbacks) == 1
    assert "$100.00 -> $94.00" in mail.outbox[0].body


# --- preferences -------------------------------------------------------------------------


def test_preferences_start_on_and_are_honoured_by_cart_reminders(settings):
    settings.CART_ABANDON_AFTER_HOURS = 1
    ada = UserFactory(email="ada@example.com")
    assert services.notification_preferences_get(user=ada) == {
        "back_in_stock": True,
        "price_drop": True,
        "cart_reminders": True,
    }
    services.notification_preferences_set(user=ada, wanted={"cart_reminders": False})
    cart = CartFactory(user=ada)
    CartLineFactory(cart=cart)
    Cart.objects.filter(pk=cart.pk).update(last_activity_at=timezone.now() - timedelta(hours=2))

    assert recovery.carts_remind_abandoned() == 0
    assert services.notification_preferences_get(user=ada)["cart_reminders"] is False

    services.notification_preferences_set(user=ada, wanted={"cart_reminders": True})
    assert services.notification_preferences_get(user=ada)["cart_reminders"] is True


def test_a_shopper_who_turned_alerts_off_is_told_and_gets_nothing(
    django_capture_on_commit_callbacks,
):
    variant = sold_out()
    ada = UserFactory()
    services.notification_preferences_set(user=ada, wanted={"back_in_stock": False})
    assert services.stock_alert_request(variant_id=variant.pk, user=ada).muted
    restock(variant, 3, django_capture_on_commit_callbacks)
    assert not mail.outbox
