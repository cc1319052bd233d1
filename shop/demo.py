"""The demo accounts `manage.py seed_demo` creates, so a new user can log in at once.

With DEBUG on (`make run`) they get the README's passwords. Anywhere else they are made only
on request, with random passwords: the README's are public.
"""

import secrets
from dataclasses import dataclass

from django.db import transaction

from shop.models import User

# (email, documented password, is_staff)
DEMO_ACCOUNTS = [
    ("shopper@example.com", "shopper-demo-1", False),
    ("staff@example.com", "staff-demo-1", True),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    is_staff: bool
    password: str | None  # set when it was just given: print it, it is not shown again
    created: bool


@transaction.atomic
def demo_accounts_ensure(*, documented_passwords: bool) -> list[DemoAccount]:
    """Create the demo shopper and staff account if missing.

    With `documented_passwords` (DEBUG) they get the README's passwords. Otherwise each new
    account gets a random password, and an existing one still on the README's password gets
    a random one too; those are returned once, the others as None.
    """
    accounts = []
    for email, documented, is_staff in DEMO_ACCOUNTS:
        user = User.objects.filter(email=email).first()
        password = documented if documented_passwords else None
        created = user is None
        if created:
            password = password or secrets.token_urlsafe(16)
            make = User.objects.create_superuser if is_staff else User.objects.create_user
            make(
                email=email,
                password=password,
                full_name="Demo Staff" if is_staff else "Demo Shopper",
                confirmed_email=email,  # the shop's own addresses: nothing to prove
            )
        elif not documented_passwords and user.check_password(documented):
            password = secrets.token_urlsafe(16)
            user.set_password(password)
            user.save(update_fields=["password"])
        accounts.append(
            DemoAccount(email=email, is_staff=is_staff, password=password, created=created)
        )
    return accounts
