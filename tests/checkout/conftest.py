import pytest

from cart import services as cart_services
from cart.selectors import CartOwner
from checkout import services
from tests.checkout.fake_stripe import FakeStripe
from tests.factories import VariantFactory

ADDRESS = services.ShippingAddress(
    name="Grace Hopper", line1="1 Main St", city="Springfield", postal_code="12345", country="US"
)
BASE_URL = "http://shop.test:8000"
WEBHOOK_SECRET = "whsec_test_secret"


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


def guest_cart(*items) -> CartOwner:
    """A guest cart holding (variant, quantity) pairs."""
    owner = CartOwner()
    for variant, quantity in items:
        change = cart_services.cart_add_line(
            owner=owner, variant_id=variant.pk, quantity=quantity, source="test"
        )
        owner = CartOwner(token=change.summary.token)
    return owner


def start(owner, **overrides):
    options = {
        "owner": owner,
        "email": "grace@example.com",
        "address": ADDRESS,
        "shipping_method_code": "standard",
        "base_url": BASE_URL,
        "source": "test",
        **overrides,
    }
    return services.checkout_start(**options)


@pytest.fixture
def variant(db):
    return VariantFactory(price="40.00", stock_on_hand=10)
