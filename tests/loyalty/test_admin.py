"""Staff and loyalty points: the ledger in admin, and adjusting points with a reason, only
with the permission for it."""

import pytest

from loyalty import services
from loyalty.models import PointsAccount, PointsEntry
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ADJUST = "/admin/loyalty/pointsaccount/adjust/"


def staff_with(client, *permissions):
    staff = StaffFactory(is_superuser=False, permissions=permissions)
    client.force_login(staff)
    return staff


def test_adjusting_needs_its_own_permission(client, user):
    for permissions in [(), ("loyalty.view_pointsaccount", "loyalty.view_pointsentry")]:
        staff_with(client, *permissions)

        assert client.get(ADJUST).status_code == 403, permissions
        answer = client.post(ADJUST, {"email": user.email, "points": 100, "reason": "gift"})
        assert answer.status_code == 403, permissions
    assert not PointsEntry.objects.exists()


def test_staff_give_points_with_a_reason_and_the_ledger_shows_it(client, user):
    staff = staff_with(client, "loyalty.adjust_pointsaccount", "loyalty.view_pointsaccount")

    answer = client.post(
        ADJUST, {"email": user.email.upper(), "points": 100, "reason": "late parcel"}
    )

    account = PointsAccount.objects.get(user=user)
    assert answer.status_code == 302
    assert answer["Location"] == f"/admin/loyalty/pointsaccount/{account.pk}/change/"
    assert account.balance == 100
    entry = account.entries.get()
    assert (entry.reason, entry.created_by) == ("late parcel", staff)
    page = client.get(answer["Location"]).content.decode()
    assert "late parcel" in page
    assert f"{ADJUST}?user={user.pk}" in page
    assert user.email in client.get(f"{ADJUST}?user={user.pk}").content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"points": -1, "reason": "oops"}, "below zero"),
        ({"points": 5, "reason": ""}, "This field is required"),
        ({"points": "x", "reason": "r"}, "Enter a whole number"),
        ({"points": 5, "reason": "r", "email": "nobody@example.com"}, "No account has this"),
    ],
)
def test_a_refused_adjustment_says_why_and_changes_nothing(client, user, data, message):
    staff_with(client, "loyalty.adjust_pointsaccount")

    answer = client.post(ADJUST, {"email": user.email, **data})

    assert answer.status_code == 200
    assert message in answer.content.decode()
    assert not PointsEntry.objects.exists()


def test_the_add_button_leads_to_adjusting(client):
    staff_with(client, "loyalty.adjust_pointsaccount")

    assert client.get("/admin/loyalty/pointsaccount/add/")["Location"] == ADJUST


def test_the_ledger_is_read_only_for_staff(client, user):
    services.points_adjust(user_id=user.pk, points=10, reason="gift")
    entry = PointsEntry.objects.get()
    account = PointsAccount.objects.get()
    client.force_login(StaffFactory())  # a superuser

    assert client.get("/admin/loyalty/pointsentry/").status_code == 200
    assert client.get(f"/admin/loyalty/pointsentry/{entry.pk}/change/").status_code == 200
    assert client.post(f"/admin/loyalty/pointsentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/loyalty/pointsentry/add/").status_code == 403
    changed = client.post(f"/admin/loyalty/pointsaccount/{account.pk}/change/", {"balance": 999})
    assert changed.status_code == 403
    assert PointsAccount.objects.get().balance == 10


@pytest.mark.parametrize("user_id", ["\x00", "²", "abc", "999999"])
def test_a_bad_shopper_in_the_adjust_link_just_leaves_the_email_empty(client, user_id):
    staff_with(client, "loyalty.adjust_pointsaccount")

    answer = client.get(ADJUST, {"user": user_id})

    assert answer.status_code == 200
    assert 'name="email"' in answer.content.decode()
