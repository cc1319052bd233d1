from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shop.exceptions import EmailAlreadyRegisteredError, InvalidPasswordError
from shop.models import User, normalize_email


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
