"""Staff translate category and option names in admin (issue 14, point 12)."""

import pytest
from django.core.management import call_command
from django.utils import translation

from catalog.models import Category, OptionName, Variant, variant_display_name
from tests.factories import CategoryFactory

pytestmark = pytest.mark.django_db


def test_staff_enter_translated_names_for_a_category(staff_client):
    form = staff_client.get("/admin/catalog/category/add/").text
    assert 'name="name_de"' in form and 'name="name_ar"' in form

    response = staff_client.post(
        "/admin/catalog/category/add/",
        {
            "name": "Kitchen",
            "name_de": "Küche",
            "name_ar": "المطبخ",
            "slug": "kitchen",
            "description": "",
            "position": "0",
        },
    )

    assert response.status_code == 302
    category = Category.objects.get(slug="kitchen")
    assert category.name_translations == {"de": "Küche", "ar": "المطبخ"}
    with translation.override("ar"):
        assert category.display_name == "المطبخ"


def test_emptying_a_translated_name_falls_back_to_the_name(staff_client):
    category = CategoryFactory(name="Kitchen", name_translations={"de": "Küche", "ar": "المطبخ"})

    staff_client.post(
        f"/admin/catalog/category/{category.pk}/change/",
        {"name": "Kitchen", "name_de": "", "name_ar": "المطبخ", "slug": category.slug,
         "description": "", "position": "0"},
    )  # fmt: skip

    category.refresh_from_db()
    assert category.name_translations == {"ar": "المطبخ"}
    with translation.override("de"):
        assert category.display_name == "Kitchen"


def test_staff_name_an_option_in_each_language(staff_client):
    assert staff_client.get("/admin/catalog/optionname/").status_code == 200

    response = staff_client.post(
        "/admin/catalog/optionname/add/",
        {"key": " Material ", "key_de": "Material", "key_ar": "الخامة"},
    )

    assert response.status_code == 302
    option = OptionName.objects.get(key="material")
    with translation.override("ar"):
        assert option.display_name == "الخامة"


def test_the_shops_own_option_names_come_translated():
    names = {o.key: o.name_translations for o in OptionName.objects.all()}

    assert names["size"] == {"de": "Größe", "ar": "المقاس"}
    assert names["colour"] == {"de": "Farbe", "ar": "اللون"}


def test_the_default_variant_is_translated_and_other_variant_names_are_not():
    with translation.override("de"):
        assert variant_display_name("Default") == "Standard"
        assert variant_display_name("10 inch") == "10 inch"
        assert Variant(name="Default").display_name == "Standard"
    with translation.override("ar"):
        assert variant_display_name("Default") == "قياسي"


def test_the_demo_categories_come_translated_and_an_older_demo_gets_them(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    kitchen = Category.objects.get(slug="kitchen")
    assert kitchen.name_translations == {"de": "Küche", "ar": "المطبخ"}

    Category.objects.update(name_translations={})
    Category.objects.filter(slug="home").update(name="Living")  # renamed by staff: left alone
    call_command("seed_demo")

    assert Category.objects.get(slug="kitchen").name_translations["de"] == "Küche"
    assert Category.objects.get(slug="home").name_translations == {}
