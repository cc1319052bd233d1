"""StockReservation now belongs to the inventory app; its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("checkout", "0002_default_shipping_methods"),
        ("inventory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StockReservation")],
            database_operations=[],
        ),
    ]
