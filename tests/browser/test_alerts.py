"""Alerts in the browser: a guest asks for a back-in-stock email, confirms it from the link,
and gets the email when staff restock; a shopper turns emails off on their settings page.
Both pages pass axe."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from inventory.services import stock_set
from recovery.models import EmailOptOut
from tests.browser.test_accessibility import axe_violations
from tests.factories import DEFAULT_PASSWORD, ProductFactory, UserFactory, VariantFactory
from tests.helpers import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def tee(transactional_db):
    tee = ProductFactory(name="Cotton Tee", variants=0)
    VariantFactory(product=tee, name="Small", stock_on_hand=5, option_values={"size": "S"})
    VariantFactory(product=tee, name="Large", stock_on_hand=0, option_values={"size": "L"})
    return tee


def test_a_guest_asks_confirms_and_is_emailed_when_it_is_back(page, shop_url, tee):
    page.goto(shop_url + tee.get_absolute_url())
    notify = page.get_by_test_id("notify-back-in-stock")
    expect(notify).to_be_hidden()  # nothing chosen yet
    page.get_by_test_id("variant-small").click()
    expect(notify).to_be_hidden()  # in stock
    page.get_by_test_id("variant-large").click()
    expect(notify).to_be_visible()
    page.get_by_test_id("back-in-stock-email").fill("grace@b")  # the browser lets it through
    notify.click()
    expect(page.get_by_test_id("back-in-stock-status")).to_contain_text("valid email")
    expect(page.get_by_test_id("error-banner")).to_be_hidden()  # the reason, not "went wrong"
    page.get_by_test_id("back-in-stock-email").fill("grace@example.com")
    notify.click()
    expect(page.get_by_test_id("back-in-stock-status")).to_contain_text(
        "we sent a link to grace@example.com"
    )
    assert axe_violations(page, shop_url) == []

    [confirmation] = mail.outbox
    link = re.search(r"https?://\S+/alerts/confirm/\S+/", confirmation.body).group(0)
    page.goto(link)
    assert axe_violations(page, shop_url) == []
    page.get_by_test_id("stock-alert-confirm-button").click()
    expect(page.get_by_test_id("stock-alert-confirmed")).to_contain_text("grace@example.com")
    assert axe_violations(page, shop_url) == []

    stock_set(variant_id=tee.variants.get(name="Large").pk, quantity=3)  # staff restock

    back = [m for m in mail.outbox if "back in stock" in m.subject]
    assert [m.to for m in back] == [["grace@example.com"]]
    assert "?variant=large" in back[0].body


def test_a_shopper_turns_price_drop_emails_off_and_on(page, shop_url, transactional_db):
    shopper = UserFactory(email="ada@example.com")
    log_in(page, shop_url, shopper.email, DEFAULT_PASSWORD)
    page.get_by_test_id("notifications-link").click()
    for testid in ("pref-back-in-stock", "pref-price-drop", "pref-cart-reminders"):
        expect(page.get_by_test_id(testid)).to_be_checked()
    assert axe_violations(page, shop_url) == []

    page.get_by_test_id("pref-price-drop").uncheck()  # saved by itself (htmx)
    expect(page.get_by_test_id("preferences-status")).to_have_text("Saved.")
    assert axe_violations(page, shop_url) == []
    page.reload()
    expect(page.get_by_test_id("pref-price-drop")).not_to_be_checked()
    expect(page.get_by_test_id("pref-cart-reminders")).to_be_checked()
    assert EmailOptOut.objects.filter(email="ada@example.com", kind="price_drop").exists()

    page.get_by_test_id("pref-price-drop").check()
    expect(page.get_by_test_id("preferences-status")).to_have_text("Saved.")
    assert not EmailOptOut.objects.exists()
