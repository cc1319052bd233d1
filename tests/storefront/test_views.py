import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from catalog.models import Product
from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory, VariantFactory

pytestmark = pytest.mark.django_db


def test_home_shows_new_products_and_categories(client):
    product = ProductFactory(name="Copper Kettle", category=CategoryFactory(name="Kitchen"))

    response = client.get("/")

    assert response.status_code == 200
    assert "Copper Kettle" in response.text
    assert "Kitchen" in response.text
    assert 'data-testid="cart-count">0<' in response.text
    assert product.get_absolute_url() in response.text


def test_product_list_paginates(client, settings):
    settings.PRODUCTS_PER_PAGE = 5
    for i in range(12):
        ProductFactory(name=f"Thing {i:02d}")

    first = client.get("/products/")
    last = client.get("/products/?page=3")
    beyond = client.get("/products/?page=99")
    junk = client.get("/products/?page=abc")

    assert _current_page(first) == "1" and "Thing 00" in first.text
    assert "Thing 10" in last.text and "Thing 00" not in last.text
    assert _current_page(beyond) == "3"
    assert _current_page(junk) == "1"


def _current_page(response) -> str:
    nav = response.text.split('<nav class="pagination"', 1)[1]
    link = re.search(r'<a[^>]*aria-current="page"[^>]*>(.*?)</a>', nav, re.S).group(1)
    return re.sub(r"<[^>]+>|Page", "", link).strip()


def test_product_list_searches_and_filters_by_category(client):
    shoes = CategoryFactory(name="Shoes", slug="shoes")
    ProductFactory(name="Trail Runner", category=shoes)
    ProductFactory(name="Road Runner")
    ProductFactory(name="Sun Hat", category=shoes)

    searched = client.get("/products/", {"q": "runner"})
    filtered = client.get("/products/", {"category": "shoes"})
    both = client.get("/products/", {"q": "runner", "category": "shoes"})

    assert "Trail Runner" in searched.text and "Road Runner" in searched.text
    assert "Sun Hat" not in searched.text
    assert "Trail Runner" in filtered.text and "Road Runner" not in filtered.text
    assert "Trail Runner" in both.text and "Sun Hat" not in both.text


def test_product_list_shows_a_friendly_message_when_nothing_matches(client):
    response = client.get("/products/", {"q": "unicorn"})

    assert response.status_code == 200
    assert "No products match your search." in response.text


def test_product_list_hides_draft_and_archived(client):
    ProductFactory(name="Visible Vase")
    ProductFactory(name="Secret Draft", status=Product.Status.DRAFT)
    ProductFactory(name="Old Archived", status=Product.Status.ARCHIVED)

    response = client.get("/products/")

    assert "Visible Vase" in response.text
    assert "Secret Draft" not in response.text
    assert "Old Archived" not in response.text


def test_product_list_query_count_does_not_grow_with_the_page(client, settings):
    settings.PRODUCTS_PER_PAGE = 100

    def queries_for(count):
        Product.objects.all().delete()
        for _ in range(count):
            ProductImageFactory(product=ProductFactory())
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/products/").status_code == 200
        return len(ctx.captured_queries)

    assert queries_for(10) == queries_for(100)


def test_product_detail_shows_name_price_stock_and_buy_controls(client):
    product = ProductFactory(name="Aurora Espresso Machine", variants=0)
    VariantFactory(product=product, price="499.99", stock_on_hand=30)

    response = client.get(f"/products/{product.slug}/")

    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Aurora Espresso Machine</h1>", response.text)
    assert "$499.99" in response.text
    assert re.search(r'data-testid="stock-status"[^>]*>In stock<', response.text)
    for test_id in ("quantity-input", "add-to-cart"):
        assert f'data-testid="{test_id}"' in response.text


