"""Staff screens for gift cards: issue (the code shown once), adjust with a reason, disable,
the ledger; each behind its permission."""

from decimal import Decimal

import pytest

from giftcards.models import GiftCard, GiftCardEntry
from tests.factories import StaffFactory, gift_card

pytestmark = pytest.mark.django_db


def staff(client, *permissions):
    client.force_login(StaffFactory(is_superuser=False, permissions=list(permissions)))
    return client


def test_staff_issue_a_card_and_see_its_code_once(client):
    staff(client, "giftcards.add_giftcard", "giftcards.view_giftcard")

    response = client.post(
        "/admin/giftcards/giftcard/add/", {"balance": "25.00", "note": "raffle prize"}
    )

    html = response.content.decode()
    card = GiftCard.objects.get()
    assert response.status_code == 200
    assert f"-{card.last_four}</p>" in html and card.note == "raffle prize"
    change = client.get(f"/admin/giftcards/giftcard/{card.pk}/change/").content.decode()
    assert "raffle prize" in change and card.last_four in change
    assert html.split('data-testid="gift-card-issued-code">')[1][:19] not in change


def test_issuing_without_the_permission_is_refused(client):
    staff(client, "giftcards.view_giftcard")

    assert client.post("/admin/giftcards/giftcard/add/", {"balance": "25.00"}).status_code == 403
    assert not GiftCard.objects.exists()


def test_staff_adjust_with_a_reason_and_the_ledger_shows_it(client):
    issued = gift_card("25.00")
    staff(client, "giftcards.adjust_giftcard", "giftcards.view_giftcard")
    url = f"/admin/giftcards/giftcard/{issued.card.pk}/adjust/"

    no_reason = client.post(url, {"amount": "5.00", "reason": ""})
    done = client.post(url, {"amount": "-5.00", "reason": "damaged on arrival"})

    assert no_reason.status_code == 200 and "This field is required." in no_reason.content.decode()
    assert done.status_code == 302
    assert GiftCard.objects.get().balance == Decimal("20.00")
    ledger = client.get(f"/admin/giftcards/giftcard/{issued.card.pk}/change/").content.decode()
    assert "damaged on arrival" in ledger


def test_adjusting_below_zero_says_why(client):
    issued = gift_card("25.00")
    staff(client, "giftcards.adjust_giftcard", "giftcards.view_giftcard")

    response = client.post(
        f"/admin/giftcards/giftcard/{issued.card.pk}/adjust/",
        {"amount": "-30.00", "reason": "typo"},
    )

    assert "That would leave the card below" in response.content.decode()
    assert GiftCard.objects.get().balance == Decimal("25.00")


def test_adjusting_needs_its_own_permission(client):
    issued = gift_card("25.00")
    staff(client, "giftcards.change_giftcard", "giftcards.view_giftcard")

    response = client.post(
        f"/admin/giftcards/giftcard/{issued.card.pk}/adjust/", {"amount": "5", "reason": "x"}
    )

    assert response.status_code == 403
    assert GiftCard.objects.get().balance == Decimal("25.00")


def test_staff_disable_cards_from_the_list_and_it_is_in_the_ledger(client):
    issued = gift_card("25.00")
    staff(client, "giftcards.change_giftcard", "giftcards.view_giftcard")

    client.post(
        "/admin/giftcards/giftcard/",
        {"action": "disable", "_selected_action": [issued.card.pk]},
    )

    assert GiftCard.objects.get().disabled
    assert GiftCardEntry.objects.filter(kind="disabled").count() == 1


def test_a_card_is_never_deleted(client):
    issued = gift_card("25.00")
    client.force_login(StaffFactory())

    response = client.post(f"/admin/giftcards/giftcard/{issued.card.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert GiftCard.objects.exists()
