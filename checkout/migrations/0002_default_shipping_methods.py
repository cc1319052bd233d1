from decimal import Decimal

from django.db import migrations

DEFAULTS = [
    # code, name, price, free over, position
    ("standard", "Standard (3–5 working days)", Decimal("5.00"), Decimal("75.00"), 0),
    ("express", "Express (next working day)", Decimal("15.00"), None, 1),
]


def add_defaults(apps, schema_editor):
    ShippingMethod = apps.get_model("checkout", "ShippingMethod")
    for code, name, price, free_over, position in DEFAULTS:
        ShippingMethod.objects.get_or_create(
            code=code,
            defaults={"name": name, "price": price, "free_over": free_over, "position": position},
        )


class Migration(migrations.Migration):
    dependencies = [("checkout", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