@pytest.mark.parametrize(
    ("stock", "label"), [(30, "In stock"), (3, "Only 3 left"), (0, "Out of stock")]
)
def test_product_detail_stock_status(client, settings, stock, label):
    settings.LOW_STOCK_THRESHOLD = 5
    product = ProductFactory(variants__stock_on_hand=stock)

    response = client.get(f"/products/{product.slug}/")

    assert re.search(rf'data-testid="stock-status"[^>]*>{label}<', response.text)
    assert (
        "disabled"
        in re.search(r'<button[^>]*data-testid="add-to-cart"[^>]*>', response.text).group(0)
    ) == (stock == 0)


def test_product_detail_offers_each_variant_and_preselects_from_the_url(client):
    product = ProductFactory(name="Tee", variants=0)
    VariantFactory(product=product, name="Small", price="20.00", option_values={"size": "S"})
    VariantFactory(product=product, name="Large", price="24.00", option_values={"size": "L"})

    plain = client.get(f"/products/{product.slug}/")
    chosen = client.get(f"/products/{product.slug}/?variant=large")

    assert 'data-testid="variant-small"' in plain.text
    assert 'data-testid="variant-large"' in plain.text
    assert "From $20.00" in plain.text
    assert "Choose a size" in plain.text
    assert re.search(r'data-testid="product-price"[^>]*>\$24\.00<', chosen.text)


def test_product_detail_is_404_for_drafts_and_unknown_slugs(client):
    draft = ProductFactory(status=Product.Status.DRAFT)

    assert client.get(f"/products/{draft.slug}/").status_code == 404
    assert client.get("/products/nope/").status_code == 404


# --- issue 14, point 14: unknown categories, long queries, empty results -----------------


def test_an_unknown_category_is_the_shops_404_page(client):
    ProductFactory(name="Copper Kettle", category=CategoryFactory(slug="kitchen"))

    unknown = client.get("/products/", {"category": "nope"})
    searched = client.get("/products/", {"category": "nope", "q": "kettle"})

    assert unknown.status_code == 404 and searched.status_code == 404
    assert "We can’t find that page" in unknown.text
    assert "All products" not in unknown.text.split("<main", 1)[1]


def test_a_known_category_with_nothing_on_sale_is_an_empty_page(client):
    CategoryFactory(name="Garden", slug="garden")

    response = client.get("/products/", {"category": "garden"})

    assert response.status_code == 200
    assert re.search(r"<h1[^>]*>Garden</h1>", response.text)


def test_a_very_long_query_is_cut_short_in_the_heading_and_title(client):
    query = "x" * 3000

    response = client.get("/products/", {"q": query})

    assert response.status_code == 200
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", response.text, re.S).group(1)
    title = re.search(r"<title>(.*?)</title>", response.text, re.S).group(1)
    assert len(heading) < 120 and "…" in heading
    assert len(title) < 120


def test_no_results_suggest_the_categories(client):
    ProductFactory(name="Copper Kettle", category=CategoryFactory(name="Kitchen", slug="kitchen"))
    ProductFactory(name="Wool Hat", category=CategoryFactory(name="Apparel", slug="apparel"))

    response = client.get("/products/", {"q": "unicorn"})

    assert "No products match your search." in response.text
    suggestions = response.text.split('data-testid="category-suggestions"', 1)[1]
    assert 'href="/products/?category=kitchen"' in suggestions
    assert 'href="/products/?category=apparel"' in suggestions


def test_no_results_in_a_category_offer_the_search_everywhere(client):
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    ProductFactory(name="Copper Kettle", category=kitchen)
    ProductFactory(name="Wool Hat", category=CategoryFactory(name="Apparel", slug="apparel"))

    response = client.get("/products/", {"q": "hat", "category": "kitchen"})

    assert "Wool Hat" not in response.text
    assert 'href="/products/?q=hat"' in response.text


# --- issue 14, point 18: heading order on the product list ---------------------------------


