"""The alert pages, asked plainly and with htmx."""

import pytest
from django.core import mail

from alerts import services
from alerts.models import StockAlert
from recovery.links import unsubscribe_token
from recovery.models import EmailOptOut
from tests.factories import ProductFactory, VariantFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ASK = "/alerts/back-in-stock/"


@pytest.fixture
def sold_out(db):
    product = ProductFactory(name="Copper Kettle", variants=0)
    return VariantFactory(product=product, name="Large", stock_on_hand=0)


def test_the_product_page_offers_the_alert_for_a_sold_out_variant_only(client, sold_out):
    page = client.get(f"/products/{sold_out.product.slug}/").text
    assert 'data-testid="notify-back-in-stock"' in page
    assert 'data-testid="back-in-stock-email"' in page  # a guest gives an address

    sold_out.stock_on_hand = 4
    sold_out.save()
    page = client.get(f"/products/{sold_out.product.slug}/").text
    assert 'data-testid="notify-back-in-stock"' not in page


def test_a_guest_asks_plainly_and_is_sent_a_link(
    client, sold_out, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            ASK, {"variant_id": sold_out.pk, "email": "grace@example.com", "next": "/products/x/"}
        )
    assert answer.status_code == 302 and answer.url == "/products/x/"
    assert "we sent a link to grace@example.com" in client.get("/products/x/", follow=True).text
    assert StockAlert.objects.get().confirmed_at is None
    assert [m.to for m in mail.outbox] == [["grace@example.com"]]


def test_a_guest_asks_with_htmx_and_gets_the_block_back(client, sold_out):
    answer = client.post(
        ASK, {"variant_id": sold_out.pk, "email": "grace@example.com"}, headers=HTMX
    )
    assert answer.status_code == 200
    assert 'id="back-in-stock"' in answer.text and "<html" not in answer.text
    assert "grace@example.com" in answer.text
    assert "HX-Request" in answer["Vary"]


def test_bad_input_is_refused_and_nothing_is_written(client, sold_out):
    no_email = client.post(ASK, {"variant_id": sold_out.pk, "email": "not-an-email"}, headers=HTMX)
    unknown = client.post(ASK, {"variant_id": 99999999, "email": "a@example.com"}, headers=HTMX)
    huge = client.post(ASK, {"variant_id": "9" * 30, "email": "a@example.com"}, headers=HTMX)
    in_stock = VariantFactory(stock_on_hand=3)
    back = client.post(ASK, {"variant_id": in_stock.pk, "email": "a@example.com"}, headers=HTMX)

    assert no_email.status_code == 400 and "valid email" in no_email.text
    assert unknown.status_code == 404
    assert huge.status_code == 404  # never a 500
    assert back.status_code == 409 and "in stock now" in back.text
    assert not StockAlert.objects.exists()


def test_a_shopper_asks_with_one_click(shopper_client, user, sold_out):
    answer = shopper_client.post(ASK, {"variant_id": sold_out.pk}, headers=HTMX)
    assert answer.status_code == 200
    assert f"We'll email you at {user.email}" in answer.text.replace("&#x27;", "'")
    alert = StockAlert.objects.get()
    assert alert.user == user and alert.confirmed_at is not None
    page = shopper_client.get(f"/products/{sold_out.product.slug}/").text
    assert 'data-testid="back-in-stock-email"' not in page


def test_the_confirmation_link_asks_first_then_confirms(client, sold_out):
    alert = services.stock_alert_request(variant_id=sold_out.pk, email="grace@example.com").alert
    url = f"/alerts/confirm/{services.stock_alert_confirmation_token(alert)}/"

    shown = client.get(url)
    alert.refresh_from_db()
    assert shown.status_code == 200 and alert.confirmed_at is None  # mail scanners open links
    assert "Copper Kettle" in shown.text

    done = client.post(url)
    alert.refresh_from_db()
    assert done.status_code == 200 and alert.confirmed_at is not None
    assert 'data-testid="stock-alert-confirmed"' in done.text

    assert client.get("/alerts/confirm/forged/").status_code == 400


def test_notification_settings_need_a_login(client):
    answer = client.get("/account/notifications/")
    assert answer.status_code == 302 and answer.url.startswith("/login/")


def test_notification_settings_plain_and_htmx(shopper_client, user):
    page = shopper_client.get("/account/notifications/").text
    for testid in ("pref-back-in-stock", "pref-price-drop", "pref-cart-reminders"):
        assert f'data-testid="{testid}"' in page
    assert page.count("checked") == 3

    saved = shopper_client.post("/account/notifications/", {"back_in_stock": "on"})
    assert saved.status_code == 302
    assert set(EmailOptOut.objects.values_list("kind", flat=True)) == {
        "price_drop",
        "cart_reminders",
    }

    partial = shopper_client.post(
        "/account/notifications/", {"back_in_stock": "on", "price_drop": "on"}, headers=HTMX
    )
    assert partial.status_code == 200 and "<html" not in partial.text
    assert "Saved." in partial.text and partial.text.count("checked") == 2
    assert list(EmailOptOut.objects.values_list("kind", flat=True)) == ["cart_reminders"]


def test_an_unsubscribe_link_turns_the_setting_off_without_login(client, shopper_client, user):
    url = f"/cart/unsubscribe/{unsubscribe_token(user.email, 'price_drop')}/"
    page = client.get(url)
    assert "Stop sending price-drop alerts" in page.text
    client.post(url)
    page = shopper_client.get("/account/notifications/").text
    assert 'data-testid="pref-price-drop"' in page and page.count("checked") == 2
    assert services.notification_preferences_get(user=user)["price_drop"] is False
