"""Tasks waiting in the outbox under the names they had before the recovery app took them
over are sent under their new names."""

from django.db import migrations

RENAMED = {
    "cart.tasks.cart_reminder_send_task": "recovery.tasks.cart_reminder_send_task",
    "cart.tasks.carts_expire_idle_task": "recovery.tasks.carts_expire_idle_task",
    "cart.tasks.carts_remind_abandoned_task": "recovery.tasks.carts_remind_abandoned_task",
    "cart.tasks.sessions_clear_expired_task": "shop.tasks.sessions_clear_expired_task",
}


def rename(apps, schema_editor):
    OutboxTask = apps.get_model("shop", "OutboxTask")
    for old, new in RENAMED.items():
        OutboxTask.objects.filter(name=old, dispatched_at__isnull=True).update(name=new)


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0001_initial"),
        ("shop", "0006_outbox_abandoned"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
