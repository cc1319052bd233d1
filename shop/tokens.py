"""The signed link that proves a user receives mail at their account's address."""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from shop.models import User, normalize_email

_SALT = "shop.email-confirmation"


class ConfirmationLinkError(Exception):
    """The link is not one the shop made, names no account, or is for another address."""


class ConfirmationLinkExpiredError(ConfirmationLinkError):
    """The link was the shop's, but it is older than EMAIL_CONFIRMATION_DAYS."""


def _address_digest(email: str) -> str:
    # The link names the address by a keyed digest: it stops working if the address changes,
    # without putting the address itself in URLs and logs.
    return salted_hmac(_SALT, normalize_email(email)).hexdigest()[:32]


def email_confirmation_token(user: User) -> str:
    """A token, for a URL, that confirms `user`'s current email address."""
    return signing.dumps({"user": user.pk, "address": _address_digest(user.email)}, salt=_SALT)


def email_confirmation_user(token: str) -> User:
    """The user whose current address `token` confirms. Raises ConfirmationLinkExpiredError
    or ConfirmationLinkError."""
    max_age = timedelta(days=settings.EMAIL_CONFIRMATION_DAYS)
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ConfirmationLinkExpiredError() from exc
    except signing.BadSignature as exc:
        raise ConfirmationLinkError() from exc
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        raise ConfirmationLinkError()
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    if user is None or not constant_time_compare(
        str(data.get("address", "")), _address_digest(user.email)
    ):
        raise ConfirmationLinkError()
    return user
