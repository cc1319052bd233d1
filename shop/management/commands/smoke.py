"""`manage.py smoke --base-url URL`: walk a running shop as the demo shopper would.

Logs in, then adds, changes, removes and clears cart lines through the pages and through
the JSON API. Any answer that is not 2xx (after following redirects) fails the run.
"""

import requests
from django.core.management.base import BaseCommand, CommandError

from shop.demo import DEMO_ACCOUNTS


class SmokeFailure(Exception):
    pass


class Smoke:
    def __init__(self, base_url: str, email: str, password: str, out) -> None:
        self.base = base_url.rstrip("/")
        self.email = email
        self.password = password
        self.out = out
        self.http = requests.Session()
        self.http.headers["User-Agent"] = "storefront-smoke/1"

    # -- plumbing ------------------------------------------------------------------------

    def call(self, step: str, method: str, path: str, expect_json: bool = False, **kwargs):
        headers = kwargs.pop("headers", {})
        if method != "GET" and "csrftoken" in self.http.cookies:
            headers.setdefault("X-CSRFToken", self.http.cookies["csrftoken"])
            headers.setdefault("Referer", self.base + "/")
        try:
            response = self.http.request(
                method, self.base + path, headers=headers, timeout=15, **kwargs
            )
        except requests.RequestException as exc:
            raise SmokeFailure(f"{step}: {method} {path} failed: {exc}") from exc
        if not 200 <= response.status_code < 300:
            raise SmokeFailure(
                f"{step}: {method} {path} answered {response.status_code}: {response.text[:300]}"
            )
        self.out.write(f"ok   {step:<38} {method} {path} -> {response.status_code}")
        return response.json() if expect_json else response

    def form(self, step: str, path: str, data: dict):
        return self.call(
            step,
            "POST",
            path,
            data={**data, "csrfmiddlewaretoken": self.http.cookies.get("csrftoken", "")},
        )

    # -- the walk ------------------------------------------------------------------------

    def pick_variant(self) -> int:
        products = self.call(
            "list products (API)", "GET", "/api/v1/products/?page_size=50", expect_json=True
        )
        for product in products["results"]:
            if not product["in_stock"]:
                continue
            detail = self.call(
                "open a product (API)",
                "GET",
                f"/api/v1/products/{product['slug']}/",
                expect_json=True,
            )
            for variant in detail["variants"]:
                if variant["available_stock"] >= 3:
                    self.call("open its page", "GET", f"/products/{product['slug']}/")
                    return variant["id"]
        raise SmokeFailure("no product with 3 or more in stock to try the cart with")

    def cart_line_id(self, headers=None) -> int:
        cart = self.call(
            "read the cart (API)", "GET", "/api/v1/cart/", expect_json=True, headers=headers or {}
        )
        if not cart["items"]:
            raise SmokeFailure("the cart has no line after an add")
        return cart["items"][0]["id"]

    def pages(self) -> None:
        self.call("health", "GET", "/healthz")
        self.call("login page", "GET", "/login/")
        page = self.form("log in", "/login/", {"username": self.email, "password": self.password})
        if 'data-testid="logout-button"' not in page.text:
            raise SmokeFailure(f"log in: {self.email} is not logged in after posting the form")
        variant_id = self.pick_variant()
        self.form("clear the cart (page)", "/cart/clear/", {})
        self.form("add to cart (page)", "/cart/add/", {"variant_id": variant_id, "quantity": 1})
        line_id = self.cart_line_id()
        self.form("increase (page)", f"/cart/lines/{line_id}/", {"action": "increase"})
        self.form("decrease (page)", f"/cart/lines/{line_id}/", {"action": "decrease"})
        self.form(
            "set quantity (page)", f"/cart/lines/{line_id}/", {"action": "set", "quantity": 2}
        )
        self.form("remove (page)", f"/cart/lines/{line_id}/remove/", {})
        self.form("add again (page)", "/cart/add/", {"variant_id": variant_id, "quantity": 1})
        self.form("clear the cart (page)", "/cart/clear/", {})
        self.call("cart page", "GET", "/cart/")
        self.variant_id = variant_id

    def api(self) -> None:
        api = requests.Session()
        self.http, pages_session = api, self.http
        try:
            token = self.call(
                "get a token (API)",
                "POST",
                "/api/v1/auth/token/",
                expect_json=True,
                json={"email": self.email, "password": self.password},
            )["token"]
            auth = {"Authorization": f"Token {token}"}
            self.call(
                "add (API)",
                "POST",
                "/api/v1/cart/items/",
                json={"variant_id": self.variant_id},
                headers=auth,
            )
            line_id = self.cart_line_id(headers=auth)
            self.call(
                "change quantity (API)",
                "PATCH",
                f"/api/v1/cart/items/{line_id}/",
                json={"quantity": 2},
                headers=auth,
            )
            self.call("remove (API)", "DELETE", f"/api/v1/cart/items/{line_id}/", headers=auth)
            self.call(
                "add again (API)",
                "POST",
                "/api/v1/cart/items/",
                json={"variant_id": self.variant_id},
                headers=auth,
            )
            self.call("clear (API)", "DELETE", "/api/v1/cart/", headers=auth)
            self.call("log out (API)", "POST", "/api/v1/auth/logout/", headers=auth)
        finally:
            self.http = pages_session


class Command(BaseCommand):
    help = "Walk a running shop as the demo shopper (pages and API); non-zero exit on any non-2xx."

    def add_arguments(self, parser):
        shopper = next(account for account in DEMO_ACCOUNTS if not account[2])
        parser.add_argument("--base-url", required=True, help="e.g. http://127.0.0.1:8000")
        parser.add_argument("--email", default=shopper[0])
        parser.add_argument("--password", default=shopper[1])

    def handle(self, *args, base_url, email, password, **options):
        smoke = Smoke(base_url, email, password, self.stdout)
        try:
            smoke.pages()
            smoke.api()
        except SmokeFailure as failure:
            self.stderr.write(f"FAIL {failure}")
            raise CommandError("smoke check failed", returncode=1) from failure
        self.stdout.write(self.style.SUCCESS(f"Smoke check passed against {base_url}"))
