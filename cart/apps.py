from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.db.models.signals import post_save


def check_line_maximum(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """CART_MAX_LINE_QUANTITY must fit under the database's ceiling for a line."""
    from cart.models import LINE_QUANTITY_CEILING

    if 1 <= settings.CART_MAX_LINE_QUANTITY <= LINE_QUANTITY_CEILING:
        return []
    return [
        checks.Error(
            f"CART_MAX_LINE_QUANTITY must be between 1 and {LINE_QUANTITY_CEILING}.",
            id="cart.E001",
        )
    ]


class CartConfig(AppConfig):
    name = "cart"
    verbose_name = "Carts"

    def ready(self) -> None:
        from cart import receivers

        checks.register(check_line_maximum)

        user_logged_in.connect(
            receivers.guest_cart_merge_at_login, dispatch_uid="cart-merge-at-login"
        )
        # The catalog tells about a variant's new price, stock or status by saving it.
        post_save.connect(
            receivers.variant_changed_tell_carts,
            sender="catalog.Variant",
            dispatch_uid="cart-live-variant-changed",
        )
