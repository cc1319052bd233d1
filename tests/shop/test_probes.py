import pytest

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.text == "ok"


def test_readyz_reports_each_part(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}


def test_readyz_names_the_failing_part_with_503(client, monkeypatch):
    from shop import probes

    def broken():
        raise ConnectionError("refused")

    monkeypatch.setitem(probes.CHECKS, "cache", broken)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


def test_every_response_carries_a_request_id(client):
    made = client.get("/healthz")
    passed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    unsafe = client.get("/healthz", headers={"X-Request-ID": "<script>"})

    assert len(made["X-Request-ID"]) == 32
    assert passed["X-Request-ID"] == "abc-123"
    assert unsafe["X-Request-ID"] != "<script>"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "We can’t find that page" in response.text


def test_a_crash_is_a_friendly_500_with_the_request_id(client, monkeypatch):
    from storefront import views

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "featured_products_with_stock", explode)
    client.raise_request_exception = False

    response = client.get("/", headers={"X-Request-ID": "req-42"})

    assert response.status_code == 500
    assert "something went wrong" in response.text
    assert "req-42" in response.text


def test_a_crash_still_answers_500_when_the_error_page_cannot_render(
    client, monkeypatch, settings, tmp_path
):
    from storefront import views

    # A deploy that forgot collectstatic: every {% static %} lookup raises, the 500 page's too.
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        },
    }
    monkeypatch.setattr(views, "featured_products_with_stock", lambda **kw: 1 / 0)
    client.raise_request_exception = False

    response = client.get("/", headers={"X-Request-ID": "req-43"})

    assert response.status_code == 500
    assert "something went wrong" in response.text
    assert "req-43" in response.text


def test_a_crash_answers_htmx_with_a_short_plain_message(client, monkeypatch):
    from storefront import views

    monkeypatch.setattr(views, "featured_products_with_stock", lambda **kw: 1 / 0)
    client.raise_request_exception = False

    response = client.get("/", headers={"HX-Request": "true"})

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/plain")
    assert "something went wrong" in response.text


def test_a_failed_csrf_check_is_a_friendly_403():
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    page = client.post("/cart/clear/")
    htmx = client.post("/cart/clear/", headers={"HX-Request": "true"})

    assert page.status_code == 403 and "session has expired" in page.text
    assert htmx.status_code == 403 and htmx["Content-Type"].startswith("text/plain")


def test_readyz_answers_within_its_budget_while_the_broker_is_frozen(client, settings):
    from tests.shop.frozen import celery_broker, frozen_server, timed

    settings.CELERY_TASK_ALWAYS_EAGER = False  # a broker is configured

    with frozen_server() as broker, celery_broker(broker.redis_url):
        response, seconds = timed(lambda: client.get("/readyz"), give_up_after=30)

    assert seconds < 8, f"/readyz took {seconds:.1f} s"
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
