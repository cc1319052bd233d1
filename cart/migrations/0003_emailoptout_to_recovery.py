"""EmailOptOut now belongs to the recovery app; its table stays where it is."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("cart", "0002_cart_reminders"),
        ("recovery", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="EmailOptOut")],
            database_operations=[],
        ),
    ]
