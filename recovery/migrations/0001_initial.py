"""EmailOptOut moves here from the cart app; its table (cart_emailoptout) and rows stay."""

import django.utils.timezone
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="cart", model="emailoptout")
    if old.exists():
        ContentType.objects.filter(app_label="recovery", model="emailoptout").delete()
        old.update(app_label="recovery")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("cart", "0002_cart_reminders"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="EmailOptOut",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("email", models.EmailField(max_length=254, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                    ],
                    options={
                        "db_table": "cart_emailoptout",
                        "verbose_name": "reminder opt-out",
                        "verbose_name_plural": "reminder opt-outs",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
