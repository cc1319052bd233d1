from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout import services
from checkout.exceptions import PromoCodeError
from checkout.models import Order, PromoCode, PromoRedemption
from tests.factories import PromoCodeFactory, StaffFactory, UserFactory
from tests.helpers import guest_cart, start

pytestmark = pytest.mark.django_db


@pytest.fixture
def cart(variant):
    return guest_cart((variant, 2))  # subtotal $80.00


def test_a_percentage_code_takes_its_share_in_any_case(cart, settings):
    settings.TAX_RATE = Decimal("0.10")
    PromoCodeFactory(code="WELCOME10", kind="percent", value=Decimal("10"))

    order = start(cart, promo_code="welcome10").order

    assert order.promo_code == "WELCOME10"
    assert order.discount_total == Decimal("8.00")
    # 80 - 8 = 72 is under the $75 free-shipping threshold
    assert order.shipping_total == Decimal("5.00")
    assert order.total == Decimal("84.70")


def test_a_fixed_code_takes_its_amount(cart):
    PromoCodeFactory(code="TENOFF", kind="fixed", value=Decimal("10.00"))

    order = start(cart, promo_code="TENOFF").order

    assert order.discount_total == Decimal("10.00")


@pytest.mark.parametrize(
    ("promo", "message"),
    [
        (None, "We don't know that promo code."),
        ({"is_active": False}, "This promo code has expired."),
        ({"ends_at": timezone.now() - timedelta(days=1)}, "This promo code has expired."),
        ({"starts_at": timezone.now() + timedelta(days=1)}, "This promo code isn't valid yet."),
        (
            {"min_subtotal": Decimal("100.00")},
            "This promo code needs a subtotal of at least $100.00.",
        ),
        ({"max_uses": 0}, "This promo code has been used up."),
    ],
)
def test_codes_that_do_not_apply_say_why(cart, promo, message):
    if promo is not None:
        PromoCodeFactory(code="CODE", **promo)

    with pytest.raises(PromoCodeError) as refused:
        start(cart, promo_code="CODE")

    assert refused.value.message == message


def test_limits_count_open_claims_and_paid_uses_and_give_back_cancelled_ones(variant):
    promo = PromoCodeFactory(code="ONCE", max_uses=1)
    first = start(guest_cart((variant, 1)), promo_code="ONCE").order

    with pytest.raises(PromoCodeError, match="used up"):
        start(guest_cart((variant, 1)), promo_code="ONCE")

    services.order_cancel(order_id=first.pk, reason="payment_failed")
    second = start(guest_cart((variant, 1)), promo_code="ONCE").order
    services.order_mark_paid(order_id=second.pk)

    promo.refresh_from_db()
    assert promo.times_used == 1
    assert PromoRedemption.objects.get(order=first).status == "released"
    assert PromoRedemption.objects.get(order=second).status == "redeemed"
    with pytest.raises(PromoCodeError, match="used up"):
        start(guest_cart((variant, 1)), promo_code="ONCE")


def test_the_per_customer_limit(variant):
    PromoCodeFactory(code="MINE", max_uses_per_customer=1)
    user = UserFactory()
    order = start(guest_cart((variant, 1)), promo_code="MINE", email=user.email).order
    services.order_mark_paid(order_id=order.pk)

    with pytest.raises(PromoCodeError, match="already used"):
        start(guest_cart((variant, 1)), promo_code="MINE", email=user.email.upper())
    other = start(guest_cart((variant, 1)), promo_code="MINE", email="other@example.com").order
    assert other.promo_code == "MINE"
    assert other.discount_total == Decimal("4.00")  # 10% of one $40.00 item


def test_codes_are_unique_in_any_case():
    PromoCodeFactory(code="SPRING")

    with pytest.raises(IntegrityError), transaction.atomic():
        PromoCode.objects.create(code="spring", value=5)


def test_an_order_takes_one_code_and_another_code_replaces_it(variant):
    PromoCodeFactory(code="SPRING", kind="fixed", value=Decimal("5.00"))
    summer = PromoCodeFactory(code="SUMMER", kind="fixed", value=Decimal("7.00"))
    owner = guest_cart((variant, 1))
    start(owner, promo_code="SPRING")

    order = start(owner, promo_code="SUMMER").order

    assert (order.promo_code, order.discount_total) == ("SUMMER", Decimal("7.00"))
    assert [r.promo.code for r in PromoRedemption.objects.filter(status="claimed")] == ["SUMMER"]
    with pytest.raises(IntegrityError), transaction.atomic():  # the database allows no second
        PromoRedemption.objects.create(promo=summer, order=order, email=order.email)


