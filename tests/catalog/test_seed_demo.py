import re

import pytest
from django.core.management import call_command

from catalog.models import Category, Product, Variant
from shop.models import User

pytestmark = pytest.mark.django_db


def _catalog_snapshot():
    return sorted(
        Variant.objects.values_list(
            "sku", "product__slug", "product__category__slug", "name", "price", "stock_on_hand"
        )
    )


def test_seed_demo_loads_a_realistic_catalog_with_demo_logins(capsys, settings):
    settings.DEBUG = True  # as `make run` has it
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert Category.objects.count() == 5
    assert 35 <= Product.objects.filter(status=Product.Status.ACTIVE).count() <= 45
    per_product = [p.variants.count() for p in Product.objects.all()]
    assert min(per_product) >= 1 and max(per_product) <= 4
    assert Variant.objects.filter(stock_on_hand=0).count() == 1
    assert Variant.objects.filter(stock_on_hand__gt=0, stock_on_hand__lte=5).count() >= 3
    assert all(p.images.exists() for p in Product.objects.all())
    assert User.objects.get(email="staff@example.com").is_staff
    assert not User.objects.get(email="shopper@example.com").is_staff
    assert "shopper@example.com / shopper-demo-1" in out
    assert "staff@example.com / staff-demo-1" in out
    assert "Demo shopper's loyalty points: 1000" in out


def test_seed_demo_twice_gives_the_same_catalog(capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _catalog_snapshot()

    call_command("seed_demo")

    assert _catalog_snapshot() == first
    assert User.objects.count() == 2
    assert "already loaded" in capsys.readouterr().out
    from loyalty.models import PointsEntry

    assert PointsEntry.objects.get().points == 1000  # welcome points given once


def test_seed_demo_leaves_staff_changes_alone():
    call_command("seed_demo")
    Variant.objects.filter(sku="KIT-01-DEFAULT").update(stock_on_hand=7, price="450.00")

    call_command("seed_demo")

    variant = Variant.objects.get(sku="KIT-01-DEFAULT")
    assert (variant.stock_on_hand, str(variant.price)) == (7, "450.00")


def test_without_debug_seed_demo_creates_no_accounts(capsys, settings):
    settings.DEBUG = False

    call_command("seed_demo")

    out = capsys.readouterr().out
    assert Product.objects.exists()
    assert not User.objects.exists()
    assert "--demo-accounts" in out
    assert "staff-demo-1" not in out and "shopper-demo-1" not in out


def test_with_the_flag_and_debug_off_the_accounts_get_random_passwords_printed_once(
    capsys, settings
):
    settings.DEBUG = False

    call_command("seed_demo", "--demo-accounts")
    first = capsys.readouterr().out
    call_command("seed_demo", "--demo-accounts")
    second = capsys.readouterr().out

    staff = User.objects.get(email="staff@example.com")
    shopper = User.objects.get(email="shopper@example.com")
    assert staff.is_staff and not shopper.is_staff
    assert not staff.check_password("staff-demo-1")
    assert not shopper.check_password("shopper-demo-1")
    printed = dict(re.findall(r"(\S+@example\.com) / (\S+)", first))
    assert staff.check_password(printed["staff@example.com"])
    assert shopper.check_password(printed["shopper@example.com"])
    assert re.findall(r"\S+@example\.com / \S+", second) == []  # printed once
    assert User.objects.count() == 2


def test_with_the_flag_an_account_left_on_the_documented_password_gets_a_random_one(
    capsys, settings
):
    settings.DEBUG = True
    call_command("seed_demo")  # a database seeded in development, later deployed
    settings.DEBUG = False

    call_command("seed_demo", "--demo-accounts")

    out = capsys.readouterr().out
    staff = User.objects.get(email="staff@example.com")
    assert not staff.check_password("staff-demo-1")
    new = dict(re.findall(r"(\S+@example\.com) / (\S+)", out.split("Demo logins")[-1]))
    assert staff.check_password(new["staff@example.com"])


def test_seed_demo_gives_three_products_line_fields_once():
    from catalog.models import ProductLineField

    call_command("seed_demo")
    call_command("seed_demo")

    fields = {
        (f.product.name, f.key, f.kind, tuple(f.choices))
        for f in ProductLineField.objects.select_related("product")
    }
    assert fields == {
        ("Chef's Knife 8 inch", "engraving", "text", ()),
        ("Soy Wax Candle", "gift_wrap", "choice", ("Kraft paper and twine", "Linen cloth")),
        ("Gift Card", "recipient_email", "text", ()),
        ("Gift Card", "message", "text", ()),
    }