def test_product_list_cards_are_headings_right_below_the_h1(client):
    ProductFactory(name="Copper Kettle")

    listed = client.get("/products/")
    home = client.get("/")

    assert re.search(r'<h2 class="product-card-name"[^>]*>Copper Kettle</h2>', listed.text)
    assert re.search(r'<h3 class="product-card-name"[^>]*>Copper Kettle</h3>', home.text)


# --- issue 14, point 16: sorting, numbered pages, sale prices, mixed new arrivals ----------


def _card_names(response) -> list[str]:
    return re.findall(r'class="product-card-name"[^>]*>([^<]+)<', response.text)


@pytest.fixture
def three_products():
    ProductFactory(name="Bronze Bowl", variants__price="30.00")
    ProductFactory(name="Clay Cup", variants__price="10.00")
    ProductFactory(name="Ash Tray", variants__price="20.00")
    Product.objects.filter(name="Clay Cup").update(position=1)
    Product.objects.filter(name="Bronze Bowl").update(position=2)


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Ash Tray", "Clay Cup", "Bronze Bowl"]),  # featured: staff's position, then name
        ("featured", ["Ash Tray", "Clay Cup", "Bronze Bowl"]),
        ("price-asc", ["Clay Cup", "Ash Tray", "Bronze Bowl"]),
        ("price-desc", ["Bronze Bowl", "Ash Tray", "Clay Cup"]),
        ("newest", ["Ash Tray", "Clay Cup", "Bronze Bowl"]),
        ("made-up", ["Ash Tray", "Clay Cup", "Bronze Bowl"]),
    ],
)
def test_product_list_sorts(client, three_products, sort, expected):
    response = client.get("/products/", {"sort": sort})

    assert response.status_code == 200
    assert _card_names(response) == expected


def test_the_sort_control_is_a_plain_get_form_keeping_the_search(client, three_products):
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    ProductFactory(name="Clay Pot", category=kitchen)
    ProductFactory(name="Clay Jug", category=kitchen)

    response = client.get("/products/", {"q": "clay", "category": "kitchen", "sort": "newest"})

    form = re.search(r'<form[^>]*class="sort-form".*?</form>', response.text, re.S).group(0)
    assert 'method="get"' in form
    assert '<input type="hidden" name="q" value="clay">' in form
    assert '<input type="hidden" name="category" value="kitchen">' in form
    assert re.search(r'<option value="newest" selected>', form)
    options = re.findall(r'<option value="([^"]+)"', form)
    assert options == ["relevance", "featured", "price-asc", "price-desc", "newest"]
    assert re.search(r'<button type="submit"[^>]*>Sort</button>', form)


def test_without_a_query_relevance_is_not_offered(client, three_products):
    response = client.get("/products/")

    options = re.findall(r'<option value="([^"]+)"', response.text)
    assert options[:4] == ["featured", "price-asc", "price-desc", "newest"]
    assert re.search(r'<option value="featured" selected>', response.text)


def test_numbered_pages_keep_the_search_category_and_sort(client, settings):
    settings.PRODUCTS_PER_PAGE = 1
    kitchen = CategoryFactory(name="Kitchen", slug="kitchen")
    for i in range(12):
        ProductFactory(name=f"Pan {i:02d}", category=kitchen)

    response = client.get(
        "/products/", {"q": "pan", "category": "kitchen", "sort": "price-asc", "page": 6}
    )

    nav = re.search(r'<nav class="pagination".*?</nav>', response.text, re.S).group(0)
    links = re.findall(r'href="\?([^"]+)"[^>]*>(?:<span[^>]*>[^<]*</span>)?\s*(\w+)', nav)
    pages = {label: query.replace("&amp;", "&") for query, label in links}
    assert set(pages) == {"1", "2", "5", "6", "7", "11", "12", "Previous", "Next"}
    assert pages["12"] == "q=pan&category=kitchen&sort=price-asc&page=12"
    assert pages["Previous"].endswith("page=5") and pages["Next"].endswith("page=7")
    assert _current_page(response) == "6"
    assert "…" in nav  # pages far from the current one are left out


