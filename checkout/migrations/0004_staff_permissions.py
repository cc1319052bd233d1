"""Permissions for what staff do to orders beyond editing them: fulfil, cancel, refund."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0003_stockreservation_to_inventory"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="order",
            options={
                "ordering": ["-created_at", "-id"],
                "permissions": [
                    ("fulfil_order", "Can mark paid orders as fulfilled"),
                    ("cancel_order", "Can cancel unpaid orders"),
                    ("refund_order", "Can refund orders"),
                ],
                "verbose_name": "order",
                "verbose_name_plural": "orders",
            },
        ),
    ]
