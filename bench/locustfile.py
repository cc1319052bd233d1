"""The load: shoppers with their own cookies (product page, add to cart, cart page), API
clients (add, read the cart) and the trivial view, the framework's ceiling.

Each simulated user stops after BENCH_LOOPS loops; locust's --run-time bounds the run.
"""

import json
import os
import random
import re

from locust import FastHttpUser, constant, task
from locust.exception import StopUser

with open(os.environ["BENCH_CATALOG"]) as catalog_file:
    CATALOG = json.load(catalog_file)["items"]
LOOPS = int(os.environ.get("BENCH_LOOPS", "200"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Bounded(FastHttpUser):
    abstract = True
    wait_time = constant(0)

    def on_start(self) -> None:
        self.loops = 0
        # A few products per shopper: carts stay realistic (tens of lines at most).
        self.products = random.sample(CATALOG, 12)

    def count_loop(self) -> None:
        self.loops += 1
        if self.loops >= LOOPS:
            raise StopUser()


class ShopperUser(Bounded):
    @task
    def shop(self) -> None:
        item = random.choice(self.products)
        with self.client.get(
            f"/products/{item['slug']}/", name="product page", catch_response=True
        ) as page:
            found = CSRF.search(page.text or "")
            if not found:
                page.failure("no CSRF token in the product page")
                return
        token = found.group(1)
        with self.client.post(
            "/cart/add/",
            data={"csrfmiddlewaretoken": token, "variant_id": item["variant_id"], "quantity": 1},
            headers={"HX-Request": "true", "X-CSRFToken": token, "Referer": self.host + "/"},
            name="add to cart",
            catch_response=True,
        ) as added:
            if "toast-error" in (added.text or ""):
                added.failure("the shop refused the add")
        with self.client.get("/cart/", name="cart page", catch_response=True) as cart:
            if 'data-testid="cart-item"' not in (cart.text or ""):
                cart.failure("the cart page shows no line")
        self.count_loop()


class ApiUser(Bounded):
    def on_start(self) -> None:
        super().on_start()
        self.token = None

    @task
    def api(self) -> None:
        item = random.choice(self.products)
        headers = {"X-Cart-Token": self.token} if self.token else {}
        with self.client.post(
            "/api/v1/cart/items/",
            json={"variant_id": item["variant_id"], "quantity": 1},
            headers=headers,
            name="API POST cart/items",
            catch_response=True,
        ) as added:
            if added.status_code == 201:
                self.token = added.json()["token"]
        self.client.get(
            "/api/v1/cart/", headers={"X-Cart-Token": self.token or ""}, name="API GET cart"
        )
        self.count_loop()


class TrivialUser(Bounded):
    @task
    def trivial(self) -> None:
        self.client.get("/healthz", name="trivial view")
        self.count_loop()
