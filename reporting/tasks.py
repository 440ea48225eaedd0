from celery import shared_task
from django.utils import timezone


@shared_task
def chase_returns():
    """Celery beat runs the daily sweep each morning: the same service as `manage.py chase_returns`."""
    from reporting.services.chasing import run_sweep

    return str(run_sweep(today=timezone.localdate()))
