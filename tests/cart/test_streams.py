"""The live cart streams (/events/, GET /api/v1/cart/events/) under a real ASGI server."""

import json

import pytest

from cart import services
from cart.selectors import CartOwner
from tests.asgi_server import EventStream
from tests.conftest import token_headers
from tests.factories import UserFactory, VariantFactory
from tests.helpers import guest_cart

API_EVENTS = "/api/v1/cart/events/"


@pytest.fixture
def variant(transactional_db):
    return VariantFactory(price="10.00", stock_on_hand=50)


def _add(owner, variant, quantity=1):
    return services.cart_add_line(
        owner=owner, variant_id=variant.pk, quantity=quantity, source="test"
    )


def test_a_guest_api_stream_hears_each_change_to_its_cart(asgi_url, variant):
    owner = guest_cart((variant, 1))
    stream = EventStream(asgi_url + API_EVENTS, {"X-Cart-Token": owner.token})
    try:
        assert stream.status_code == 200
        assert stream.response.headers["Content-Type"].startswith("text/event-stream")
        greeting = stream.next_block()
        assert greeting["comments"] == ["connected"] and greeting["retry"] == "2000"

        _add(owner, variant, 2)

        event = stream.next_event()
        assert event["event"] == "cart"
        assert json.loads(event["data"]) == {"version": 3, "total_items": 3}
        assert event["id"]
    finally:
        stream.close()


def test_an_api_token_streams_its_users_cart_and_nobody_elses(asgi_url, variant):
    shopper, stranger = UserFactory(), UserFactory()
    mine = EventStream(asgi_url + API_EVENTS, token_headers(shopper))
    theirs = EventStream(asgi_url + API_EVENTS, token_headers(stranger), timeout=1)
    try:
        mine.next_block(), theirs.next_block()
        _add(CartOwner(user=shopper), variant, 4)

        assert json.loads(mine.next_event()["data"])["total_items"] == 4
        with pytest.raises(Exception):  # noqa: B017 - nothing came within its second
            theirs.next_event()
    finally:
        mine.close()
        theirs.close()


def test_the_api_stream_refuses_a_caller_without_a_cart_or_with_a_bad_token(asgi_url):
    nobody = EventStream(asgi_url + API_EVENTS)
    forged = EventStream(asgi_url + API_EVENTS, {"Authorization": "Token " + "ab" * 32})

    assert nobody.status_code == 401
    assert nobody.response.json()["code"] == "not_authenticated"
    assert forged.status_code == 401


def test_a_guest_page_without_a_cart_has_nothing_to_hear(asgi_url):
    assert EventStream(asgi_url + "/events/").status_code == 204


def test_a_page_server_never_holds_a_stream(client):
    """Under WSGI (gunicorn's kind of server, as the test client is) it answers at once."""
    assert client.get("/events/").status_code == 204
    assert client.get(API_EVENTS, headers={"X-Cart-Token": "x" * 43}).status_code == 204


def test_an_idle_stream_gets_a_heartbeat(asgi_url, variant, settings):
    settings.LIVE_HEARTBEAT_SECONDS = 0.3
    owner = guest_cart((variant, 1))
    stream = EventStream(asgi_url + API_EVENTS, {"X-Cart-Token": owner.token})
    try:
        stream.next_block()  # the greeting
        assert stream.next_block()["comments"] == ["heartbeat"]
        assert stream.next_block()["comments"] == ["heartbeat"]
    finally:
        stream.close()


def test_last_event_id_resumes_with_what_was_missed(asgi_url, variant):
    owner = guest_cart((variant, 1))
    headers = {"X-Cart-Token": owner.token}
    first = EventStream(asgi_url + API_EVENTS, headers)
    _add(owner, variant)
    seen = first.next_event()
    first.close()

    _add(owner, variant)  # while disconnected
    _add(owner, variant)
    again = EventStream(asgi_url + API_EVENTS, {**headers, "Last-Event-ID": seen["id"]})
    try:
        missed = [again.next_event(), again.next_event()]
    finally:
        again.close()

    assert [json.loads(e["data"])["total_items"] for e in missed] == [3, 4]
    assert seen["id"] not in {e["id"] for e in missed}


def test_a_client_has_at_most_its_cap_of_streams(asgi_url, variant, settings):
    settings.LIVE_MAX_STREAMS_PER_CLIENT = 2
    owner = guest_cart((variant, 1))
    headers = {"X-Cart-Token": owner.token}
    open_streams = [EventStream(asgi_url + API_EVENTS, headers) for _ in range(2)]
    try:
        for stream in open_streams:
            stream.next_block()
        refused = EventStream(asgi_url + API_EVENTS, headers)
        assert refused.status_code == 429
        assert refused.response.json()["code"] == "too_many_streams"
        assert refused.response.headers["Retry-After"]

        open_streams.pop().close()
        _add(owner, variant)  # the server notices the closed stream when it next writes
        open_streams[0].next_event()
        replacement = EventStream(asgi_url + API_EVENTS, headers)
        open_streams.append(replacement)
        assert replacement.status_code == 200
    finally:
        for stream in open_streams:
            stream.close()


def test_staff_changing_a_variants_price_or_stock_reaches_the_carts_holding_it(asgi_url, variant):
    from catalog.services import variant_update
    from inventory.services import stock_set

    owner = guest_cart((variant, 2))
    stream = EventStream(asgi_url + API_EVENTS, {"X-Cart-Token": owner.token})
    try:
        stream.next_block()
        variant_update(variant_id=variant.pk, price="12.00")
        assert json.loads(stream.next_event()["data"])["total_items"] == 2
        stock_set(variant_id=variant.pk, quantity=1)
        assert stream.next_event()["event"] == "cart"
    finally:
        stream.close()
