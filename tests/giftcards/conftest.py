from decimal import Decimal

import pytest

from tests.factories import VariantFactory


@pytest.fixture(autouse=True)
def _shipping_and_no_tax(shipping_methods, settings):
    # Round numbers: the amounts a shopper reads are the ones checked.
    settings.TAX_RATE = Decimal("0")
    return shipping_methods


@pytest.fixture
def variant(db):
    return VariantFactory(price="40.00", stock_on_hand=10)