def test_replacing_a_checkout_gives_the_claim_back(variant):
    PromoCodeFactory(code="ONCE", max_uses=1)
    owner = guest_cart((variant, 1))

    start(owner, promo_code="ONCE")
    replaced = start(owner, promo_code="ONCE")

    assert replaced.order.promo_code == "ONCE"
    assert PromoRedemption.objects.filter(status="claimed").count() == 1


def test_the_quote_shows_the_discount_before_checkout(variant, client):
    PromoCodeFactory(code="WELCOME10")
    client.post("/cart/add/", {"variant_id": variant.pk, "quantity": 2})

    response = client.post(
        "/checkout/",
        {"action": "update", "promo_code": "welcome10", "shipping_method": "standard"},
    )

    assert "WELCOME10 applied." in response.text
    assert "−$8.00" in response.text


# --- a late payment for a cancelled order re-checks the code's limits -------------------


def paid_late_after_someone_else_used_the_code(variant, **limits):
    """A checkout with the code is cancelled (its claim given back), another order uses the
    code and is paid, then the payment for the first one arrives after all."""
    promo = PromoCodeFactory(code="ONCE", **limits)
    late = start(guest_cart((variant, 1)), promo_code="ONCE", email="ada@example.com").order
    services.order_cancel(order_id=late.pk, reason="expired")
    other = start(guest_cart((variant, 1)), promo_code="ONCE", email="ada@example.com").order
    services.order_mark_paid(order_id=other.pk)

    paid = services.order_mark_paid(order_id=late.pk, payment_intent="pi_late")

    promo.refresh_from_db()
    other.refresh_from_db()
    return paid, other, promo


@pytest.mark.parametrize("limits", [{"max_uses": 1}, {"max_uses_per_customer": 1}])
def test_a_late_payment_beyond_the_codes_limit_keeps_the_sale_and_flags_the_order(
    variant, client, limits
):
    paid, other, promo = paid_late_after_someone_else_used_the_code(variant, **limits)

    assert paid.status == Order.Status.PAID  # the shopper paid: the sale stands
    assert paid.discount_total == Decimal("4.00")
    assert paid.promo_over_limit and not other.promo_over_limit
    assert "over its limit" in paid.history.last().note
    # Counted, so the code's count says what was really used; the flag says why it is over.
    assert promo.times_used == 2
    assert PromoRedemption.objects.filter(promo=promo, status="redeemed").count() == 2
    client.force_login(StaffFactory())
    flagged = client.get("/admin/checkout/order/?promo_over_limit__exact=1").text
    assert paid.number in flagged and other.number not in flagged
    report = client.get("/admin/checkout/order/reconciliation/").text
    assert paid.number in report and "ONCE" in report and other.number not in report


def test_a_late_payment_within_the_codes_limit_is_not_flagged(variant):
    paid, _other, promo = paid_late_after_someone_else_used_the_code(variant, max_uses=2)

    assert paid.status == Order.Status.PAID and not paid.promo_over_limit
    assert promo.times_used == 2


def test_staff_clear_the_flag_once_reviewed(variant, client):
    paid, _other, _promo = paid_late_after_someone_else_used_the_code(variant, max_uses=1)
    client.force_login(StaffFactory())
    change_url = f"/admin/checkout/order/{paid.pk}/change/"
    page = client.get(change_url).context
    data = {k: v for k, v in page["adminform"].form.initial.items() if v is not None}
    for inline in page["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for form in inline.formset.forms:
            data[f"{form.prefix}-id"] = form.instance.pk
            data[f"{form.prefix}-order"] = paid.pk

    response = client.post(change_url, {**data, "promo_over_limit": ""}, follow=True)

    assert "was changed successfully" in response.text
    paid.refresh_from_db()
    assert not paid.promo_over_limit
    assert paid.number not in client.get("/admin/checkout/order/reconciliation/").text