def _espresso():
    product = ProductFactory(name="Aurora Espresso Machine", variants=0)
    VariantFactory(product=product, price="499.99", compare_at_price="579.00")
    return product


def test_cards_show_a_sale_badge_and_the_compare_at_price(client):
    _espresso()
    mixer = ProductFactory(name="Stand Mixer", variants=0)
    VariantFactory(product=mixer, name="Cream", price="349.00", compare_at_price="399.00")
    VariantFactory(product=mixer, name="Red", price="359.00")
    ProductFactory(name="Plain Mug", variants__price="9.00")
    # A compare-at price at or below the price is no discount.
    ProductFactory(name="Odd Kettle", variants__price="40.00", variants__compare_at_price="40.00")

    response = client.get("/products/")

    cards = dict(
        (re.search(r'class="product-card-name"[^>]*>([^<]+)<', card).group(1), card)
        for card in response.text.split('<article class="product-card')[1:]
    )
    espresso = cards["Aurora Espresso Machine"]
    assert "$499.99" in espresso
    assert re.search(r"<s[^>]*>.*\$579\.00\s*</s>", espresso, re.S)
    assert re.search(r'class="badge badge-sale"[^>]*>Sale<', espresso)
    assert "From $349.00" in cards["Stand Mixer"] and "$399.00" in cards["Stand Mixer"]
    assert "badge-sale" in cards["Stand Mixer"]
    for plain in ("Plain Mug", "Odd Kettle"):
        assert "badge-sale" not in cards[plain] and "compare-at" not in cards[plain]


def test_the_product_page_shows_the_sale(client):
    espresso = _espresso()
    mixer = ProductFactory(name="Stand Mixer", variants=0)
    VariantFactory(product=mixer, name="Cream", price="349.00", compare_at_price="399.00")
    VariantFactory(product=mixer, name="Red", price="359.00")

    single = client.get(f"/products/{espresso.slug}/")
    unchosen = client.get(f"/products/{mixer.slug}/")
    chosen = client.get(f"/products/{mixer.slug}/?variant=cream")

    assert re.search(r"<s[^>]*>.*\$579\.00\s*</s>", single.text, re.S)
    assert re.search(r'class="badge badge-sale"[^>]*>Sale<', single.text)
    assert "badge-sale" in unchosen.text and "<s " not in unchosen.text.split("<main", 1)[1]
    assert re.search(r"<s[^>]*>.*\$399\.00\s*</s>", chosen.text, re.S)


def test_new_arrivals_mix_the_categories(client):
    others = [CategoryFactory(name=f"Other {i}") for i in range(3)]
    for category in others:
        ProductFactory(name=f"Old {category.name}", category=category)
    busy = CategoryFactory(name="Busy")
    for i in range(8):
        ProductFactory(name=f"New {i}", category=busy)

    names = _card_names(client.get("/"))

    assert len(names) == 5
    assert sum(name.startswith("New") for name in names) == 2
    assert names[0] == "New 7"  # the newest product comes first
    assert {f"Old {category.name}" for category in others} <= set(names)


# --- issue 14, point 19: ranked search ------------------------------------------------------


@pytest.mark.postgres
def test_a_search_is_sorted_by_relevance_by_default(client):
    ProductFactory(name="Bulb Pack", description="Warm bulbs for any lamp.", variants__price=30)
    ProductFactory(name="Architect Desk Lamp", variants__price=20)
    ProductFactory(name="Noise-Cancelling Headphones")

    ranked = client.get("/products/", {"q": "lamp"})
    misspelt = client.get("/products/", {"q": "hedphones"})
    by_price = client.get("/products/", {"q": "lamp", "sort": "price-desc"})

    assert _card_names(ranked) == ["Architect Desk Lamp", "Bulb Pack"]
    assert re.search(r'<option value="relevance" selected>', ranked.text)
    assert _card_names(misspelt) == ["Noise-Cancelling Headphones"]
    assert _card_names(by_price) == ["Bulb Pack", "Architect Desk Lamp"]


