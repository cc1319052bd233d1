"""Business counters for /metrics, beside django-prometheus's request and database metrics."""

from collections.abc import Callable
from functools import wraps

from prometheus_client import Counter, Gauge

from shop.exceptions import DomainError

CART_OPERATIONS = Counter(
    "shop_cart_operations_total",
    "Cart operations by operation and outcome (ok, unchanged, a refusal code, or error).",
    ["operation", "outcome"],
)
CHECKOUT_OPERATIONS = Counter(
    "shop_checkout_operations_total",
    "Checkout and payment operations by operation and outcome.",
    ["operation", "outcome"],
)

# Read from the database just before /metrics answers (checkout/receivers.py), so every
# process reports the same number; with PROMETHEUS_MULTIPROC_DIR the latest reading wins.
ORDERS_REFUND_FAILED = Gauge(
    "shop_orders_refund_failed",
    "Orders whose refund ran out of retries: the shopper's money is still taken.",
    multiprocess_mode="mostrecent",
)


def counted(counter: Counter, operation: str) -> Callable:
    """Count each call of a service by its outcome: ok, unchanged, the refusal's code, or error."""

    def decorate(func: Callable) -> Callable:
        @wraps(func)
        def wrapper(*args, **kwargs):
            try:
                result = func(*args, **kwargs)
            except DomainError as exc:
                counter.labels(operation, exc.code).inc()
                raise
            except Exception:
                counter.labels(operation, "error").inc()
                raise
            counter.labels(
                operation, "ok" if getattr(result, "changed", True) else "unchanged"
            ).inc()
            return result

        return wrapper

    return decorate
