from django.conf import settings
from django.core.management.base import BaseCommand

from catalog.demo import demo_catalog_load
from checkout.demo import demo_promo_ensure
from giftcards.demo import demo_gift_card_ensure
from loyalty.demo import demo_points_ensure
from shop.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = (
        "Load the demo catalog, and demo accounts with DEBUG on (the README's passwords) or "
        "with --demo-accounts (random passwords, printed once); safe to run again (creates "
        "only what is missing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-accounts",
            action="store_true",
            help="Create the demo accounts with DEBUG off too, with random passwords.",
        )

    def handle(self, *args, demo_accounts: bool = False, **options):
        result = demo_catalog_load()
        promo = demo_promo_ensure()
        demo_gift_card_ensure()
        if result.created_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo catalog loaded: {result.categories} categories, {result.products} "
                    f"products, {result.variants} variants, {result.images} images created."
                )
            )
        else:
            self.stdout.write("Demo catalog already loaded; nothing to do.")
        if settings.DEBUG or demo_accounts:
            accounts = demo_accounts_ensure(documented_passwords=settings.DEBUG)
            self._accounts(accounts)
            shopper = next(account.email for account in accounts if not account.is_staff)
            points = demo_points_ensure(email=shopper)
            self.stdout.write(
                f"Demo shopper's loyalty points: {points} (at checkout and /account/points/)"
            )
        else:
            self.stdout.write(
                "No demo accounts: DEBUG is off. Pass --demo-accounts to create them with "
                "random passwords."
            )
        self.stdout.write(f"Demo promo code: {promo} (10% off)")
        self.stdout.write(
            "Demo gift card product: /products/gift-card/ (staff issue cards at /admin/)"
        )

    def _accounts(self, accounts) -> None:
        self.stdout.write("Demo logins:")
        for account in accounts:
            role = "staff (admin at /admin/)" if account.is_staff else "shopper"
            if account.password:
                self.stdout.write(f"  {role:<26} {account.email} / {account.password}")
            else:
                self.stdout.write(f"  {role:<26} {account.email} (password unchanged)")
        if not settings.DEBUG and any(account.password for account in accounts):
            self.stdout.write(
                self.style.WARNING("These passwords are shown once: keep them somewhere safe.")
            )
