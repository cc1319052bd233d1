"""The line property rule (catalog/properties.py): what a shopper may say about an item."""

from types import SimpleNamespace

import pytest

from catalog.exceptions import (
    LinePropertyChoiceError,
    LinePropertyRequiredError,
    LinePropertyTextError,
    LinePropertyTooLongError,
    LinePropertyUnknownError,
)
from catalog.properties import line_field_problem, line_properties_clean, properties_key


def text(key="engraving", label="Engraving", required=False, max_length=20):
    return SimpleNamespace(
        key=key, label=label, kind="text", required=required, max_length=max_length, choices=[]
    )


def choice(key="gift_wrap", label="Gift wrap", required=False, choices=("Kraft", "Linen")):
    return SimpleNamespace(
        key=key, label=label, kind="choice", required=required, max_length=100, choices=choices
    )


def clean(fields, properties):
    return line_properties_clean(fields=fields, properties=properties, variant_id=7)


def test_values_are_trimmed_keys_sorted_and_empty_optional_values_left_out():
    fields = [text(), choice(), text(key="from_line", label="From")]

    cleaned = clean(fields, {"gift_wrap": " Linen ", "engraving": "  For Ada ", "from_line": " "})

    assert list(cleaned.values.items()) == [("engraving", "For Ada"), ("gift_wrap", "Linen")]
    # Shown in the product's field order, with the labels.
    assert [(p["label"], p["value"]) for p in cleaned.display] == [
        ("Engraving", "For Ada"),
        ("Gift wrap", "Linen"),
    ]


def test_the_same_words_make_the_same_key_whatever_the_spacing_or_unicode_form():
    fields = [text(), choice()]

    first = clean(fields, {"engraving": "Zoë", "gift_wrap": "Kraft"})
    second = clean(fields, {"gift_wrap": "Kraft ", "engraving": " Zoe\u0308"})  # decomposed ë

    assert first.key == second.key != ""
    assert clean(fields, {}).key == "" == properties_key({})
    assert clean(fields, {"engraving": "Zoe"}).key != first.key


def test_a_missing_required_field_names_it():
    with pytest.raises(LinePropertyRequiredError) as refused:
        clean([text(required=True)], {"engraving": "   "})

    assert refused.value.field == "properties.engraving"
    assert refused.value.code == "property_required"
    assert refused.value.message == "Please fill in Engraving."
    assert refused.value.details["variant_id"] == 7


def test_a_value_over_its_length_names_the_field_and_the_maximum():
    clean([text(max_length=5)], {"engraving": "12345"})

    with pytest.raises(LinePropertyTooLongError) as refused:
        clean([text(max_length=5)], {"engraving": "123456"})

    assert refused.value.field == "properties.engraving"
    assert refused.value.message == "Engraving can be at most 5 characters."


def test_a_choice_must_be_one_of_its_options():
    with pytest.raises(LinePropertyChoiceError) as refused:
        clean([choice()], {"gift_wrap": "Gold foil"})

    assert refused.value.field == "properties.gift_wrap"


@pytest.mark.parametrize("value", ["a\x00b", "tab\tin", "line\nbreak", 42, ["x"], {"a": "b"}])
def test_a_value_is_text_without_control_characters(value):
    with pytest.raises(LinePropertyTextError) as refused:
        clean([text()], {"engraving": value})

    assert refused.value.field == "properties.engraving"


def test_a_key_the_product_does_not_have_is_refused():
    with pytest.raises(LinePropertyUnknownError) as refused:
        clean([text()], {"monogram": "AL"})

    assert refused.value.field == "properties.monogram"

    with pytest.raises(LinePropertyUnknownError):
        clean([], {"engraving": "AL"})  # a product without line fields takes none


def test_staff_choices_are_checked_for_their_kind():
    assert line_field_problem(kind="choice", choices=["Kraft", "Linen"]) is None
    assert line_field_problem(kind="text", choices=[]) is None
    assert line_field_problem(kind="choice", choices=[])
    assert line_field_problem(kind="choice", choices=["Kraft", "Kraft"])
    assert line_field_problem(kind="choice", choices=[" Kraft"])
    assert line_field_problem(kind="choice", choices=["x" * 101])
    assert line_field_problem(kind="text", choices=["Kraft"])
