"""The signed links in reminder emails (restore the cart, unsubscribe) and where they go."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext

from cart.models import Cart
from recovery.exceptions import RecoveryLinkError
from recovery.models import EmailOptOut
from shop.models import normalize_email

RECOVERY_SALT = "cart.recover"
UNSUBSCRIBE_SALT = "cart.unsubscribe"


@dataclass(frozen=True)
class RecoveryLink:
    cart_id: int
    key: str  # names a guest cart's token as it was when the link was made; "" for a shopper's


def _token_key(cart: Cart) -> str:
    # The token itself is the credential and must not travel in a readable link; a keyed
    # hash of it names it. Using the link changes the token, so the link works once.
    return salted_hmac(RECOVERY_SALT, cart.token).hexdigest()[:32]


def cart_recovery_token(cart: Cart) -> str:
    """The signed part of a cart's recovery link: a guest cart's opens it once, a shopper's
    cart's (which only shows after logging in) until it expires."""
    payload: dict = {"cart": cart.pk}
    if cart.user_id is None:
        payload["key"] = _token_key(cart)
    return signing.dumps(payload, salt=RECOVERY_SALT)


def recovery_link_read(token: str) -> RecoveryLink:
    """What a recovery link names. Raises RecoveryLinkError when it is tampered or older than
    CART_RECOVERY_LINK_DAYS."""
    max_age = timedelta(days=settings.CART_RECOVERY_LINK_DAYS)
    try:
        data = signing.loads(token, salt=RECOVERY_SALT, max_age=max_age)
        return RecoveryLink(cart_id=int(data["cart"]), key=str(data.get("key", "")))
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise RecoveryLinkError() from exc


def recovery_link_opens(link: RecoveryLink, cart: Cart) -> bool:
    """Whether the link still opens the cart: a guest cart's only until its token changes,
    which its first use does (a link without a key, made before links were single-use,
    opens no guest cart)."""
    if cart.user_id is not None:
        return True
    return bool(link.key) and constant_time_compare(link.key, _token_key(cart))


def unsubscribe_token(email: str, kind: str = "cart_reminders") -> str:
    """The signed part of a one-click unsubscribe link: stops emails of `kind` to `email`."""
    return signing.dumps({"email": normalize_email(email), "kind": kind}, salt=UNSUBSCRIBE_SALT)


def reminder_email_address(cart: Cart) -> str:
    return cart.user.email if cart.user_id else cart.email


def email_for_unsubscribe(token: str) -> str:
    """The address an unsubscribe link names. Raises RecoveryLinkError when tampered."""
    return unsubscribe_link_read(token)[0]


def unsubscribe_link_read(token: str) -> tuple[str, str]:
    """(address, kind of email) an unsubscribe link names; links made before there were kinds
    stop cart reminders. Raises RecoveryLinkError when tampered."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        email, kind = str(data["email"]), str(data.get("kind", "cart_reminders"))
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise RecoveryLinkError(gettext("This unsubscribe link is not valid.")) from exc
    if kind not in EmailOptOut.Kind.values:
        raise RecoveryLinkError(gettext("This unsubscribe link is not valid."))
    return email, kind
