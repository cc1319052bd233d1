"""A local stand-in for Stripe's API servers, spoken to over real HTTP by the real `stripe`
library, and a signer for webhook payloads as Stripe signs them.

It implements what the shop calls: coupons, Checkout Sessions (create, retrieve, expire) and
refunds, remembers every request (form fields, headers) and honours Idempotency-Key.
"""

import hashlib
import hmac
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl


def _nest(pairs: list[tuple[str, str]]) -> dict:
    """Turn Stripe's `a[b][0][c]=v` form fields into nested dicts (lists stay dicts by index)."""
    root: dict = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return root


class FakeStripe:
    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.coupons: list[dict] = []
        self.fail_with: int | None = None
        self._ids = itertools.count(1)
        self._replies: dict[str, tuple[int, dict]] = {}
        self._lock = threading.Lock()
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # Where sessions send shoppers (a browser test stands in for Stripe's real page).
        self.page_base = "https://checkout.stripe.test"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> "FakeStripe":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- what tests look at or change --------------------------------------------------

    def calls(self, method: str, path_prefix: str) -> list[dict]:
        return [
            r for r in self.requests if r["method"] == method and r["path"].startswith(path_prefix)
        ]

    def complete(self, session_id: str, *, paid: bool = True) -> dict:
        """The shopper pays (or starts a delayed payment) on Stripe's page."""
        session = self.sessions[session_id]
        session["status"] = "complete"
        session["payment_status"] = "paid" if paid else "unpaid"
        session["payment_intent"] = f"pi_{session_id[3:]}"
        return session

    # -- the API ---------------------------------------------------------------------------

    def _reply(self, method: str, path: str, form: dict, headers: dict) -> tuple[int, dict]:
        if self.fail_with:
            return self.fail_with, {
                "error": {"type": "api_error", "message": "Stripe is down (fake)"}
            }
        key = headers.get("Idempotency-Key")
        if key and key in self._replies:
            return self._replies[key]
        reply = self._route(method, path, form)
        if key and method == "POST":
            self._replies[key] = reply
        return reply

    def _route(self, method: str, path: str, form: dict) -> tuple[int, dict]:
        n = next(self._ids)
        if method == "POST" and path == "/v1/coupons":
            coupon = {"id": f"coupon_{n}", "object": "coupon", **form}
            self.coupons.append(coupon)
            return 200, coupon
        if method == "POST" and path == "/v1/checkout/sessions":
            session_id = f"cs_test_{n:06d}"
            session = {
                "id": session_id,
                "object": "checkout.session",
                "url": f"{self.page_base}/c/pay/{session_id}",
                "status": "open",
                "payment_status": "unpaid",
                "payment_intent": None,
                "metadata": form.get("metadata", {}),
                "customer_email": form.get("customer_email"),
                "expires_at": int(form.get("expires_at", 0)),
                "amount_total": self._amount_total(form),
                "currency": self._currency(form),
            }
            self.sessions[session_id] = session
            return 200, session
        if path.startswith("/v1/checkout/sessions/"):
            parts = path.split("/")
            session = self.sessions.get(parts[4])
            if session is None:
                return 404, {
                    "error": {"type": "invalid_request_error", "message": "No such session"}
                }
            if method == "GET":
                return 200, session
            if method == "POST" and parts[-1] == "expire":
                if session["status"] != "open":
                    return 400, {
                        "error": {
                            "type": "invalid_request_error",
                            "message": f"Only open sessions can be expired; this one is {session['status']}.",
                        }
                    }
                session["status"] = "expired"
                return 200, session
        if method == "POST" and path == "/v1/refunds":
            refund = {"id": f"re_{n}", "object": "refund", "status": "succeeded", **form}
            self.refunds.append(refund)
            return 200, refund
        return 404, {
            "error": {"type": "invalid_request_error", "message": f"Unknown {method} {path}"}
        }

    def _amount_total(self, form: dict) -> int:
        """What Stripe would charge: the lines less the coupon, plus shipping, in minor units."""
        lines = sum(
            int(item["price_data"]["unit_amount"]) * int(item.get("quantity", 1))
            for item in form.get("line_items", {}).values()
        )
        coupons = {coupon["id"]: coupon for coupon in self.coupons}
        discount = sum(
            int(coupons[d["coupon"]].get("amount_off", 0))
            for d in form.get("discounts", {}).values()
            if d.get("coupon") in coupons
        )
        shipping = sum(
            int(option["shipping_rate_data"]["fixed_amount"]["amount"])
            for option in form.get("shipping_options", {}).values()
        )
        return max(0, lines - discount) + shipping

    @staticmethod
    def _currency(form: dict) -> str | None:
        for item in form.get("line_items", {}).values():
            return item["price_data"]["currency"]
        return None

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                path = self.path.split("?")[0]
                form = _nest(parse_qsl(body, keep_blank_values=True))
                headers = dict(self.headers.items())
                with fake._lock:
                    fake.requests.append(
                        {"method": method, "path": path, "form": form, "headers": headers}
                    )
                    status, reply = fake._reply(method, path, form, headers)
                data = json.dumps(reply).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_fake_{len(fake.requests)}")
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                self._serve("GET")

            def do_POST(self):
                self._serve("POST")

            def log_message(self, *args):
                pass

        return Handler


def signed_webhook(event: dict, secret: str, timestamp: int | None = None) -> tuple[bytes, str]:
    """A webhook body and its Stripe-Signature header, signed the way Stripe signs them."""
    payload = json.dumps(event).encode()
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.".encode() + payload
    signature = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return payload, f"t={timestamp},v1={signature}"


def session_event(event_id: str, event_type: str, session: dict) -> dict:
    """A Stripe event about a Checkout Session, as Stripe would send it."""
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "api_version": "2024-06-20",
        "created": int(time.time()),
        "data": {"object": dict(session)},
    }
