"""Rate limits from settings (RATE_LIMIT_CART_WRITES, RATE_LIMIT_CHECKOUT, RATE_LIMIT_AUTH),
counted in the cache.

With REDIS_URL the counts live in Redis and hold across app servers. While Redis does not
answer, each process counts in its own memory instead: the limits hold per process (a client
may get a few times its rate across several processes) rather than not at all.
"""

from django.conf import settings
from django.core.cache import cache as shared_cache
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import ngettext
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from shop.cache import shared_cache_away

process_counts = LocMemCache("shop-rate-limits", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from a Django setting each time, so tests can change it."""

    setting_name = ""

    @property
    def cache(self):
        """Where the counts are: the shared cache, or this process's while Redis is away."""
        return process_counts if shared_cache_away() else shared_cache

    def get_rate(self) -> str:
        return getattr(settings, self.setting_name)

    def refusal(self, wait: float | None) -> str | None:
        """What a refused caller is told; None: the generic words."""
        return None

    def allow_request(self, request, view) -> bool:
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)


class CartWriteThrottle(SettingsRateThrottle):
    """Cart writes per shopper (user, else client address); reads are never limited."""

    scope = "cart_writes"
    setting_name = "RATE_LIMIT_CART_WRITES"

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = (
            f"user-{user.pk}"
            if user is not None and user.is_authenticated
            else self.get_ident(request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


class CheckoutThrottle(SettingsRateThrottle):
    """Checkout starts per client address (per user when logged in): a guest can make new cart
    tokens at will, not new addresses."""

    scope = "checkout"
    setting_name = "RATE_LIMIT_CHECKOUT"

    def refusal(self, wait: float | None) -> str:
        """What a refused caller is told."""
        seconds = max(1, int(wait or 1))
        return ngettext(
            "Too many checkouts were started from your address. Please wait %(seconds)d "
            "second and try again.",
            "Too many checkouts were started from your address. Please wait %(seconds)d "
            "seconds and try again.",
            seconds,
        ) % {"seconds": seconds}

    def get_cache_key(self, request, view) -> str:
        user = getattr(request, "user", None)
        ident = (
            f"user-{user.pk}"
            if user is not None and user.is_authenticated
            else self.get_ident(request)
        )
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AuthThrottle(SettingsRateThrottle):
    """Login, signup and token requests per client address."""

    scope = "auth"
    setting_name = "RATE_LIMIT_AUTH"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class GiftCardThrottle(SettingsRateThrottle):
    """Gift card codes tried per client address (the balance page and API, and applying a card
    at checkout): the codes cannot be guessed at any useful speed."""

    scope = "gift_card"
    setting_name = "RATE_LIMIT_GIFT_CARD"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
