"""The signed links in reminder emails (restore the cart, unsubscribe) and where they go."""

from django.core import signing
from django.utils.translation import gettext

from cart.models import Cart
from recovery.exceptions import RecoveryLinkError
from shop.models import normalize_email

RECOVERY_SALT = "cart.recover"
UNSUBSCRIBE_SALT = "cart.unsubscribe"


def cart_recovery_token(cart_id: int) -> str:
    return signing.dumps({"cart": cart_id}, salt=RECOVERY_SALT)


def unsubscribe_token(email: str) -> str:
    return signing.dumps({"email": normalize_email(email)}, salt=UNSUBSCRIBE_SALT)


def reminder_email_address(cart: Cart) -> str:
    return cart.user.email if cart.user_id else cart.email


def email_for_unsubscribe(token: str) -> str:
    """The address an unsubscribe link names. Raises RecoveryLinkError when tampered."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)["email"]
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise RecoveryLinkError(gettext("This unsubscribe link is not valid.")) from exc
