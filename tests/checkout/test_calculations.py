from decimal import Decimal

import pytest

from checkout.calculations import discount_for, shipping_for, split_tax
from shop.money import totals_for

D = Decimal


def test_percentage_discount_is_rounded_once_and_never_exceeds_the_subtotal():
    assert discount_for(kind="percent", value=D("15"), subtotal=D("33.33")) == D("5.00")
    assert discount_for(kind="percent", value=D("100"), subtotal=D("10.00")) == D("10.00")
    assert discount_for(kind="fixed", value=D("25.00"), subtotal=D("10.00")) == D("10.00")


def test_shipping_is_free_from_the_threshold_on_the_discounted_subtotal():
    assert shipping_for(
        price=D("5.00"), free_over=D("75.00"), discounted_subtotal=D("74.99")
    ) == D("5.00")
    assert shipping_for(price=D("5.00"), free_over=D("75.00"), discounted_subtotal=D("75.00")) == 0
    assert shipping_for(price=D("15.00"), free_over=None, discounted_subtotal=D("999")) == D(
        "15.00"
    )


def test_totals_tax_the_discounted_subtotal_plus_shipping(settings):
    settings.TAX_RATE = D("0.10")

    totals = totals_for(subtotal=D("100.00"), discount_total=D("10.00"), shipping=D("5.00"))

    assert (totals.estimated_tax, totals.total) == (D("9.50"), D("104.50"))


@pytest.mark.parametrize(
    ("line_totals", "tax"),
    [
        ([D("10.00"), D("10.00"), D("10.00")], D("1.00")),
        ([D("33.33"), D("0.01")], D("3.34")),
        ([D("0")], D("0.50")),
    ],
)
def test_split_tax_always_adds_up_to_the_tax_charged(line_totals, tax):
    shares = split_tax(line_totals=line_totals, tax=tax)

    assert sum(shares) == tax
    assert len(shares) == len(line_totals)


def test_split_tax_never_gives_a_line_negative_tax():
    # Ten lines sharing five cents: rounding each share on its own gave nine lines a cent
    # and the last one minus four.
    shares = split_tax(line_totals=[D("1.00")] * 10, tax=D("0.05"))

    assert sum(shares) == D("0.05")
    assert all(share >= 0 for share in shares)
    assert sorted(shares) == [D("0.00")] * 5 + [D("0.01")] * 5


def test_split_tax_follows_the_line_amounts():
    shares = split_tax(line_totals=[D("90.00"), D("9.00"), D("1.00")], tax=D("10.00"))

    assert shares == [D("9.00"), D("0.90"), D("0.10")]
