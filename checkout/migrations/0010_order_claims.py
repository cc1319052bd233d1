from django.db import migrations, models
from django.db.models import F


def amount_due_is_total(apps, schema_editor):
    # Orders before gift cards were paid in full by the payment provider.
    apps.get_model("checkout", "Order").objects.update(amount_due=F("total"))


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0009_order_note_and_line_properties"),
    ]

    operations = [
        migrations.AddField(
            model_name="order",
            name="points_redeemed",
            field=models.PositiveIntegerField(default=0, verbose_name="points redeemed"),
        ),
        migrations.AddField(
            model_name="order",
            name="points_discount",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=12, verbose_name="points discount"
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="gift_card_total",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=12, verbose_name="paid by gift cards"
            ),
        ),
        migrations.AddField(
            model_name="order",
            name="amount_due",
            field=models.DecimalField(
                decimal_places=2, default=0, max_digits=12, verbose_name="paid by card"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="order",
            name="claims",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(amount_due_is_total, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("amount_due__gte", 0), ("gift_card_total__gte", 0), ("points_discount__gte", 0)
                ),
                name="order_parts_not_negative",
            ),
        ),
        migrations.AddConstraint(
            model_name="order",
            constraint=models.CheckConstraint(
                condition=models.Q(("total", F("amount_due") + F("gift_card_total"))),
                name="order_total_is_card_plus_gift_cards",
            ),
        ),
    ]
