"""The demo shopper's welcome points, so a new user can redeem points at checkout at once."""

from loyalty.models import PointsAccount
from loyalty.services import points_adjust

DEMO_POINTS = 1000


def demo_points_ensure(*, email: str) -> int:
    """Give the demo shopper DEMO_POINTS welcome points once (never again, even if spent);
    returns their points to spend, or 0 when there is no such shopper."""
    from shop.models import User

    user = User.objects.filter(email=email).first()
    if user is None:
        return 0
    if not PointsAccount.objects.filter(user=user, entries__isnull=False).exists():
        points_adjust(user_id=user.pk, points=DEMO_POINTS, reason="Welcome points (demo)")
    return PointsAccount.objects.get(user=user).balance
