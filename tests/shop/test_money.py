from decimal import Decimal

from django.utils import translation

from shop.money import format_money, quantize_money


def test_money_is_formatted_for_the_locale():
    with translation.override("en-us"):
        assert format_money(Decimal("499.99")) == "$499.99"
        assert format_money(Decimal("1499.97")) == "$1,499.97"
    assert format_money(Decimal("1499.97"), locale="de_DE") == "1.499,97\xa0$"


def test_money_rounds_half_up_to_the_currency_minor_unit():
    assert quantize_money(Decimal("10.005")) == Decimal("10.01")
    assert quantize_money(Decimal("10.004")) == Decimal("10.00")
    assert quantize_money(Decimal("5"), "JPY") == Decimal("5")


def test_money_keeps_its_order_inside_right_to_left_text():
    with translation.override("ar"):
        text = format_money(Decimal("359.00"))

    assert text.startswith("\u2068") and text.endswith("\u2069")
    assert "359" in text


def test_arabic_money_keeps_its_currency_symbol_whole():
    # CLDR's Arabic pattern puts "US$" after the number; isolated, it shows "US$ 349.00"
    # instead of "$US 349.00" (the browser test in tests/browser/test_rtl.py looks at it).
    with translation.override("ar"):
        text = format_money(Decimal("349.00"))
    assert text == "\u2068\u200f349.00\xa0\u2068US$\u2069\u2069"
    with translation.override("de"):
        assert format_money(Decimal("349.00")) == "349,00\xa0$"
