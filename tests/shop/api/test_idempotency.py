import threading

import pytest
from django.db import connection
from django.test import Client

from cart import services
from cart.models import CartLine
from shop.models import IdempotencyRecord
from tests.factories import VariantFactory

ITEMS = "/api/v1/cart/items/"


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

    first = post(client, {"variant_id": variant.pk, "quantity": 3}, "k")
    again = post(client, {"variant_id": variant.pk, "quantity": 3}, "k")

    assert first.status_code == again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"


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

    monkeypatch.setattr(services, "cart_add_line", broken)
    crashed = post(client, {"variant_id": variant.pk}, "retry-me")
    monkeypatch.setattr(services, "cart_add_line", real_add)
    retried = post(client, {"variant_id": variant.pk}, "retry-me")

    assert crashed.status_code == 500
    assert retried.status_code == 201 and not retried.has_header("Idempotent-Replayed")
    assert CartLine.objects.get().quantity == 1


@pytest.mark.django_db
def test_a_duplicate_that_waits_too_long_is_told_the_first_is_still_running(settings):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    client = Client()
    variant = VariantFactory(stock_on_hand=10)
    body = {"variant_id": variant.pk}
    first = post(client, body, "slow")
    IdempotencyRecord.objects.filter(key="slow").update(status_code=None)  # as if still running

    duplicate = post(client, body, "slow")

    assert first.status_code == 201
    assert duplicate.status_code == 409
    assert duplicate.json()["code"] == "request_in_progress"
    assert CartLine.objects.get().quantity == 1
