import pytest

from tests.checkout.fake_stripe import FakeStripe
from tests.factories import VariantFactory
from tests.helpers import WEBHOOK_SECRET


@pytest.fixture(autouse=True)
def _shipping(shipping_methods):
    return shipping_methods


@pytest.fixture
def fake_stripe(settings):
    """The Stripe backend, talking to a local fake of Stripe's API over HTTP."""
    fake = FakeStripe().start()
    settings.PAYMENT_BACKEND = "stripe"
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def variant(db):
    return VariantFactory(price="40.00", stock_on_hand=10)
