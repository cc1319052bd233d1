"""/metrics shows business counters: only loopback, METRICS_ALLOWED_IPS or the bearer token."""

import pytest

pytestmark = pytest.mark.django_db

OUTSIDE = "203.0.113.5"


def metrics(client, address=OUTSIDE, **headers):
    return client.get("/metrics", REMOTE_ADDR=address, headers=headers)


def test_loopback_reads_the_metrics(client):
    for address in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        response = metrics(client, address)

        assert response.status_code == 200
        assert "django_http_requests_total_by_method" in response.text


def test_any_other_address_gets_a_plain_404(client):
    response = metrics(client)

    assert response.status_code == 404
    assert "django_http_requests" not in response.text


def test_allowed_addresses_and_networks_read_the_metrics(client, settings):
    settings.METRICS_ALLOWED_IPS = [OUTSIDE, "10.1.0.0/16"]

    assert metrics(client, OUTSIDE).status_code == 200
    assert metrics(client, "10.1.2.3").status_code == 200
    assert metrics(client, "203.0.113.6").status_code == 404
    assert metrics(client, "10.2.0.1").status_code == 404


def test_the_bearer_token_opens_it_from_anywhere(client, settings):
    settings.METRICS_TOKEN = "a-long-random-metrics-token"

    assert metrics(client, Authorization="Bearer a-long-random-metrics-token").status_code == 200
    assert metrics(client, Authorization="Bearer a-long-random-metrics-tokeX").status_code == 404
    assert metrics(client, Authorization="Token a-long-random-metrics-token").status_code == 404
    assert metrics(client).status_code == 404


def test_without_a_token_set_no_bearer_header_opens_it(client, settings):
    settings.METRICS_TOKEN = ""

    assert metrics(client, Authorization="Bearer ").status_code == 404
    assert metrics(client, Authorization="Bearer").status_code == 404


def test_a_proxy_the_shop_was_not_told_about_does_not_make_everyone_loopback(client):
    # nginx on the same machine, TRUSTED_PROXY_COUNT left at 0: every request it passes on
    # comes from 127.0.0.1 and carries the client's address in X-Forwarded-For.
    response = metrics(client, "127.0.0.1", **{"X-Forwarded-For": OUTSIDE})

    assert response.status_code == 404


def test_behind_a_trusted_proxy_the_client_is_the_address_it_appended(client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.METRICS_ALLOWED_IPS = ["10.1.0.0/16"]

    forged = metrics(client, "127.0.0.1", **{"X-Forwarded-For": f"127.0.0.1, {OUTSIDE}"})
    allowed = metrics(client, "127.0.0.1", **{"X-Forwarded-For": f"{OUTSIDE}, 10.1.2.3"})
    direct = metrics(client, "127.0.0.1")  # a scrape on the machine itself, not via the proxy

    assert forged.status_code == 404
    assert allowed.status_code == 200
    assert direct.status_code == 200
