import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def page(page):
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def shop_url(live_server, transactional_db):
    """The live server's address; tests using it see committed data."""
    return live_server.url
