import pytest

from loyalty.services import points_adjust
from tests.factories import VariantFactory


@pytest.fixture(autouse=True)
def _shipping(shipping_methods):
    return shipping_methods


@pytest.fixture
def variant(db):
    return VariantFactory(price="40.00", stock_on_hand=50)


@pytest.fixture
def give_points():
    """Give a shopper points to spend, as staff would."""

    def give(user, points: int):
        return points_adjust(user_id=user.pk, points=points, reason="welcome gift")

    return give
