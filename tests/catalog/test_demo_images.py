"""The demo catalog's pictures look like the products (issue 14, point 17): each product is
drawn as itself with Pillow, on the machine, and the seed replaces the earlier demo's
initials-on-a-gradient pictures but never a picture staff uploaded."""

import io
import socket

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image, ImageChops

from catalog import demo, demo_images
from catalog.models import Product, ProductImage

DEMO_PRODUCTS = [
    (name, colour, variants[0][0] if option == "colour" else "")
    for _category, _code, colour, _description, products in demo.CATALOG
    for name, _description, option, variants in products
]


def _picture(name, colour, colour_name=""):
    return Image.open(io.BytesIO(demo_images.render_product_image(name, colour, colour_name)))


def test_every_demo_product_has_a_drawing_of_its_own():
    assert [name for name, _c, _n in DEMO_PRODUCTS if name not in demo_images.DRAWINGS] == []
    drawings = {demo_images.DRAWINGS[name] for name, _c, _n in DEMO_PRODUCTS}
    assert len(drawings) == len(DEMO_PRODUCTS)


def test_a_picture_is_the_product_standing_on_a_table_not_a_full_bleed_badge(monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("the demo pictures are drawn here, never downloaded")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    demo_images.render_product_image.cache_clear()
    for name, colour, colour_name in DEMO_PRODUCTS:
        picture = _picture(name, colour, colour_name)
        empty = demo_images.Sketch(colour).image.reduce(demo_images.SCALE)

        assert picture.format == "PNG" and picture.size == (1200, 1200)
        changed = ImageChops.difference(picture.convert("RGB"), empty).convert("L")
        mask = changed.point(lambda v: 255 if v > 12 else 0)
        share = sum(mask.histogram()[255:]) / (1200 * 1200)
        # The thing and its shadow: more than a speck, far less than the frame (a wall and a table
        # stay visible around it), and nothing in the picture's corners.
        assert 0.04 < share < 0.55, (name, share)
        for corner in ((0, 0, 60, 60), (1140, 0, 1200, 60)):
            assert mask.crop(corner).getbbox() is None, name


def test_a_variant_colour_colours_the_product():
    cream = _picture("Stand Mixer", (196, 94, 62), "Cream").convert("RGB")
    red = _picture("Stand Mixer", (196, 94, 62), "Red").convert("RGB")

    assert ImageChops.difference(cream, red).getbbox() is not None


@pytest.mark.django_db
def test_the_seed_redraws_the_earlier_demo_pictures_but_keeps_staff_uploads():
    call_command("seed_demo", verbosity=0)
    mixer = ProductImage.objects.get(product__slug="stand-mixer")
    kettle_like = ProductImage.objects.get(product__slug="aurora-espresso-machine")
    # As an earlier demo left it: the initials picture, named after the slug alone.
    default_storage.delete("products/stand-mixer.png")
    old_name = default_storage.save("products/stand-mixer.png", ContentFile(b"initials"))
    mixer.image = old_name
    mixer.save()
    staff_name = default_storage.save("products/our-own-photo.jpg", ContentFile(b"photo"))
    kettle_like.image = staff_name
    kettle_like.save()

    call_command("seed_demo", verbosity=0)

    mixer.refresh_from_db()
    kettle_like.refresh_from_db()
    assert mixer.image.name == "products/stand-mixer-still-life.png"
    assert Image.open(mixer.image.path).size == (1200, 1200)
    assert not default_storage.exists(old_name)
    assert kettle_like.image.name == staff_name
    assert Product.objects.filter(images__isnull=True).count() == 0
