from django.core.management.base import BaseCommand

from catalog.demo import demo_catalog_load
from checkout.demo import demo_promo_ensure
from shop.demo import demo_accounts_ensure


class Command(BaseCommand):
    help = "Load the demo catalog and demo accounts; safe to run again (creates only what is missing)."

    def handle(self, *args, **options):
        result = demo_catalog_load()
        accounts = demo_accounts_ensure()
        promo = demo_promo_ensure()
        if result.created_anything:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Demo catalog loaded: {result.categories} categories, {result.products} "
                    f"products, {result.variants} variants, {result.images} images created."
                )
            )
        else:
            self.stdout.write("Demo catalog already loaded; nothing to do.")
        self.stdout.write("Demo logins:")
        for email, password, is_staff, _created in accounts:
            role = "staff (admin at /admin/)" if is_staff else "shopper"
            self.stdout.write(f"  {role:<26} {email} / {password}")
        self.stdout.write(f"Demo promo code: {promo} (10% off)")
