"""The demo accounts `manage.py seed_demo` creates, so a new user can log in at once."""

from django.db import transaction

from shop.models import User

# (email, password, is_staff)
DEMO_ACCOUNTS = [
    ("shopper@example.com", "shopper-demo-1", False),
    ("staff@example.com", "staff-demo-1", True),
]


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[str, str, bool, bool]]:
    """Create the demo shopper and staff account if missing; return (email, password, staff, created)."""
    accounts = []
    for email, password, is_staff in DEMO_ACCOUNTS:
        created = False
        if not User.objects.filter(email=email).exists():
            if is_staff:
                User.objects.create_superuser(
                    email=email, password=password, full_name="Demo Staff"
                )
            else:
                User.objects.create_user(email=email, password=password, full_name="Demo Shopper")
            created = True
        accounts.append((email, password, is_staff, created))
    return accounts
