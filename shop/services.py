from collections.abc import Callable
from datetime import timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.exceptions import (
    EmailAlreadyRegisteredError,
    EmailBeingSentError,
    InvalidPasswordError,
)
from shop.models import SentEmail, User, normalize_email
from shop.outbox import task_send_after_commit
from shop.signals import email_confirmed

# A claim on an email this old belongs to a run that died mid-send (EMAIL_TIMEOUT bounds a
# live one), so a later run sends it after all.
EMAIL_CLAIM_SECONDS = 5 * 60


@transaction.atomic
def user_create(*, email: str, password: str, full_name: str = "") -> User:
    """Register a shopper; raises EmailAlreadyRegisteredError or InvalidPasswordError."""
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        raise EmailAlreadyRegisteredError()
    candidate = User(email=email, full_name=full_name)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        raise InvalidPasswordError(list(exc.messages)) from exc
    try:
        with transaction.atomic():
            return User.objects.create_user(email=email, password=password, full_name=full_name)
    except IntegrityError as exc:  # a concurrent signup with the same email won
        raise EmailAlreadyRegisteredError() from exc


def email_confirmation_request(*, user: User, base_url: str) -> bool:
    """Email `user` a link that confirms their address, once this transaction commits (through
    the outbox); returns False, sending nothing, when the address is confirmed already."""
    if user.email_confirmed:
        return False
    task_send_after_commit(
        "shop.tasks.email_confirmation_send_task", user_id=user.pk, base_url=base_url
    )
    return True


@transaction.atomic
def user_email_confirm(*, user: User) -> bool:
    """Record that `user` receives mail at their current address, and tell the floors above
    (email_confirmed: orders placed as a guest with it join the account); returns False when it
    was confirmed already."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.email_confirmed:
        return False
    user.confirmed_email = user.email
    user.save(update_fields=["confirmed_email"])
    email_confirmed.send(sender=User, user=user)
    return True


def email_send_once(*, kind: str, object_id: int, send: Callable[[], None]) -> bool:
    """Send the email `kind` about `object_id` with `send()` unless it already went; returns
    whether it was sent now. Raises EmailBeingSentError while another run may be sending it;
    an error from `send()` gives the claim back for the retry."""
    if not _email_claim(kind=kind, object_id=object_id):
        return False
    try:
        send()
    except BaseException:
        SentEmail.objects.filter(kind=kind, object_id=object_id, sent_at=None).update(
            claimed_at=None
        )
        raise
    SentEmail.objects.filter(kind=kind, object_id=object_id).update(sent_at=timezone.now())
    return True


@transaction.atomic
def _email_claim(*, kind: str, object_id: int) -> bool:
    now = timezone.now()
    record, created = SentEmail.objects.select_for_update().get_or_create(
        kind=kind, object_id=object_id, defaults={"claimed_at": now}
    )
    if created:
        return True
    if record.sent_at is not None:
        return False
    if record.claimed_at and record.claimed_at > now - timedelta(seconds=EMAIL_CLAIM_SECONDS):
        raise EmailBeingSentError(f"{kind} {object_id} is being sent")
    record.claimed_at = now
    record.save(update_fields=["claimed_at"])
    return True
