import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from cart import services
from cart.models import Cart, CartLine
from shop.exceptions import DomainError
from shop.models import IdempotencyRecord
from tests.conftest import token_headers
from tests.factories import DEFAULT_PASSWORD, UserFactory, VariantFactory
from tests.helpers import run_at_once

ITEMS = "/api/v1/cart/items/"
TOKEN = "/api/v1/auth/token/"


def post(client, body, key, **headers):
    return client.post(
        ITEMS, body, content_type="application/json", headers={"Idempotency-Key": key, **headers}
    )


@pytest.mark.django_db
def test_a_repeat_replays_the_first_answer_and_adds_once():
    client = Client()
    variant = VariantFactory(stock_on_hand=10)
    token = post(client, {"variant_id": variant.pk}, "setup").json()["token"]
    body = {"variant_id": variant.pk, "quantity": 2}

    first = post(client, body, "key-1", **{"X-Cart-Token": token})
    again = post(client, body, "key-1", **{"X-Cart-Token": token})

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["ETag"] == first["ETag"]
    assert again["Idempotent-Replayed"] == "true"
    assert CartLine.objects.get().quantity == 3


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_422():
    client = Client()
    variant = VariantFactory(stock_on_hand=10)
    token = post(client, {"variant_id": variant.pk}, "setup").json()["token"]

    post(client, {"variant_id": variant.pk, "quantity": 1}, "key-1", **{"X-Cart-Token": token})
    other = post(
        client, {"variant_id": variant.pk, "quantity": 5}, "key-1", **{"X-Cart-Token": token}
    )

    assert other.status_code == 422
    assert other["Content-Type"] == "application/problem+json"
    assert other.json()["code"] == "idempotency_key_mismatch"
    assert CartLine.objects.get().quantity == 2


@pytest.mark.django_db
def test_keys_are_scoped_to_the_caller():
    variant = VariantFactory(stock_on_hand=10)
    body = {"variant_id": variant.pk}
    a = post(Client(), body, "setup-a").json()["token"]
    b = post(Client(), body, "setup-b").json()["token"]

    post(Client(), body, "shared", **{"X-Cart-Token": a})
    second = post(Client(), body, "shared", **{"X-Cart-Token": b})

    assert second.status_code == 201 and second.json()["token"] == b
    assert sorted(CartLine.objects.values_list("quantity", flat=True)) == [2, 2]


