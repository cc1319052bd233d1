"""Translated names: the active language's translation, else the base name."""

from django.utils import translation

from shop.translations import clean_translations, localized, translation_languages


def test_a_name_shows_in_the_active_language_and_falls_back_to_its_base():
    names = {"de": "Küche", "ar": "المطبخ"}

    with translation.override("de"):
        assert localized("Kitchen", names) == "Küche"
    with translation.override("de-at"):
        assert localized("Kitchen", names) == "Küche"
    with translation.override("ar"):
        assert localized("Kitchen", names) == "المطبخ"
    with translation.override("en"):
        assert localized("Kitchen", names) == "Kitchen"
    with translation.override("de"):
        assert localized("Kitchen", {"ar": "المطبخ", "de": "  "}) == "Kitchen"
        assert localized("Kitchen", None) == "Kitchen"


def test_translations_are_kept_only_for_the_shops_other_languages():
    assert [code for code, _name in translation_languages()] == ["de", "ar"]
    assert clean_translations({"de": " Küche ", "ar": "", "fr": "Cuisine", "en": "x"}) == {
        "de": "Küche"
    }
    assert clean_translations(["de"]) == {}
