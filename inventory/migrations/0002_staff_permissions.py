"""A permission to release stock holds from the admin (it cancels their unpaid order)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="stockreservation",
            options={
                "permissions": [
                    (
                        "release_stockreservation",
                        "Can release stock holds (cancels their unpaid order)",
                    )
                ],
                "verbose_name": "stock reservation",
                "verbose_name_plural": "stock reservations",
            },
        ),
    ]