@pytest.mark.django_db
def test_refused_answers_are_replayed_too():
    client = Client()
    variant = VariantFactory(stock_on_hand=1)
    token = guest_token(variant)

    first = post(client, {"variant_id": variant.pk, "quantity": 3}, "k", **{"X-Cart-Token": token})
    again = post(client, {"variant_id": variant.pk, "quantity": 3}, "k", **{"X-Cart-Token": token})

    assert first.status_code == again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert again["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "caf\u00e9"])
def test_a_malformed_key_is_400(key):
    response = Client().post(
        ITEMS, {"variant_id": 1}, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_idempotency_key"
    assert not IdempotencyRecord.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_take_effect_once():
    variant = VariantFactory(stock_on_hand=50)
    token = post(Client(), {"variant_id": variant.pk}, "setup").json()["token"]
    body = {"variant_id": variant.pk, "quantity": 5}
    barrier = threading.Barrier(4)
    responses = []

    def send():
        try:
            barrier.wait()
            responses.append(post(Client(), body, "same-key", **{"X-Cart-Token": token}))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert CartLine.objects.get().quantity == 1 + 5
    assert len(responses) == 4
    assert {r.status_code for r in responses} == {201}
    assert len({r.content for r in responses}) == 1
    assert sum(1 for r in responses if r.has_header("Idempotent-Replayed")) == 3


@pytest.mark.django_db
def test_a_request_that_crashed_gives_its_key_up_for_the_retry(monkeypatch):
    client = Client(raise_request_exception=False)
    variant = VariantFactory(stock_on_hand=10)
    real_add = services.cart_add_line

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    token = guest_token(variant)

    monkeypatch.setattr(services, "cart_add_line", broken)
    crashed = post(client, {"variant_id": variant.pk}, "retry-me", **{"X-Cart-Token": token})
    monkeypatch.setattr(services, "cart_add_line", real_add)
    retried = post(client, {"variant_id": variant.pk}, "retry-me", **{"X-Cart-Token": token})

    assert crashed.status_code == 500
    assert retried.status_code == 201 and not retried.has_header("Idempotent-Replayed")
    assert CartLine.objects.get().quantity == 1 + 1


@pytest.mark.django_db
def test_a_duplicate_that_waits_too_long_is_told_the_first_is_still_running(settings):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    client = Client()
    variant = VariantFactory(stock_on_hand=10)
    body = {"variant_id": variant.pk}
    token = guest_token(variant)
    first = post(client, body, "slow", **{"X-Cart-Token": token})
    IdempotencyRecord.objects.filter(key="slow").update(status_code=None)  # as if still running

    duplicate = post(client, body, "slow", **{"X-Cart-Token": token})

    assert first.status_code == 201
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "request_in_progress"
    assert CartLine.objects.get().quantity == 1 + 1


def guest_token(variant) -> str:
    """A new guest cart holding one of `variant`, named by its token."""
    return post(Client(), {"variant_id": variant.pk}, "setup").json()["token"]


def as_if_still_running(key: str, *, seconds_ago: float) -> None:
    """Leave the key's record as a worker killed mid-request leaves its claim."""
    IdempotencyRecord.objects.filter(key=key).update(
        status_code=None,
        response_body=None,
        response_headers={},
        created_at=timezone.now() - timedelta(seconds=seconds_ago),
    )


# Item 11: anonymous keys belong to a cart token, never to a client address.


def _plain(client):
    return {}


def _junk_authorization(client):
    return {"Authorization": "Bearer undefined"}  # authenticates nobody


def _junk_session_cookie(client):
    client.cookies["sessionid"] = "no-such-session"
    return {}


@pytest.mark.django_db
@pytest.mark.parametrize("quirk", [_plain, _junk_authorization, _junk_session_cookie])
def test_two_clients_behind_one_address_never_get_each_others_new_cart(quirk):
    """Two cookie-less apps behind one NAT pick the same key: each gets a cart of its own."""
    variant = VariantFactory(stock_on_hand=10)
    body = {"variant_id": variant.pk}
    alice, bob = Client(), Client()

    first = post(alice, body, "1", **quirk(alice))
    second = post(bob, body, "1", **quirk(bob))

    assert first.status_code == second.status_code == 201
    assert not second.has_header("Idempotent-Replayed")
    assert second.json()["token"] != first.json()["token"]
    assert second["X-Cart-Token"] != first["X-Cart-Token"]
    assert Cart.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()  # a first write is never stored


@pytest.mark.django_db
@pytest.mark.parametrize("made_up", ["not-a-token", "A" * 43])
def test_a_cart_token_that_names_no_cart_never_shares_the_new_one(made_up):
    variant = VariantFactory(stock_on_hand=10)
    body = {"variant_id": variant.pk}

    first = post(Client(), body, "1", **{"X-Cart-Token": made_up})
    second = post(Client(), body, "1", **{"X-Cart-Token": made_up})

    assert first.status_code == second.status_code == 201
    assert not second.has_header("Idempotent-Replayed")
    assert second.json()["token"] != first.json()["token"]
    assert Cart.objects.count() == 2


@pytest.mark.django_db
def test_signed_in_callers_have_keys_of_their_own():
    variant = VariantFactory(stock_on_hand=10)
    body = {"variant_id": variant.pk}
    ada, bob = UserFactory(), UserFactory()

    first = post(Client(), body, "1", **token_headers(ada))
    second = post(Client(), body, "1", **token_headers(bob))
    browser = Client()
    browser.force_login(ada)
    third = post(browser, body, "1")

    assert [r.status_code for r in (first, second, third)] == [201, 201, 201]
    assert not any(r.has_header("Idempotent-Replayed") for r in (first, second, third))
    assert sorted(CartLine.objects.values_list("quantity", flat=True)) == [1, 2]


@pytest.mark.django_db
def test_a_browser_session_replays_its_own_key():
    variant = VariantFactory(stock_on_hand=10)
    browser = Client()
    browser.force_login(UserFactory())

    first = post(browser, {"variant_id": variant.pk}, "1")
    again = post(browser, {"variant_id": variant.pk}, "1")

    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert CartLine.objects.get().quantity == 1


# Item 12: an answer that carries a credential is never stored.


@pytest.mark.django_db
def test_a_login_is_never_stored_nor_replayed():
    user = UserFactory()
    guest = guest_token(VariantFactory(stock_on_hand=10))
    body = {"email": user.email, "password": DEFAULT_PASSWORD}

    def log_in():
        return Client().post(
            TOKEN,
            body,
            content_type="application/json",
            headers={"Idempotency-Key": "login-1", "X-Cart-Token": guest},
        )

    first, again = log_in(), log_in()

    assert first.status_code == again.status_code == 200
    assert not again.has_header("Idempotent-Replayed")
    tokens = {first.json()["token"], again.json()["token"]}
    assert len(tokens) == 2
    stored = b"".join(bytes(r.response_body or b"") for r in IdempotencyRecord.objects.all())
    assert not any(token.encode() in stored for token in tokens)
    assert not IdempotencyRecord.objects.filter(key="login-1").exists()


# Item 13: a 429 gives the key up, as a 5xx does.


@pytest.mark.django_db
def test_a_keyed_retry_after_a_429_is_processed_afresh(settings):
    settings.RATE_LIMIT_CART_WRITES = "1/min"
    variant = VariantFactory(stock_on_hand=10)
    token = guest_token(variant)
    body = {"variant_id": variant.pk, "quantity": 2}

    limited = post(Client(), body, "k", **{"X-Cart-Token": token})
    cache.clear()  # Retry-After has passed: the window's count is gone
    retried = post(Client(), body, "k", **{"X-Cart-Token": token})

    assert limited.status_code == 429
    assert retried.status_code == 201 and not retried.has_header("Idempotent-Replayed")
    assert CartLine.objects.get().quantity == 3


class HeldTooMuchError(DomainError):
    """A refusal the service itself answers with 429 (as checkout's hold limits do)."""

    code = "too_many_holds"
    http_status = 429


@pytest.mark.django_db
def test_a_429_from_the_service_gives_the_key_up_too(monkeypatch):
    variant = VariantFactory(stock_on_hand=10)
    token = guest_token(variant)
    body = {"variant_id": variant.pk, "quantity": 2}
    real_add = services.cart_add_line

    def refuse(**kwargs):
        raise HeldTooMuchError()

    monkeypatch.setattr(services, "cart_add_line", refuse)
    refused = post(Client(), body, "k", **{"X-Cart-Token": token})
    monkeypatch.setattr(services, "cart_add_line", real_add)
    retried = post(Client(), body, "k", **{"X-Cart-Token": token})

    assert refused.status_code == 429
    assert retried.status_code == 201 and not retried.has_header("Idempotent-Replayed")
    assert CartLine.objects.get().quantity == 3


# Item 14: a claim older than IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS is taken over.


@pytest.mark.django_db
@pytest.mark.parametrize(("age", "answer"), [(59, 409), (61, 201)])
def test_a_claim_left_by_a_killed_worker_is_taken_over_after_the_timeout(settings, age, answer):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    settings.IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS = 60
    variant = VariantFactory(stock_on_hand=10)
    token = guest_token(variant)
    body = {"variant_id": variant.pk, "quantity": 2}
    post(Client(), body, "k", **{"X-Cart-Token": token})
    as_if_still_running("k", seconds_ago=age)

    retried = post(Client(), body, "k", **{"X-Cart-Token": token})
    again = post(Client(), body, "k", **{"X-Cart-Token": token})

    assert retried.status_code == again.status_code == answer
    assert not retried.has_header("Idempotent-Replayed")
    if answer == 201:  # processed afresh, then kept for the next repeat
        assert again["Idempotent-Replayed"] == "true" and again.content == retried.content
        assert CartLine.objects.get().quantity == 1 + 2 + 2
    else:
        assert retried.json()["code"] == "request_in_progress"
        assert CartLine.objects.get().quantity == 1 + 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_retries_racing_for_an_abandoned_claim_take_it_over_once(settings):
    settings.IDEMPOTENCY_WAIT_SECONDS = 5
    variant = VariantFactory(stock_on_hand=50)
    token = guest_token(variant)
    body = {"variant_id": variant.pk, "quantity": 5}
    post(Client(), body, "k", **{"X-Cart-Token": token})
    as_if_still_running("k", seconds_ago=300)
    responses = []

    errors = run_at_once(
        4, lambda i: responses.append(post(Client(), body, "k", **{"X-Cart-Token": token}))
    )

    assert errors == []
    assert [r.status_code for r in responses] == [201] * 4
    assert sum(1 for r in responses if not r.has_header("Idempotent-Replayed")) == 1
    assert len({r.content for r in responses}) == 1
    assert CartLine.objects.get().quantity == 1 + 5 + 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_request_overtaken_after_the_timeout_keeps_out_of_the_retrys_answer(
    settings, monkeypatch
):
    """The first worker was only slow: when it ends, the answer kept is still the retry's."""
    settings.IDEMPOTENCY_WAIT_SECONDS = 1
    settings.IDEMPOTENCY_CLAIM_TIMEOUT_SECONDS = 0.5
    variant = VariantFactory(stock_on_hand=50)
    token = guest_token(variant)
    body = {"variant_id": variant.pk, "quantity": 2}
    real_add = services.cart_add_line
    release, calls = threading.Event(), []

    def slow_first(**kwargs):
        calls.append(kwargs)
        if len(calls) == 1:
            release.wait(10)
        return real_add(**kwargs)

    monkeypatch.setattr(services, "cart_add_line", slow_first)
    slow = []

    def first():
        try:
            slow.append(post(Client(), body, "k", **{"X-Cart-Token": token}))
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    while not calls:  # the first has claimed the key and is inside the service
        time.sleep(0.02)
    time.sleep(0.6)
    retried = post(Client(), body, "k", **{"X-Cart-Token": token})
    release.set()
    thread.join(timeout=30)
    again = post(Client(), body, "k", **{"X-Cart-Token": token})

    assert retried.status_code == 201 and not retried.has_header("Idempotent-Replayed")
    assert slow[0].status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.content == retried.content and again["ETag"] == retried["ETag"]
    assert CartLine.objects.get().quantity == 1 + 2 + 2
