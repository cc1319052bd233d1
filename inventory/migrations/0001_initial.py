"""StockReservation moves here from checkout. The table (checkout_stockreservation) and its
rows stay as they are: the model is taken over in Django's state only, then its order is
named by id instead of by foreign key (inventory stands below checkout), and each hold
learns its cart's id, filled in from its order."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_cart_ids(apps, schema_editor):
    StockReservation = apps.get_model("inventory", "StockReservation")
    Order = apps.get_model("checkout", "Order")
    StockReservation.objects.update(
        cart_id=Subquery(Order.objects.filter(pk=OuterRef("order_id")).values("cart_id")[:1])
    )


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label="checkout", model="stockreservation")
    if old.exists():
        ContentType.objects.filter(app_label="inventory", model="stockreservation").delete()
        old.update(app_label="inventory")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("catalog", "0001_initial"),
        ("checkout", "0002_default_shipping_methods"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StockReservation",
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
                        ("quantity", models.PositiveIntegerField()),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("active", "Active"),
                                    ("converted", "Converted to a sale"),
                                    ("released", "Released"),
                                ],
                                default="active",
                                max_length=10,
                            ),
                        ),
                        ("expires_at", models.DateTimeField()),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="inventory_reservations",
                                to="checkout.order",
                            ),
                        ),
                        (
                            "variant",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reservations",
                                to="catalog.variant",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "checkout_stockreservation",
                        "verbose_name": "stock reservation",
                        "verbose_name_plural": "stock reservations",
                        "indexes": [
                            models.Index(
                                condition=models.Q(("status", "active")),
                                fields=["variant", "expires_at"],
                                name="reservation_active_idx",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # Drop the database's foreign key to checkout's orders; the column and its index stay.
        migrations.AlterField(
            model_name="stockreservation",
            name="order",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="inventory_reservations",
                to="checkout.order",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="stockreservation", name="order"),
                migrations.AddField(
                    model_name="stockreservation",
                    name="order_id",
                    field=models.BigIntegerField(db_index=True, verbose_name="order"),
                    preserve_default=False,
                ),
            ],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="stockreservation",
            name="cart_id",
            field=models.BigIntegerField(blank=True, db_index=True, null=True),
        ),
        migrations.RunPython(fill_cart_ids, migrations.RunPython.noop),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
