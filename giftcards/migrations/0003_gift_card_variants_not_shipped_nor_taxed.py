"""Variants already sold as gift cards are emailed, not shipped, and not taxed when sold."""

from django.db import migrations


def mark(apps, schema_editor):
    GiftCardVariant = apps.get_model("giftcards", "GiftCardVariant")
    Variant = apps.get_model("catalog", "Variant")
    ids = GiftCardVariant.objects.values_list("variant_id", flat=True)
    Variant.objects.filter(pk__in=list(ids)).update(requires_shipping=False, taxable=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0006_variant_shipping_and_tax_flags"),
        ("giftcards", "0002_revoked_kind"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
