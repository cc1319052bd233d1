"""The alert jobs in a real Celery worker, and delivered twice: each email goes once."""

import uuid

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from alerts import services
from alerts.models import StockAlert
from alerts.tasks import (
    price_drop_digest_send_task,
    price_drops_queue_task,
    stock_alerts_notify_task,
)
from cart.selectors import CartOwner
from cart.services import wishlist_add
from catalog.models import Variant
from tests.factories import UserFactory, VariantFactory
from tests.shop.test_celery_worker import _redis_broker, running_worker, wait_for


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_back_in_stock_job_runs_in_a_real_worker_and_emails_in_batches(tmp_path, settings):
    settings.SITE_URL = "http://shop.test"
    variant = VariantFactory(stock_on_hand=0, product__name="Copper Kettle")
    for n in range(3):
        services.stock_alert_request(
            variant_id=variant.pk, user=UserFactory(email=f"shopper{n}@example.com")
        )
    Variant.objects.filter(pk=variant.pk).update(stock_on_hand=2)  # no signal: the beat job's case
    connection.close()  # the worker must see committed rows only
    queue = f"test-{uuid.uuid4().hex[:8]}"

    with running_worker(_redis_broker(), queue, mail_dir=tmp_path) as worker:
        stock_alerts_notify_task.apply_async(queue=queue)

        def sent():
            # The file backend writes one file per connection: a batch's emails share a file,
            # each followed by a line of 79 dashes.
            return [
                message
                for path in tmp_path.iterdir()
                for message in path.read_text().split("-" * 79)
                if "back in stock" in message
            ]

        wait_for(lambda: len(sent()) == 3, worker)

    assert len(sent()) == 3
    assert not StockAlert.objects.filter(ended_at__isnull=True).exists()


@pytest.mark.django_db
def test_a_price_drop_email_delivered_twice_goes_once(settings):
    settings.PRICE_DROP_ALERT_PERCENT = 5
    variant = VariantFactory(price="50.00")
    ada = UserFactory()
    wishlist_add(owner=CartOwner(user=ada), variant_id=variant.pk, source="test")
    Variant.objects.filter(pk=variant.pk).update(price="40.00")

    assert price_drops_queue_task.apply().get() == 1
    day = timezone.localdate().isoformat()
    price_drop_digest_send_task.apply(args=[ada.pk, day])
    price_drop_digest_send_task.apply(args=[ada.pk, day])

    assert [m.to for m in mail.outbox] == [[ada.email]]
