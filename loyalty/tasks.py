"""Celery tasks for loyalty points: each calls one service."""

from celery import shared_task

from loyalty import services


@shared_task
def points_make_available_due_task() -> int:
    """Make earned points whose pending days are over usable."""
    return services.points_make_available_due()