# --- issue 14, point 17: responsive thumbnails -----------------------------------------------


def _img(html: str, where: str) -> dict[str, str]:
    tag = re.search(r"<img [^>]*>", html.split(where, 1)[1]).group(0)
    return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))


def _srcset(img: dict[str, str]) -> dict[int, str]:
    return {
        int(width): url
        for url, width in (entry.strip().rsplit(" ", 1) for entry in img["srcset"].split(","))
        for width in [width.rstrip("w")]
    }


def _media_file(url: str) -> Image.Image:
    assert url.startswith(settings.MEDIA_URL + "thumbs/"), url
    return Image.open(Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL))


def test_cards_use_small_square_thumbnails(client):
    image = ProductImageFactory(
        product=ProductFactory(name="Copper Kettle"), image__width=1200, image__height=900
    )

    img = _img(client.get("/products/").text, 'class="product-card')

    widths = _srcset(img)
    assert sorted(widths) == [240, 480, 720]
    for width, url in widths.items():
        thumbnail = _media_file(url)
        assert (thumbnail.format, thumbnail.size) == ("JPEG", (width, width))
    assert img["src"] == widths[480] and img["sizes"]
    assert (img["width"], img["height"], img["loading"]) == ("480", "480", "lazy")
    assert image.image.url not in client.get("/products/").text


def test_the_product_page_uses_large_whole_thumbnails(client):
    product = ProductFactory(name="Copper Kettle")
    ProductImageFactory(product=product, image__width=1200, image__height=900)

    img = _img(client.get(f"/products/{product.slug}/").text, 'class="product-gallery')

    widths = _srcset(img)
    assert sorted(widths) == [600, 900, 1200]
    for width, url in widths.items():
        assert _media_file(url).size == (width, width * 3 // 4)  # the whole picture, not cut
    assert (img["width"], img["height"], img["alt"]) == ("900", "675", "Copper Kettle")
    assert "loading" not in img  # the first picture is what the shopper came to see


def test_thumbnails_are_made_when_an_image_is_saved():
    image = ProductImageFactory(image__width=800, image__height=800)

    made = list(
        (Path(settings.MEDIA_ROOT) / "thumbs" / "products").glob(
            Path(image.image.name).name + ".*"
        )
    )

    assert len(made) == 6


def test_thumbnails_are_served_under_media_like_the_images(client):
    product = ProductFactory(name="Copper Kettle")
    image = ProductImageFactory(product=product, image__width=800, image__height=800)
    url = _img(client.get("/products/").text, 'class="product-card')["src"]

    thumbnail = client.get(url)
    original = client.get(image.image.url)

    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert original.status_code == 200


def test_a_missing_image_file_shows_the_original_address_and_the_page_still_works(client):
    product = ProductFactory(name="Copper Kettle")
    image = ProductImageFactory(product=product)
    image.image.storage.delete(image.image.name)
    for thumbnail in (Path(settings.MEDIA_ROOT) / "thumbs" / "products").glob(
        Path(image.image.name).name + ".*"
    ):
        thumbnail.unlink()

    listed = client.get("/products/")
    detail = client.get(f"/products/{product.slug}/")

    assert listed.status_code == detail.status_code == 200
    assert _img(listed.text, 'class="product-card')["src"] == image.image.url


def test_the_seeded_demo_shows_thumbnails_made_on_first_view(client):
    call_command("seed_demo", verbosity=0)

    response = client.get("/products/")

    images = re.findall(r'<img [^>]*srcset="([^"]+)"', response.text)
    assert len(images) == settings.PRODUCTS_PER_PAGE
    first = _srcset({"srcset": images[0]})
    assert _media_file(first[240]).size == (240, 240)
